"""The Kafka hop of a trace: the relay's publish span (a child of the transaction that wrote the
outbox row) and the consumer's span per event (a child of that publish), both carrying the
OpenTelemetry messaging attributes, so a trace shows when each event left and arrived."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.util.types import AttributeValue

from messaging.envelope import Envelope
from servicekit.telemetry import extract_trace_context, inject_trace_context

_TRACE_HEADERS = ("traceparent", "tracestate")


def published_headers(
    tracer: trace.Tracer, topic: str, headers: Sequence[Sequence[str]]
) -> list[tuple[str, bytes]]:
    """An outbox row's headers for the broker, with a PRODUCER span recorded under the row's
    stored trace and the row's `traceparent` pointing at that span (so the consumer's span is
    its child). Rows written without a trace keep their headers as they are."""
    stored = {pair[0]: pair[1] for pair in headers}
    if "traceparent" not in stored:
        return [(name, value.encode()) for name, value in headers]
    attributes: dict[str, AttributeValue] = {
        "messaging.system": "kafka",
        "messaging.operation.type": "send",
        "messaging.destination.name": topic,
        "messaging.message.id": stored.get("ce_id", ""),
    }
    with tracer.start_as_current_span(
        f"send {topic}",
        context=extract_trace_context(stored),
        kind=trace.SpanKind.PRODUCER,
        attributes=attributes,
    ):
        continued = inject_trace_context()
    kept = [(name, value) for name, value in headers if name not in _TRACE_HEADERS]
    return [(name, value.encode()) for name, value in [*kept, *continued.items()]]


@contextmanager
def continued(envelope: Envelope) -> Iterator[None]:
    """The event's trace as the current one, without a span of its own: lines logged about the
    event outside its handler (retries, dead-lettering) carry its trace id."""
    token = otel_context.attach(extract_trace_context(envelope.trace_headers))
    try:
        yield
    finally:
        otel_context.detach(token)


def consumed_attributes(envelope: Envelope, group: str) -> dict[str, AttributeValue]:
    return {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.destination.name": envelope.topic,
        "messaging.consumer.group.name": group,
        "messaging.message.id": envelope.event_id,
    }
