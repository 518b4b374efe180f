"""gRPC both ways over mutual TLS: a server with health checking, reflection and one interceptor
that admits each call by its verified caller and token (servicekit.access), continues the caller's
trace and turns `ServiceError`s into status codes; and client channels that present this
process's certificate and send the trace (and, from the gateway, the person's token) onwards.

Health is also served without TLS on a port of its own, for probes that hold no certificate."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
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

from servicekit.access import Access, bearer
from servicekit.context import acting, causation_id, correlation_id, credentials
from servicekit.db_errors import is_transient
from servicekit.errors import FieldViolation, ServiceError
from servicekit.health import HealthCheck, HealthWatch
from servicekit.metrics import GrpcServerMetrics
from servicekit.request_checks import check_request
from servicekit.telemetry import extract_trace_context, inject_trace_context
from servicekit.tls import TlsFiles, peer_of

# gRPC's default 4 MiB would refuse a 5 MiB picture or a 1,000-line quote with every figure.
MESSAGE_LIMITS = [
    ("grpc.max_receive_message_length", 16 * 1024 * 1024),
    ("grpc.max_send_message_length", 16 * 1024 * 1024),
]
# A caller should find a restarted service within about a second. gRPC's default reconnect
# backoff grows by 1.6 times per failed attempt up to two minutes, so a service that was down
# for ten seconds looked down for several more after it was back.
RECONNECT_BACKOFF = [
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 1000),
]
CHANNEL_OPTIONS = [*MESSAGE_LIMITS, *RECONNECT_BACKOFF]

log = logging.getLogger(__name__)

CORRELATION_KEY = "x-oms-correlation-id"
CAUSATION_KEY = "x-oms-causation-id"
# Status messages travel in HTTP/2 trailers: a message echoing a huge input must not outgrow them.
_MESSAGE_LIMIT = 500

Registration = tuple[Callable[[Any, grpc.aio.Server], None], object]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _status_for(error: ServiceError) -> grpc.Status:
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=_clip(v.field, 200), description=_clip(v.description, _MESSAGE_LIMIT)
                )
                for v in error.violations[:50]
            ]
        )
    )
    status = status_pb2.Status(
        code=getattr(code_pb2, error.code.value),
        message=_clip(error.message, _MESSAGE_LIMIT),
        details=[detail],
    )
    return rpc_status.to_status(status)


def _wrap(
    behavior: Callable[..., Awaitable[Any]],
    method: str,
    access: Access,
    metrics: GrpcServerMetrics | None,
) -> Callable[..., Awaitable[Any]]:
    handle = _admitted(behavior, method, access)
    if metrics is None:
        return handle

    async def measured(request: Any, context: grpc.aio.ServicerContext) -> Any:
        began = time.perf_counter()
        try:
            return await handle(request, context)
        finally:
            code = context.code()  # set by an abort; None when the call succeeded
            name = code.name if isinstance(code, grpc.StatusCode) else "OK"
            metrics.observe(method, name, time.perf_counter() - began)

    return measured


def _admitted(
    behavior: Callable[..., Awaitable[Any]], method: str, access: Access
) -> Callable[..., Awaitable[Any]]:
    tracer = trace.get_tracer("servicekit.grpc")

    async def handle(request: Any, context: grpc.aio.ServicerContext) -> Any:
        metadata = {k: v for k, v in context.invocation_metadata() or () if isinstance(v, str)}
        # the caller's trace first, so even a refusal's log line carries its trace id
        token = otel_context.attach(extract_trace_context(metadata))
        try:
            try:
                principal = access.admit(method, peer_of(context.auth_context()), bearer(metadata))
            except ServiceError as error:
                log.info("refused %s: %s", method, error.message)
                await context.abort_with_status(_status_for(error))
            with (
                tracer.start_as_current_span(method, kind=trace.SpanKind.SERVER),
                acting(principal, metadata.get(CORRELATION_KEY), metadata.get(CAUSATION_KEY)),
            ):
                try:
                    check_request(request)
                    return await behavior(request, context)
                except ServiceError as error:
                    log.info("%s answered %s: %s", method, error.code.value, error.message)
                    await context.abort_with_status(_status_for(error))
                except Exception as error:
                    if not is_transient(error):
                        raise
                    # the database restarting or out of connections: the caller may try again
                    log.warning("%s could not reach its database: %s", method, type(error).__name__)
                    await context.abort(grpc.StatusCode.UNAVAILABLE, "try again shortly")
        finally:
            otel_context.detach(token)

    return handle


class _ServerInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    def __init__(self, access: Access, metrics: GrpcServerMetrics | None) -> None:
        self.access = access
        self.metrics = metrics

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        # health and reflection: every peer that completed the mutual TLS handshake may ask
        if handler is None or details.method.startswith("/grpc."):
            return handler
        if handler.unary_unary is None:
            raise TypeError(f"{details.method}: only unary RPCs are served")
        return grpc.unary_unary_rpc_method_handler(
            _wrap(handler.unary_unary, details.method, self.access, self.metrics),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


@dataclass
class GrpcServers:
    """The API server (mutual TLS) and, when a port is given, the plain probe server (health
    only); stopped together."""

    api: grpc.aio.Server
    probes: grpc.aio.Server | None
    watch: asyncio.Task[None] | None = None

    async def stop(self, grace: float | None) -> None:
        if self.watch is not None:
            self.watch.cancel()
        await asyncio.gather(
            self.api.stop(grace), *([self.probes.stop(grace)] if self.probes else [])
        )


async def start_server(
    registrations: Sequence[Registration],
    service_names: Sequence[str],
    *,
    host: str,
    port: int,
    tls: TlsFiles,
    access: Access,
    health_port: int | None = None,
    metrics: GrpcServerMetrics | None = None,
    health_checks: Sequence[HealthCheck] = (),
) -> GrpcServers:
    """Starts a server for `registrations` (add_XServicer_to_server, servicer) plus health and
    reflection on `port` (mutual TLS), health alone on `health_port` (plain), and reports every
    service SERVING; with `metrics`, counts and times every RPC by method and status code.
    `health_checks` (servicekit.health) turn every status NOT_SERVING while one reports a
    problem."""
    server = grpc.aio.server(
        interceptors=[_ServerInterceptor(access, metrics)], options=MESSAGE_LIMITS
    )
    for add, servicer in registrations:
        add(servicer, server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    server.add_secure_port(f"{host}:{port}", tls.server_credentials())
    probes = None
    if health_port:
        probes = grpc.aio.server()
        health_pb2_grpc.add_HealthServicer_to_server(health_servicer, probes)
        # so `grpcurl -plaintext <host>:<health port> grpc.health.v1.Health/Check` works too
        reflection.enable_server_reflection([health.SERVICE_NAME, reflection.SERVICE_NAME], probes)
        probes.add_insecure_port(f"{host}:{health_port}")
        await probes.start()
    await server.start()
    for name in ("", *service_names):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("gRPC listening on %s:%s (mutual TLS), health on %s", host, port, health_port)
    watch = HealthWatch(health_servicer, ("", *service_names), health_checks)
    return GrpcServers(server, probes, asyncio.create_task(watch.run()) if health_checks else None)


def outgoing_metadata() -> tuple[tuple[str, str], ...]:
    """The trace and, when there is one, the token of the person this call is made for."""
    entries = {CORRELATION_KEY: correlation_id(), **inject_trace_context()}
    cause = causation_id()
    if cause:
        entries[CAUSATION_KEY] = cause
    token = credentials()
    if token:
        entries["authorization"] = f"Bearer {token}"
    return tuple(entries.items())


class _ClientInterceptor(grpc.aio.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], details: Any, request: Any
    ) -> Any:
        metadata = grpc.aio.Metadata(*tuple(details.metadata or ()), *outgoing_metadata())
        details = details._replace(metadata=metadata)
        return await continuation(details, request)


def open_channel(
    target: str,
    tls: TlsFiles,
    interceptor: grpc.aio.UnaryUnaryClientInterceptor | None = None,
) -> grpc.aio.Channel:
    """A long-lived channel to another service, presenting this process's certificate; reuse
    it for every call. Each call carries `outgoing_metadata()`, added by `interceptor` when one
    is given (it must do so itself), else by servicekit's own."""
    return grpc.aio.secure_channel(
        target,
        tls.channel_credentials(),
        options=CHANNEL_OPTIONS,
        interceptors=[interceptor or _ClientInterceptor()],
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
