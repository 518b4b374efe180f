"""`python -m bench.span_cost`: the CPU a consumed event's trace costs in-process (the trace
context read from its headers, a consumer span around the handler), with the SDK's recording
tracer (a process that exports its spans) and with servicekit's propagating one (a process that
exports nothing). Prints microseconds per event, best of a few rounds."""

from __future__ import annotations

import argparse
import time

from opentelemetry import context, trace
from opentelemetry.sdk.trace import TracerProvider

from servicekit.telemetry import PropagatingTracer, extract_trace_context

_CARRIER = {"traceparent": f"00-{'ab' * 16}-{'cd' * 8}-01"}
_ATTRIBUTES = {
    "messaging.system": "kafka",
    "messaging.destination.name": "oms.billing.invoice.v1",
    "messaging.operation": "process",
    "messaging.consumer.group.name": "oms.orders",
    "messaging.message.id": "0f5b0b9e-4a4e-4f7e-9a0c-2f0d1d8f6d1b",
}


def per_event(tracer: trace.Tracer, events: int) -> float:
    """Microseconds of CPU per consumed event's tracing."""
    started = time.process_time()
    for _ in range(events):
        token = context.attach(extract_trace_context(_CARRIER))
        try:
            with tracer.start_as_current_span(
                "consume", kind=trace.SpanKind.CONSUMER, attributes=_ATTRIBUTES
            ):
                pass
        finally:
            context.detach(token)
    return (time.process_time() - started) / events * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.span_cost", description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    tracers = {
        "recording (SDK, exporting)": TracerProvider().get_tracer("bench"),
        "propagating (exports nothing)": PropagatingTracer(),
    }
    for name, tracer in tracers.items():
        best = min(per_event(tracer, args.events) for _ in range(args.rounds))
        print(f"{name:32} {best:6.1f} us per consumed event")


if __name__ == "__main__":
    main()
