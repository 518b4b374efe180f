"""The gateway's metrics: every request counted and timed by route template, method and status
(servicekit.metrics.HttpServerMetrics, outermost, so refusals by the edge count too), served as
GET /metrics on GATEWAY_METRICS_PORT: a port of its own rather than a route of the API, so the
scraper needs no API key and the API's port exposes nothing beyond /api/v1, the docs and
/health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from gateway.config import Settings
from servicekit.metrics import HttpServerMetrics, Metrics, serve_metrics, watch_pool


def install(app: FastAPI) -> None:
    """Counts and times every request; call after every other middleware is added."""
    metrics = Metrics()
    app.state.metrics = metrics
    app.add_middleware(HttpServerMetrics, metrics=metrics)


@asynccontextmanager
async def serving(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    """The metrics port, open while the app runs (none when GATEWAY_METRICS_PORT is unset), with
    the pool of the gateway's database once its stores are open."""
    if app.state.stores.engine is not None:
        watch_pool(app.state.metrics, app.state.stores.engine)
    server = await serve_metrics(app.state.metrics, settings.metrics_host, settings.metrics_port)
    try:
        yield
    finally:
        if server is not None:
            server.close()
