"""End-to-end benchmark of the order-to-cash flow on one machine.

    make bench     # closed loop, an open-loop sweep and the ceiling, then the other benchmarks
    python -m bench.order_flow --orders 400 --concurrency 16             # closed loop
    python -m bench.order_flow --mode open --rate 50 --duration 30       # one offered rate
    python -m bench.order_flow --mode open --rates 10,25,50 --duration 15  # a sweep
    python -m bench.order_flow --mode both --rates 10,50 --ceiling --report /tmp/flow.md

Starts its own stack (real Kafka, PostgreSQL, every service, the gateway), then:
- closed loop (bench.closed_loop): N orders with C in flight, waits until all are reserved,
  ships each, waits until all are invoiced; per-hop costs from the services' own timestamps;
- open loop (bench.open_loop): orders sent at a fixed rate on a schedule, each shipped once
  reserved, latencies from the intended send times; a sweep over several rates;
- ceiling (bench.ceiling, --ceiling): the bare infrastructure one order needs, measured on the
  same broker and database, and the suite's figure as a fraction of it.
CPU is read per process from /proc for the stack, and apart for this load generator; the
closed loop also counts the connections the stack opened to PostgreSQL, by database
(bench.connections: a count that, unlike CPU, does not drift with the machine's pace). Writes
the report (default bench/reports/order_flow.md) and its PNG plots beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from bench.ceiling import compose
from bench.ceiling_probes import measure_ceiling
from bench.closed_loop import ClosedResult, run_closed
from bench.connections import ConnectionCounter, Opened
from bench.cpu import CpuMeter
from bench.flow import Fixtures, prepare
from bench.open_loop import OpenResult, run_open
from bench.plots import LoadPoint, Series, latency_over_time, throughput_vs_offered
from bench.report import Cpu, Report
from bench.stack import PrivateStack, private_stack
from bench.stats import percentiles

REPORT = Path(__file__).parent / "reports" / "order_flow.md"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.order_flow")
    parser.add_argument(
        "--mode",
        choices=("closed", "open", "both"),
        default=None,
        help="closed loop, open loop, or both (default: open with --rates, else closed)",
    )
    parser.add_argument("--orders", type=int, default=400, help="closed loop: orders")
    parser.add_argument("--concurrency", type=int, default=16, help="closed loop: in flight")
    parser.add_argument("--rate", type=float, default=50, help="open loop: orders/s offered")
    parser.add_argument(
        "--rates", type=rates, default=None, help="open loop: a sweep, e.g. 10,25,50,75,100"
    )
    parser.add_argument("--duration", type=float, default=30, help="open loop: s per rate")
    parser.add_argument("--drain", type=float, default=30, help="open loop: s to wait after")
    parser.add_argument(
        "--ceiling",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="measure the bare infrastructure's ceiling in the same run",
    )
    parser.add_argument("--ceiling-scale", type=float, default=1.0, help="shorter ceiling: 0.25")
    parser.add_argument("--report", type=Path, default=REPORT, help="where the report goes")
    args = parser.parse_args(argv)
    if args.mode is None:
        args.mode = "open" if args.rates else "closed"
    return args


def rates(text: str) -> list[float]:
    values = [float(x) for x in text.split(",") if x.strip()]
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError("positive rates, comma-separated: 10,25,50")
    return values


def offered_rates(args: argparse.Namespace) -> list[float]:
    if args.mode == "closed":
        return []
    return list(args.rates) if args.rates else [args.rate]


async def closed_phase(
    private: PrivateStack, api: httpx.AsyncClient, fixtures: Fixtures, args: argparse.Namespace
) -> tuple[ClosedResult, Cpu, dict[str, Opened]]:
    meter = CpuMeter(private.stack, private.kafka, private.postgres)
    connections = ConnectionCounter(private.postgres.admin_url)
    await connections.start()
    meter.start()
    result = await run_closed(api, private.postgres, fixtures, args.orders, args.concurrency)
    stack, own = meter.stop()
    return result, Cpu(stack, own), await connections.stop()


async def open_phase(
    private: PrivateStack, api: httpx.AsyncClient, fixtures: Fixtures, args: argparse.Namespace
) -> list[OpenResult]:
    results: list[OpenResult] = []
    offset = args.orders if args.mode == "both" else 0
    for rate in offered_rates(args):
        print(f"open loop: {rate:g} orders/s for {args.duration:g} s...", flush=True)
        meter = CpuMeter(private.stack, private.kafka, private.postgres)
        meter.start()
        result = await run_open(
            api,
            private.postgres,
            fixtures,
            rate,
            args.duration,
            offset=offset,
            drain_s=args.drain,
        )
        result.stack_cpu_s, result.own_cpu_s = meter.stop()
        offset += len(result.tracks)
        done, _ = result.completion_ms()
        print(
            f"open loop: {rate:g}/s offered -> {result.completed_per_s():.1f}/s completed,"
            f" {result.completed()}/{len(result.tracks)} invoiced,"
            f" placed -> invoiced p99 {percentiles(done)['p99']:.0f} ms",
            flush=True,
        )
        results.append(result)
        await asyncio.sleep(2)  # let the last events settle before the next rate
    return results


def plots(report: Report, base: Path) -> list[Path]:
    series = [
        Series(f"open loop, {r.rate:g} orders/s offered", r.timeline()) for r in report.opened
    ]
    if report.closed is not None:
        closed = report.closed[0]
        label = f"closed loop, {closed.concurrency} in flight (placement only)"
        series.insert(0, Series(label, [(t, ms, None) for t, ms in closed.place_timeline]))
    made = [latency_over_time(series, base.with_name(f"{base.stem}-latency.png"))]
    if report.opened:
        points = [
            LoadPoint(
                r.rate,
                r.accepted_per_s(),
                r.completed_per_s(),
                percentiles(r.completion_ms()[0])["p99"],
            )
            for r in report.opened
        ]
        closed_rate = report.closed[0].end_to_end_per_s if report.closed else None
        path = base.with_name(f"{base.stem}-throughput.png")
        made.append(throughput_vs_offered(points, path, closed_rate))
    return made


async def run(args: argparse.Namespace, command: str) -> Report:
    report = Report(command, args.report.parent)
    stock = (args.orders + sum(r * args.duration for r in offered_rates(args))) * 10 + 1000
    async with private_stack() as private:
        connections = max(args.concurrency * 2, 512)
        async with private.api(connections=connections) as api:
            print("preparing the catalog, stock and customers...", flush=True)
            fixtures = await prepare(api, int(stock))
            if args.mode in ("closed", "both"):
                report.closed = await closed_phase(private, api, fixtures, args)
            if args.mode in ("open", "both"):
                report.opened = await open_phase(private, api, fixtures, args)
        if args.ceiling:
            units = await measure_ceiling(private, args.ceiling_scale)
            report.ceiling = (units, compose(units, os.cpu_count() or 1))
    return report


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    command = "python -m bench.order_flow " + " ".join(sys.argv[1:] if argv is None else argv)
    report = asyncio.run(run(args, command.strip()))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    report.plots = plots(report, args.report)
    text = report.render()
    args.report.write_text(text)
    print(text)
    print(f"written to {args.report} (plots: {', '.join(str(p) for p in report.plots)})")


if __name__ == "__main__":
    main()
