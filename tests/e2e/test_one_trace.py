"""What an operator sees of one order: a stack of its own whose processes export their spans to
a collector in this test (OTLP/HTTP, set by OTEL_EXPORTER_OTLP_ENDPOINT as in a deployment),
and every process's /metrics.

One order placed (and shipped) through the gateway is one connected trace: the REST requests,
the gRPC calls, each event's send by the outbox relay and every consumer's handling of it, in the
gateway, catalog, orders, inventory and billing, with no span whose parent is missing."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from devstack.supervisor import Stack
from devstack.topology import BUSINESS_SERVICES, CONNECTORS
from testkit.otlp import CONSUMER, PRODUCER, OtlpReceiver, ReceivedSpan
from tests.e2e.helpers import Api, eventually, new_customer

PROCESSES = (*BUSINESS_SERVICES, *CONNECTORS, "gateway")


@pytest.fixture(scope="module")
def receiver(trace_receiver: OtlpReceiver) -> OtlpReceiver:
    return trace_receiver


@pytest.fixture(scope="module")
def traced_stack(e2e_stack: Stack) -> Stack:
    return e2e_stack


@pytest.fixture(scope="module")
async def admin(traced_stack: Stack) -> AsyncIterator[Api]:
    api = Api(traced_stack.gateway_url, "e2e-admin", "admin")
    yield api
    await api.aclose()


async def _order_shipped_in_one_trace(api: Api, traceparent: str) -> str:
    """Places an order and ships it, both requests in the caller's trace; waits for the invoice."""
    sku = f"SKU-{uuid.uuid4().hex[:8]}"
    price = {"amount": "10.00", "currency": "EUR"}
    product = await api.created("/products", {"sku": sku, "name": "Lamp", "list_price": price})
    warehouse = await api.created("/warehouses", {"code": f"W{uuid.uuid4().hex[:6]}", "name": "W"})
    adjustment = {"warehouse_id": warehouse["id"], "product_id": product["id"], "quantity_delta": 5}
    await api.post("/stock/adjustments", {**adjustment, "reason": "count"})
    order_body = {
        "customer_id": await new_customer(api),
        "currency": "EUR",
        "lines": [{"product_id": product["id"], "quantity": 2}],
    }
    placed = await api.post("/sales-orders", order_body, traceparent=traceparent)
    assert placed.status_code == 201, placed.text
    order_id = str(placed.json()["id"])
    await eventually(
        lambda: api.get(f"/sales-orders/{order_id}"),
        lambda r: r.json()["stock_status"] == "reserved",
    )
    shipment = {"order_id": order_id, "warehouse_id": warehouse["id"], "carrier": "DHL"}
    shipped = await api.post("/shipments", shipment, traceparent=traceparent)
    assert shipped.status_code == 201, shipped.text
    await eventually(
        lambda: api.get(f"/sales-orders/{order_id}/summary"),
        lambda r: r.status_code == 200 and r.json()["order"]["status"] == "invoiced",
    )
    return order_id


def _hops(spans: list[ReceivedSpan]) -> set[tuple[str, str, str]]:
    """(producing service, topic, consuming service) of every consume span whose parent is the
    relay's send span of the event."""
    by_id = {s.span_id: s for s in spans}
    return {
        (by_id[s.parent_id].service, s.attributes["messaging.destination.name"], s.service)
        for s in spans
        if s.kind == CONSUMER and s.parent_id in by_id and by_id[s.parent_id].kind == PRODUCER
    }


async def test_one_order_is_one_trace_across_every_process_and_kafka_hop(
    admin: Api, receiver: OtlpReceiver
) -> None:
    trace_id, caller_span = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    await _order_shipped_in_one_trace(admin, f"00-{trace_id}-{caller_span}-01")
    expected = {
        ("orders", "oms.orders.sales-order.v1", "inventory"),  # placed: reserve
        ("orders", "oms.orders.sales-order.v1", "billing"),  # placed: billing's copy of it
        ("inventory", "oms.inventory.reservation.v1", "orders"),  # reserved
        ("inventory", "oms.inventory.shipment.v1", "billing"),  # shipped: invoice it
        ("billing", "oms.billing.invoice.v1", "orders"),  # invoiced
    }
    spans: list[ReceivedSpan] = await eventually(
        lambda: _settled(receiver, trace_id), lambda s: expected <= _hops(s), seconds=30
    )
    services = {s.service for s in spans}
    assert {"gateway", "catalog", "orders", "inventory", "billing"} <= services
    known = {s.span_id for s in spans} | {caller_span}
    orphans = [(s.service, s.name) for s in spans if s.parent_id not in known]
    assert orphans == [], "every span's parent is in the trace (or is the caller's)"
    roots = [(s.service, s.name) for s in spans if s.parent_id == caller_span]
    assert sorted(roots) == [
        ("gateway", "POST /api/v1/sales-orders"),
        ("gateway", "POST /api/v1/shipments"),
    ], "each request enters at the gateway, as one server span"
    for send in (s for s in spans if s.kind == PRODUCER):
        assert send.attributes["messaging.system"] == "kafka"
        parent = next(s for s in spans if s.span_id == send.parent_id)
        assert parent.service == send.service, "an event is sent under its writer's span"


