"""The REST API: /api/v1 for clients, /health for probes, OpenAPI at /openapi.json and /docs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from opentelemetry import context as otel_context
from opentelemetry import trace

from gateway import problems
from gateway.api_keys import ApiKeys
from gateway.auth import Authentication, Authenticator
from gateway.clients import Clients
from gateway.config import Settings
from gateway.idempotency import Idempotency
from gateway.limits import BodyLimit, RateLimit, TokenBuckets
from gateway.routes import (
    api_keys,
    audit,
    billing,
    catalog,
    customers,
    inventory,
    orders,
    procurement,
    quotes,
)
from gateway.stores import Stores, open_stores, prune_forever
from servicekit.telemetry import extract_trace_context, inject_trace_context

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


DESCRIPTION = """Catalog, orders, inventory and shipping, billing, quoting and procurement.

Send `Authorization: Bearer <token>` (a person) or `X-API-Key: <key>` (a machine; an admin issues
keys at /api/v1/api-keys). A POST may carry an `Idempotency-Key` (1-255 visible ASCII
characters): sent again with the same body, it answers the first response again with
`Idempotent-Replayed: true` and does nothing twice; with another body, 422. Each caller may make
a limited number of requests per second (429 with Retry-After beyond it); bodies are capped
(413). Errors are application/problem+json."""


class TraceContext:
    """Continues the caller's W3C trace (or starts one) for each request, and answers with its
    `traceparent`, so the trace runs on through gRPC metadata, the outbox and Kafka headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.tracer = trace.get_tracer("gateway")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        token = otel_context.attach(extract_trace_context(headers))
        try:
            name = f"{scope['method']} {scope['path']}"
            with self.tracer.start_as_current_span(name, kind=trace.SpanKind.SERVER):
                traceparent = inject_trace_context().get("traceparent", "")

                async def send_with_trace(message: Message) -> None:
                    if message["type"] == "http.response.start" and traceparent:
                        message["headers"] = [
                            *message.get("headers", []),
                            (b"traceparent", traceparent.encode()),
                        ]
                    await send(message)

                await self.app(scope, receive, send_with_trace)
        finally:
            otel_context.detach(token)


def create_app(
    settings: Settings, clients: Clients | None = None, stores: Stores | None = None
) -> FastAPI:
    """The API; UnsafeKey when its token keys are missing, weak or published development keys
    outside development mode. Without `stores`, it opens (and migrates) its database at start."""
    authenticator = Authenticator.from_settings(settings)

    def use(app: FastAPI, found: Stores) -> None:
        app.state.stores = found
        app.state.api_keys = ApiKeys(found.api_keys, settings.api_key_cache_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if stores is None:
                use(app, await stack.enter_async_context(open_stores(settings)))
            pruning = asyncio.create_task(prune_forever(app.state.stores.idempotency))
            stack.callback(pruning.cancel)
            app.state.clients = clients or Clients.connect(settings)
            stack.push_async_callback(app.state.clients.close)
            yield

    app = FastAPI(
        title="Order management suite",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    if clients is not None:
        app.state.clients = clients
    if stores is not None:
        use(app, stores)
    problems.install(app)
    for router in (
        catalog.router,
        catalog.categories,
        catalog.price_lists,
        inventory.router,
        orders.router,
        customers.router,
        orders.reports,
        orders.pipelines,
        quotes.router,
        quotes.templates,
        billing.router,
        *procurement.routers,
        api_keys.router,
        audit.router,
    ):
        app.include_router(router, prefix="/api/v1")

    @app.get("/health/live", tags=["health"])
    async def live() -> dict[str, str]:
        return {"status": "live"}

    @app.get("/health/ready", tags=["health"], response_model=None)
    async def ready(request: Request) -> dict[str, str] | JSONResponse:
        down = await request.app.state.clients.unhealthy()
        if down:
            return problems.problem(request, 503, f"not serving: {', '.join(down)}")
        return {"status": "ready"}

    _add_edge(app, settings, authenticator)
    return app


def _add_edge(app: FastAPI, settings: Settings, authenticator: Authenticator) -> None:
    """The middleware, outermost first: trace, crash as problem, authentication (headers only),
    rate limit, body limit (the body is read only here), idempotency, then the routes."""
    refuse = problems.send_problem
    app.add_middleware(
        Idempotency,
        store=lambda: app.state.stores.idempotency,
        ttl=timedelta(hours=settings.idempotency_ttl_hours),
        wait_seconds=settings.idempotency_wait_seconds,
        refuse=refuse,
    )
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        refuse=refuse,
    )
    buckets = TokenBuckets(settings.rate_limit_per_second, settings.rate_limit_burst)
    app.add_middleware(RateLimit, buckets=buckets, refuse=refuse)
    app.add_middleware(
        Authentication,
        authenticator=lambda: authenticator,
        machines=lambda: app.state.api_keys,
        refuse=refuse,
    )
    app.add_middleware(problems.CrashAsProblem)
    app.add_middleware(TraceContext)
