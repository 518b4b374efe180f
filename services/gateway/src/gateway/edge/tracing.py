"""The W3C trace each request runs in: continued from the caller's `traceparent`, or started."""

from __future__ import annotations

from opentelemetry import context as otel_context
from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.metrics import route_template
from servicekit.telemetry import extract_trace_context, inject_trace_context


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
            with self.tracer.start_as_current_span(name, kind=trace.SpanKind.SERVER) as span:
                traceparent = inject_trace_context().get("traceparent", "")

                async def send_with_trace(message: Message) -> None:
                    if message["type"] == "http.response.start" and traceparent:
                        message["headers"] = [
                            *message.get("headers", []),
                            (b"traceparent", traceparent.encode()),
                        ]
                    await send(message)

                await self.app(scope, receive, send_with_trace)
                # named after the route matched (`/sales-orders/{order_id}`), not the path: an
                # operation per route in the trace viewer, not one per order
                span.update_name(f"{scope['method']} {route_template(scope)}")
        finally:
            otel_context.detach(token)
