"""The REST API: /api/v1 for clients, /health for probes, OpenAPI at /openapi.json and /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from opentelemetry import context as otel_context
from opentelemetry import trace

from gateway import problems
from gateway.auth import Authentication, Authenticator
from gateway.clients import Clients
from gateway.config import Settings
from gateway.routes import billing, catalog, customers, inventory, orders, procurement, quotes
from servicekit.telemetry import extract_trace_context, inject_trace_context

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


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


def create_app(settings: Settings, clients: Clients | None = None) -> FastAPI:
    """The API; UnsafeKey when its token keys are missing, weak or published development keys
    outside development mode."""
    authenticator = Authenticator.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.clients = clients or Clients.connect(settings)
        yield
        await app.state.clients.close()

    app = FastAPI(
        title="Order management suite",
        version="1",
        description="Catalog, orders, inventory and shipping, billing, quoting and procurement.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    if clients is not None:
        app.state.clients = clients
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

    # the last added runs first: trace, then authentication, then the routes
    app.add_middleware(
        Authentication, authenticator=lambda: authenticator, refuse=problems.send_problem
    )
    app.add_middleware(TraceContext)
    return app
