"""servicekit.metrics: scrape-time refreshes, the HTTP middleware's labels and the /metrics port."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI
from prometheus_client.parser import text_string_to_metric_families

from servicekit.db import make_engine
from servicekit.metrics import (
    GrpcServerMetrics,
    HttpServerMetrics,
    Metrics,
    Snapshot,
    serve_metrics,
    watch_pool,
)


def samples(text: bytes, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        tuple(sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(text.decode())
        for s in family.samples
        if s.name == name
    }


async def test_a_snapshot_shows_what_the_last_refresh_read_and_drops_what_went_away() -> None:
    metrics = Metrics()
    states = Snapshot(metrics, "oms_saga_instances", "by state", ["saga", "state"])
    counts = iter([{"placed": 2.0, "invoiced": 1.0}, {"invoiced": 3.0}])

    async def refresh() -> None:
        states.values = {("sales_order", k): v for k, v in next(counts).items()}

    metrics.on_scrape(refresh)
    first = samples(await metrics.render(), "oms_saga_instances")
    assert first[(("saga", "sales_order"), ("state", "placed"))] == 2.0
    second = samples(await metrics.render(), "oms_saga_instances")
    assert second == {(("saga", "sales_order"), ("state", "invoiced")): 3.0}


async def test_a_failing_refresh_leaves_the_rest_of_the_scrape() -> None:
    metrics = Metrics()
    backlog = Snapshot(metrics, "oms_outbox_backlog_events", "waiting", [])

    async def broken() -> None:
        raise OSError("database away")

    async def fine() -> None:
        backlog.values = {(): 4.0}

    metrics.on_scrape(broken)
    metrics.on_scrape(fine)
    text = await metrics.render()
    assert samples(text, "oms_outbox_backlog_events") == {(): 4.0}
    assert b"process_cpu_seconds_total" in text


async def test_http_requests_are_counted_by_route_template_not_by_path() -> None:
    metrics = Metrics()
    app, orders = FastAPI(), APIRouter()

    @orders.get("/orders/{order_id}")
    async def one(order_id: str) -> dict[str, str]:
        return {"id": order_id}

    app.include_router(orders, prefix="/api/v1")
    app.add_middleware(HttpServerMetrics, metrics=metrics)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        for order in ("a", "b"):
            assert (await c.get(f"/api/v1/orders/{order}")).status_code == 200
        assert (await c.get("/nowhere")).status_code == 404
    counted = samples(await metrics.render(), "http_server_requests_total")
    route = ("route", "/api/v1/orders/{order_id}")
    assert counted[(("method", "GET"), route, ("status", "200"))] == 2
    assert counted[(("method", "GET"), ("route", "unmatched"), ("status", "404"))] == 1
    timed = samples(await metrics.render(), "http_server_request_duration_seconds_count")
    assert timed[(("method", "GET"), route)] == 2


async def test_grpc_calls_are_counted_by_service_method_and_code() -> None:
    metrics = Metrics()
    grpc_metrics = GrpcServerMetrics(metrics)
    grpc_metrics.observe("/oms.orders.v1.OrdersService/PlaceSalesOrder", "OK", 0.02)
    grpc_metrics.observe("/oms.orders.v1.OrdersService/PlaceSalesOrder", "NOT_FOUND", 0.01)
    handled = samples(await metrics.render(), "grpc_server_handled_total")
    key = (("grpc_method", "PlaceSalesOrder"), ("grpc_service", "oms.orders.v1.OrdersService"))
    assert handled[(("grpc_code", "NOT_FOUND"), *key)] == 1
    assert samples(await metrics.render(), "grpc_server_handling_seconds_count")[key] == 2


async def test_the_metrics_port_answers_get_metrics_and_nothing_else() -> None:
    metrics = Metrics()
    server = await serve_metrics(metrics, "127.0.0.1", 0)
    assert server is not None
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            scraped = await client.get("/metrics")
            assert scraped.status_code == 200
            assert scraped.headers["content-type"].startswith("text/plain; version=")
            assert "process_resident_memory_bytes" in scraped.text
            assert (await client.get("/api/v1/customers")).status_code == 404
    finally:
        server.close()
        await server.wait_closed()
    assert await serve_metrics(metrics, "127.0.0.1", None) is None


async def test_the_pool_is_read_at_scrape_time() -> None:
    metrics = Metrics()
    engine = make_engine("postgresql+asyncpg://u:p@127.0.0.1:9/nowhere", pool_size=7)
    watch_pool(metrics, engine)
    text = await metrics.render()
    assert samples(text, "oms_db_pool_size") == {(("pool", "primary"),): 7}
    in_use = samples(text, "oms_db_pool_connections")[(("pool", "primary"), ("state", "in_use"))]
    assert in_use == 0
    await engine.dispose()
