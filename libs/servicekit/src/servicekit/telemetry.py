"""Tracing (W3C trace context through REST, gRPC and Kafka) and structured logs.

Spans are always started so the trace id reaches logs and event headers; they are recorded and
exported over OTLP/HTTP only when the standard OpenTelemetry variables name an endpoint:
OTEL_EXPORTER_OTLP_ENDPOINT (a base URL, `/v1/traces` is added) or
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL), with OTEL_EXPORTER_OTLP_HEADERS,
_CERTIFICATE, _TIMEOUT, _COMPRESSION and the rest read by the exporter itself;
OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the process, OTEL_TRACES_SAMPLER (and
_ARG) sample, and OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true turn export off. A
process that exports nothing records nothing: its spans only carry the trace on
(`PropagatingTracer`), at a fifth of a recorded span's cost.
"""

from __future__ import annotations

import json
import logging
import os
import random
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import Link, NonRecordingSpan, Span, SpanContext, SpanKind, TraceFlags
from opentelemetry.util.types import Attributes


def exports_traces(environ: Mapping[str, str]) -> bool:
    """Whether the standard variables ask for OTLP export."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() in ("none", ""):
        return False
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    )


def configure_tracing(service_name: str, exporter: SpanExporter | None = None) -> None:
    """The process's tracer provider: `service_name` unless OTEL_SERVICE_NAME says otherwise,
    the sampler of OTEL_TRACES_SAMPLER (parent-based, always on by default), exporting to
    `exporter` (tests), else over OTLP/HTTP when the environment names an endpoint."""
    if exporter is None and exports_traces(os.environ):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
            OTLPSpanExporter,
        )

        exporter = OTLPSpanExporter()  # endpoint, headers, TLS, timeout from OTEL_* variables
    if exporter is None:  # nothing leaves: record nothing, carry the trace on
        trace.set_tracer_provider(PropagatingTracerProvider())
        return
    name = os.environ.get("OTEL_SERVICE_NAME") or service_name
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)


class PropagatingTracer(trace.Tracer):
    """The tracer of a process that exports no spans. Each span records nothing (no attributes,
    events or timings kept) but is a new span of its parent's trace with the parent's sampled
    flag, or of a new sampled trace without a parent, so trace ids still reach logs and the
    headers of calls and events, and the services that do export keep their spans under it
    (a sampler that dropped spans would mark the trace unsampled for everyone after it)."""

    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> Span:
        parent = trace.get_current_span(context).get_span_context()
        span_id = random.getrandbits(64) or 1
        if parent.is_valid:
            carried = SpanContext(
                parent.trace_id, span_id, False, parent.trace_flags, parent.trace_state
            )
        else:
            sampled = TraceFlags(TraceFlags.SAMPLED)
            carried = SpanContext(random.getrandbits(128) or 1, span_id, False, sampled)
        return NonRecordingSpan(carried)

    # The API types its manager with a private class; contextlib's is used the same way. The
    # rest of the API's arguments (kind, attributes, links, ...) shape a recorded span only.
    @contextmanager
    def start_as_current_span(  # type: ignore[override]
        self, name: str, context: Context | None = None, *_: object, **__: object
    ) -> Iterator[Span]:
        span = self.start_span(name, context)
        with trace.use_span(span, end_on_exit=False) as current:
            yield current


class PropagatingTracerProvider(trace.TracerProvider):
    def get_tracer(self, *args: object, **kwargs: object) -> trace.Tracer:
        return _PROPAGATING


_PROPAGATING = PropagatingTracer()


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def inject_trace_context() -> dict[str, str]:
    """The current span's `traceparent` (and `tracestate`) as carrier entries."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def extract_trace_context(carrier: Mapping[str, str]) -> Context:
    return propagate.extract(dict(carrier))


def current_trace_id() -> str | None:
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, carrying the trace id so a log line finds its trace."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        trace_id = current_trace_id()
        if trace_id:
            entry["trace_id"] = trace_id
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(service: str, level: str = "INFO", log_dir: str | None = None) -> None:
    """JSON lines to stderr, or to `<log_dir>/<service>.jsonl` instead when given: one place
    per process, never the same lines twice."""
    handler: logging.Handler = logging.StreamHandler(sys.stderr)
    if log_dir:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(Path(log_dir) / f"{service}.jsonl")
    root = logging.getLogger()
    root.handlers.clear()
    handler.setFormatter(JsonLogFormatter(service))
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("aiokafka", "sqlalchemy.engine", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
