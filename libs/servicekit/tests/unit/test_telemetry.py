"""servicekit.telemetry: the standard OpenTelemetry variables decide export, and each process
logs in one place, with the trace id."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from servicekit import telemetry
from servicekit.telemetry import configure_logging, current_trace_id, exports_traces


@pytest.mark.parametrize(
    ("environ", "exported"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}, False),
    ],
)
def test_the_standard_variables_decide_whether_traces_leave(
    environ: dict[str, str], exported: bool
) -> None:
    assert exports_traces(environ) is exported


def test_the_service_name_is_the_process_s_unless_otel_service_name_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed: list[TracerProvider] = []
    monkeypatch.setattr(trace, "set_tracer_provider", installed.append)
    exporter = InMemorySpanExporter()
    telemetry.configure_tracing("orders", exporter)
    monkeypatch.setenv("OTEL_SERVICE_NAME", "orders-eu")
    telemetry.configure_tracing("orders", exporter)
    names = [p.resource.attributes["service.name"] for p in installed]
    assert names == ["orders", "orders-eu"]
    with installed[0].get_tracer("t").start_as_current_span("work"):
        pass
    installed[0].force_flush()
    assert [span.name for span in exporter.get_finished_spans()] == ["work"]


def test_with_a_log_dir_lines_go_to_the_file_only_and_carry_the_trace_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = TracerProvider()
    configure_logging("billing", "INFO", str(tmp_path))
    try:
        with provider.get_tracer("t").start_as_current_span("handling"):
            trace_id = current_trace_id()
            logging.getLogger("billing.test").info("invoice issued")
    finally:
        configure_logging("billing", "INFO", None)  # back to stderr for the other tests
    (line,) = (tmp_path / "billing.jsonl").read_text().splitlines()
    entry = json.loads(line)
    assert entry["message"] == "invoice issued"
    assert trace_id is not None
    assert entry["trace_id"] == trace_id
    assert "invoice issued" not in capsys.readouterr().err


def test_a_process_that_exports_nothing_records_nothing_but_carries_the_trace_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed: list[trace.TracerProvider] = []
    monkeypatch.setattr(trace, "set_tracer_provider", installed.append)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    telemetry.configure_tracing("orders")
    tracer = installed[0].get_tracer("t")
    for flags in ("01", "00"):  # the caller's sampled flag goes on as it came
        caller = f"00-{'ab' * 16}-{'cd' * 8}-{flags}"
        token = otel_context.attach(telemetry.extract_trace_context({"traceparent": caller}))
        try:
            with tracer.start_as_current_span("consume", kind=trace.SpanKind.CONSUMER) as span:
                assert not span.is_recording()
                span.set_attribute("ignored", 1)  # accepted, kept nowhere
                assert current_trace_id() == "ab" * 16
                sent = telemetry.inject_trace_context()["traceparent"]
        finally:
            otel_context.detach(token)
        version, trace_id, span_id, sent_flags = sent.split("-")
        assert (version, trace_id, sent_flags) == ("00", "ab" * 16, flags)
        assert span_id not in ("cd" * 8, "0" * 16), "a span of its own"
    with tracer.start_as_current_span("request") as first:
        with tracer.start_as_current_span("step") as second:
            assert second.get_span_context().trace_id == first.get_span_context().trace_id
        assert first.get_span_context().trace_flags.sampled, "a new trace is sampled"
    with tracer.start_as_current_span("another") as third:
        assert third.get_span_context().trace_id != first.get_span_context().trace_id
    assert trace.get_current_span() is trace.INVALID_SPAN, "the context is restored"
