"""Prometheus metrics: one registry per process, served on a port of its own (never the API's, so
a scraper needs no credentials and reaches no business data), refreshed at scrape time.

Counters and histograms (requests, latencies) are updated as things happen. What lives in a
database or a broker (outbox backlog, saga states, consumer lag) is read by refreshers just
before each scrape, so an idle process costs nothing and a scrape always sees the present."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Column, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from servicekit.db import Database

log = logging.getLogger(__name__)

Refresh = Callable[[], Awaitable[None]]
# A refresher that has not answered by then is skipped: a slow database must not hang scrapes.
_REFRESH_TIMEOUT = 5.0
# Buckets from 1 ms to 10 s: gRPC calls and REST requests of this suite fall well inside.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """A process's registry and what to read before each scrape."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self._refreshers: list[Refresh] = []

    def on_scrape(self, refresh: Refresh) -> None:
        self._refreshers.append(refresh)

    async def render(self) -> bytes:
        """The exposition text, after every refresher ran (or failed, logged, keeping its last
        values)."""
        outcomes = await asyncio.gather(
            *(asyncio.wait_for(r(), _REFRESH_TIMEOUT) for r in self._refreshers),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                log.warning("a metrics refresh failed: %r", outcome)
        return generate_latest(self.registry)


class Snapshot(Collector):
    """A gauge family whose label sets come and go (states, partitions): replaced wholesale by
    each refresh, so a state no longer present disappears instead of keeping its last count.
    With `counter`, a count kept elsewhere (it only grows), exposed as `<name>_total`."""

    def __init__(
        self,
        metrics: Metrics,
        name: str,
        documentation: str,
        labels: Sequence[str],
        *,
        counter: bool = False,
    ) -> None:
        self.name = name
        self.documentation = documentation
        self.labels = list(labels)
        self.family = CounterMetricFamily if counter else GaugeMetricFamily
        self.values: Mapping[tuple[str, ...], float] = {}
        metrics.registry.register(self)

    def collect(self) -> Iterator[Metric]:
        family = self.family(self.name, self.documentation, labels=self.labels)
        for labels, value in sorted(self.values.items()):
            family.add_metric(list(labels), value)
        yield family


class _PoolCollector(Collector):
    """Connections of a SQLAlchemy pool, read at scrape time (the pool keeps the counts)."""

    def __init__(self, engine: AsyncEngine, name: str) -> None:
        self.engine = engine
        self.name = name

    def collect(self) -> Iterator[Metric]:
        pool = self.engine.pool
        if not isinstance(pool, QueuePool):
            return
        size = GaugeMetricFamily("oms_db_pool_size", "Connections the pool keeps", labels=["pool"])
        size.add_metric([self.name], pool.size())
        used = GaugeMetricFamily(
            "oms_db_pool_connections",
            "Pool connections by state: in_use (checked out), idle, overflow (beyond the size)",
            labels=["pool", "state"],
        )
        used.add_metric([self.name, "in_use"], pool.checkedout())
        used.add_metric([self.name, "idle"], pool.checkedin())
        used.add_metric([self.name, "overflow"], max(pool.overflow(), 0))
        yield size
        yield used


def watch_pool(metrics: Metrics, engine: AsyncEngine, name: str = "primary") -> None:
    metrics.registry.register(_PoolCollector(engine, name))


def count_states(metrics: Metrics, database: Database, saga: str, status: Column[Any]) -> None:
    """`oms_saga_instances{saga, state}`: how many rows of `status`'s table are in each state
    (one GROUP BY per scrape; the service's status index serves it)."""
    gauge = Snapshot(metrics, "oms_saga_instances", "Saga instances by state", ["saga", "state"])
    query = select(status, func.count()).group_by(status)

    async def refresh() -> None:
        async with database.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        gauge.values = {(saga, str(state)): float(count) for state, count in rows}

    metrics.on_scrape(refresh)


class GrpcServerMetrics:
    """Handled RPCs and their latency, by method and status code (grpc-prometheus's names, so
    existing dashboards and alerts read them)."""

    def __init__(self, metrics: Metrics) -> None:
        self.handled = Counter(
            "grpc_server_handled",
            "RPCs completed on the server, by status code",
            ["grpc_service", "grpc_method", "grpc_code"],
            registry=metrics.registry,
        )
        self.latency = Histogram(
            "grpc_server_handling_seconds",
            "Time from receiving an RPC to its answer",
            ["grpc_service", "grpc_method"],
            buckets=LATENCY_BUCKETS,
            registry=metrics.registry,
        )

    def observe(self, full_method: str, code: str, seconds: float) -> None:
        service, _, method = full_method.lstrip("/").rpartition("/")
        self.handled.labels(service, method, code).inc()
        self.latency.labels(service, method).observe(seconds)


class HttpServerMetrics:
    """ASGI middleware: requests and their latency by route template (never the raw path, whose
    ids would make a series per order), method and status."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.requests = Counter(
            "http_server_requests",
            "HTTP requests answered, by route template, method and status",
            ["route", "method", "status"],
            registry=metrics.registry,
        )
        self.latency = Histogram(
            "http_server_request_duration_seconds",
            "Time from a request's arrival to the end of its answer",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=metrics.registry,
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # unless the app answers: a crash that escaped every handler

        async def send_seen(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        began = time.perf_counter()
        try:
            await self.app(scope, receive, send_seen)
        finally:
            route = route_template(scope)
            method = str(scope["method"])
            self.requests.labels(route, method, str(status)).inc()
            self.latency.labels(route, method).observe(time.perf_counter() - began)


def route_template(scope: Any) -> str:
    """The matched route's template with the prefix it was included under (FastAPI keeps that
    prefix out of `route.path`: it is the part of the path before what the route matched); a
    plain Starlette route leaves only its endpoint's name."""
    route = scope.get("route")
    template, pattern = getattr(route, "path", None), getattr(route, "path_regex", None)
    if isinstance(template, str) and pattern is not None:
        path = str(scope.get("path", ""))
        for cut in (i for i, char in enumerate(path) if char == "/"):
            if pattern.match(path[cut:]):
                return path[:cut] + template
        return template
    endpoint = scope.get("endpoint")
    return str(getattr(endpoint, "__name__", None) or "unmatched")


async def _answer(metrics: Metrics, reader: asyncio.StreamReader, writer: Any) -> None:
    try:
        request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        target = request.split(b" ", 2)[1] if request.count(b" ") >= 2 else b""
        if target.split(b"?")[0] in (b"/metrics", b"/"):
            status, kind, body = b"200 OK", CONTENT_TYPE_LATEST.encode(), await metrics.render()
        else:
            status, kind, body = b"404 Not Found", b"text/plain", b"GET /metrics\n"
        writer.write(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: " + kind
            + b"\r\nContent-Length: " + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n" + body
        )  # fmt: skip
        await writer.drain()
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
        pass  # a scraper that hung up or sent garbage gets nothing
    finally:
        writer.close()


async def serve_metrics(metrics: Metrics, host: str, port: int | None) -> asyncio.Server | None:
    """GET /metrics on `host:port` in this event loop (so refreshers use the process's own
    database pool and Kafka clients); close the returned server to stop. None without a port."""
    if port is None:
        return None

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _answer(metrics, reader, writer)

    server = await asyncio.start_server(handle, host, port)
    log.info("metrics on http://%s:%s/metrics", host, port)
    return server
