"""messaging.tracing: the relay's send span sits between the transaction that wrote the outbox
row and the consumer that applies the event, with the messaging attributes."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from messaging.tracing import published_headers

WRITER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def tracer() -> tuple[trace.Tracer, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("test"), exporter


def test_the_send_span_continues_the_writer_s_trace_and_the_event_points_at_it() -> None:
    test_tracer, exporter = tracer()
    stored = [
        ["ce_id", "e-1"],
        ["ce_type", "oms.orders.SalesOrderPlaced.v1"],
        ["traceparent", WRITER],
    ]
    headers = dict(published_headers(test_tracer, "oms.orders.sales-order.v1", stored))
    (span,) = exporter.get_finished_spans()
    assert span.kind == trace.SpanKind.PRODUCER
    assert span.name == "send oms.orders.sales-order.v1"
    assert format(span.context.trace_id, "032x") == WRITER.split("-")[1]
    assert span.parent is not None
    assert format(span.parent.span_id, "016x") == WRITER.split("-")[2]
    assert span.attributes is not None
    assert span.attributes["messaging.system"] == "kafka"
    assert span.attributes["messaging.destination.name"] == "oms.orders.sales-order.v1"
    assert span.attributes["messaging.message.id"] == "e-1"
    _, trace_id, parent_id, _ = headers["traceparent"].decode().split("-")
    assert (trace_id, parent_id) == (WRITER.split("-")[1], format(span.context.span_id, "016x"))
    assert headers["ce_id"] == b"e-1"


def test_a_row_without_a_trace_is_sent_as_it_was_and_records_no_span() -> None:
    test_tracer, exporter = tracer()
    stored = [["ce_id", "e-2"], ["ce_type", "x"]]
    assert published_headers(test_tracer, "t", stored) == [("ce_id", b"e-2"), ("ce_type", b"x")]
    assert exporter.get_finished_spans() == ()