async def test_a_service_logs_a_refused_call_with_the_caller_s_trace_id(
    admin: Api, traced_stack: Stack, receiver: OtlpReceiver
) -> None:
    trace_id = uuid.uuid4().hex
    traceparent = f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"
    missing = await admin.client.get(
        f"/sales-orders/{uuid.uuid4()}", headers={"traceparent": traceparent}
    )
    assert missing.status_code == 404
    lines: list[dict[str, Any]] = await eventually(
        lambda: _log_lines(traced_stack, "orders"),
        lambda entries: any(e.get("trace_id") == trace_id for e in entries),
    )
    (line,) = [e for e in lines if e.get("trace_id") == trace_id]
    assert "GetSalesOrder answered NOT_FOUND" in line["message"]
    scraped = (await _scrape(traced_stack))["orders"]["grpc_server_handled_total"]
    assert {"NOT_FOUND", "OK"} <= {labels["grpc_code"] for labels in scraped}
    gateway = await eventually(
        lambda: _settled(receiver, trace_id),
        lambda spans: any(s.service == "gateway" for s in spans),
    )
    names = {s.name for s in gateway if s.service == "gateway"}
    assert names == {"GET /api/v1/sales-orders/{order_id}"}, "named by route, not by order"


async def _log_lines(stack: Stack, name: str) -> list[dict[str, Any]]:
    """The JSON lines of a process's one log file (beside them: what it printed before its
    logging was set up, and gRPC's own C-core lines)."""
    text = (stack.log_dir / f"{name}.log").read_text(errors="replace")
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


async def _settled(receiver: OtlpReceiver, trace_id: str) -> list[ReceivedSpan]:
    await asyncio.sleep(0.3)
    return receiver.of_trace(trace_id)


def _series(text: str) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for family in text_string_to_metric_families(text):
        found.setdefault(family.name, [])
        for sample in family.samples:
            found.setdefault(sample.name, []).append(dict(sample.labels))
    return found


async def _scrape(stack: Stack) -> dict[str, dict[str, list[dict[str, str]]]]:
    async with httpx.AsyncClient(timeout=10) as client:
        pages: dict[str, Any] = {}
        for name in PROCESSES:
            reply = await client.get(f"http://127.0.0.1:{stack.ports.metrics(name)}/metrics")
            assert reply.status_code == 200, name
            pages[name] = _series(reply.text)
        return pages


async def test_every_process_serves_the_series_an_operator_watches(
    admin: Api, traced_stack: Stack
) -> None:
    await _order_shipped_in_one_trace(admin, f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01")
    pages = await _scrape(traced_stack)
    for name in PROCESSES:
        assert "process_cpu_seconds_total" in pages[name], name
        assert pages[name]["oms_db_pool_connections"], f"{name}: pool use"
    for name in (*BUSINESS_SERVICES, *CONNECTORS):
        series = pages[name]
        assert series["oms_outbox_backlog_events"] == [{}], f"{name}: outbox backlog"
        assert series["oms_outbox_oldest_age_seconds"] == [{}], f"{name}: outbox age"
        assert "grpc_server_handled" in series or name in CONNECTORS, name
    for name in ("orders", "inventory", "billing"):
        handled = pages[name]["grpc_server_handled_total"]
        assert {"OK"} <= {labels["grpc_code"] for labels in handled}, f"{name}: gRPC rate"
        lag = pages[name]["oms_consumer_lag_records"]
        groups = {f"oms.{name}"} | ({"oms.orders.activity"} if name == "orders" else set())
        assert groups == {labels["group"] for labels in lag}, f"{name}: lag per group"
        assert all(labels["partition"].isdigit() for labels in lag)
        dead = {labels["topic"] for labels in pages[name]["oms_dead_letter_depth"]}
        assert dead, f"{name}: dead-letter depth per topic"
        assert "oms_consumer_unknown_events" in pages[name], f"{name}: unknown events"
    assert "grpc_server_handling_seconds_bucket" in pages["catalog"], "gRPC latency"
    states = {labels["state"] for labels in pages["orders"]["oms_saga_instances"]}
    assert "invoiced" in states, "saga states"
    requests = pages["gateway"]["http_server_requests_total"]
    placed = {"route": "/api/v1/sales-orders", "method": "POST", "status": "201"}
    assert placed in requests, "REST rate by route template, method and status"
    assert "http_server_request_duration_seconds_bucket" in pages["gateway"]
