"""gRPC both ways: a server with health checking, reflection and one interceptor that sets who
is acting, continues the caller's trace and turns `ServiceError`s into status codes; and client
channels that send the same metadata onwards."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import grpc
from google.protobuf import any_pb2
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status
from opentelemetry import context as otel_context
from opentelemetry import trace

from servicekit.context import Principal, acting, causation_id, correlation_id, current_principal
from servicekit.errors import FieldViolation, ServiceError
from servicekit.telemetry import extract_trace_context, inject_trace_context

# gRPC's default 4 MiB would refuse a 5 MiB picture or a 1,000-line quote with every figure.
MESSAGE_LIMITS = [
    ("grpc.max_receive_message_length", 16 * 1024 * 1024),
    ("grpc.max_send_message_length", 16 * 1024 * 1024),
]

log = logging.getLogger(__name__)

SUBJECT_KEY = "x-oms-subject"
ROLES_KEY = "x-oms-roles"
CORRELATION_KEY = "x-oms-correlation-id"

Registration = tuple[Callable[[Any, grpc.aio.Server], None], object]


def _status_for(error: ServiceError) -> grpc.Status:
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.description
                )
                for v in error.violations
            ]
        )
    )
    status = status_pb2.Status(
        code=getattr(code_pb2, error.code.name), message=error.message, details=[detail]
    )
    return rpc_status.to_status(status)


def _wrap(behavior: Callable[..., Awaitable[Any]], method: str) -> Callable[..., Awaitable[Any]]:
    tracer = trace.get_tracer("servicekit.grpc")

    async def handle(request: Any, context: grpc.aio.ServicerContext) -> Any:
        metadata = {k: v for k, v in context.invocation_metadata() or () if isinstance(v, str)}
        roles = tuple(r for r in metadata.get(ROLES_KEY, "").split(",") if r)
        principal = Principal(metadata.get(SUBJECT_KEY, "anonymous"), roles)
        token = otel_context.attach(extract_trace_context(metadata))
        try:
            with (
                tracer.start_as_current_span(method, kind=trace.SpanKind.SERVER),
                acting(principal, metadata.get(CORRELATION_KEY)),
            ):
                try:
                    return await behavior(request, context)
                except ServiceError as error:
                    await context.abort_with_status(_status_for(error))
        finally:
            otel_context.detach(token)

    return handle


class _ServerInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        if handler is None or handler.unary_unary is None or details.method.startswith("/grpc."):
            return handler
        return grpc.unary_unary_rpc_method_handler(
            _wrap(handler.unary_unary, details.method),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


async def start_server(
    registrations: Sequence[Registration], service_names: Sequence[str], host: str, port: int
) -> grpc.aio.Server:
    """Starts a server for `registrations` (add_XServicer_to_server, servicer) plus health and
    reflection, and reports every service SERVING."""
    server = grpc.aio.server(interceptors=[_ServerInterceptor()], options=MESSAGE_LIMITS)
    for add, servicer in registrations:
        add(servicer, server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    server.add_insecure_port(f"{host}:{port}")
    await server.start()
    for name in ("", *service_names):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("gRPC listening on %s:%s", host, port)
    return server


def outgoing_metadata() -> tuple[tuple[str, str], ...]:
    """Who is acting and the trace, for a call made on their behalf."""
    principal = current_principal()
    entries = {
        SUBJECT_KEY: principal.subject,
        ROLES_KEY: ",".join(principal.roles),
        CORRELATION_KEY: correlation_id(),
        **inject_trace_context(),
    }
    cause = causation_id()
    if cause:
        entries["x-oms-causation-id"] = cause
    return tuple(entries.items())


class _ClientInterceptor(grpc.aio.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], details: Any, request: Any
    ) -> Any:
        metadata = grpc.aio.Metadata(*tuple(details.metadata or ()), *outgoing_metadata())
        details = details._replace(metadata=metadata)
        return await continuation(details, request)


def open_channel(target: str) -> grpc.aio.Channel:
    """A long-lived channel to another service; reuse it for every call."""
    return grpc.aio.insecure_channel(
        target, options=MESSAGE_LIMITS, interceptors=[_ClientInterceptor()]
    )


def violations_of(error: grpc.aio.AioRpcError) -> tuple[FieldViolation, ...]:
    """The field details a server attached to an error, if any."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin" and isinstance(value, bytes):
            status = status_pb2.Status.FromString(value)
            found: list[FieldViolation] = []
            for detail in status.details:
                bad_request = error_details_pb2.BadRequest()
                if detail.Unpack(bad_request):
                    found += [
                        FieldViolation(v.field, v.description) for v in bad_request.field_violations
                    ]
            return tuple(found)
    return ()


def timestamp(value: datetime) -> Timestamp:
    """A protobuf Timestamp for an aware datetime."""
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp
