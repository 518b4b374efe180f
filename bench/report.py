"""The order-flow report in Markdown: closed loop, open loop, ceiling, plots, optimizations."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.ceiling import Ceiling, UnitCost
from bench.ceiling import report as ceiling_report
from bench.closed_loop import ClosedResult
from bench.connections import Opened
from bench.open_loop import POLL_S, OpenResult
from bench.stats import machine, percentiles

OPTIMIZATIONS = Path(__file__).parent / "optimizations.md"


@dataclass(frozen=True)
class Cpu:
    """CPU seconds used during a phase: by stack process, and by the load generator."""

    stack: Mapping[str, float]
    own: float

    def stack_total(self) -> float:
        return sum(self.stack.values())


def line(name: str, values_ms: Sequence[float]) -> str:
    if not values_ms:
        return f"| {name} | 0 | - | - | - | - |"
    p = percentiles(values_ms)
    figures = " | ".join(f"{p[k]:.1f}" for k in ("p50", "p95", "p99", "max"))
    return f"| {name} | {len(values_ms)} | {figures} |"


def header(command: str) -> list[str]:
    return [
        "# Order-to-cash benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; everything (Kafka,"
        " PostgreSQL, 6 services, gateway, this load generator) on the same machine."
        f" Command: `{command}`.",
        "",
    ]


def closed_section(result: ClosedResult, cpu: Cpu, opened: Mapping[str, Opened]) -> list[str]:
    n = result.count
    rows = [
        "## Closed loop (peak throughput)",
        "",
        f"- {n} orders, {result.concurrency} requests in flight",
        f"- placing: {result.accepted_per_s:.0f} orders/s accepted by the API"
        f" ({result.placed_s:.1f} s)",
        f"- placed -> all reserved: {result.reserved_s:.1f} s after the first order",
        f"- shipping -> all invoiced: {result.invoiced_s:.1f} s",
        f"- **end to end** (first order placed -> last invoice recorded on its order, including"
        f" the shipping requests): **{result.end_to_end_per_s:.1f} orders/s**",
        f"- **stack CPU per order: {cpu.stack_total() * 1000 / n:.1f} ms**; the load generator's"
        f" own (this process and its database sessions' backends, apart):"
        f" {cpu.own * 1000 / n:.1f} ms",
        "",
        "Latencies in a closed loop hide queueing (coordinated omission); see the open loop.",
        "",
        "| measure (ms) | n | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|---|",
        line("POST /sales-orders (gateway -> catalog, orders, commit)", result.place_ms),
        line("POST /shipments (gateway -> inventory, commit)", result.ship_ms),
        *[line(name, values) for name, values in result.hops.items() if values],
        "",
        "| process | CPU ms per order (whole flow) |",
        "|---|---|",
    ]
    for name, seconds in sorted(cpu.stack.items(), key=lambda x: -x[1]):
        rows.append(f"| {name} | {seconds * 1000 / n:.2f} |")
    rows += [
        f"| all of the stack | {cpu.stack_total() * 1000 / n:.2f} |",
        f"| load generator (bench process and its polling sessions, apart) |"
        f" {cpu.own * 1000 / n:.2f} |",
        "",
        *connections_table(opened, n),
    ]
    return rows


def connections_table(opened: Mapping[str, Opened], orders: int) -> list[str]:
    """Connections the stack opened to PostgreSQL during the run, and closed again, by
    database: counts that do not drift with the machine's pace (bench/connections.py)."""
    rows = [
        "Connections the stack opened to PostgreSQL during the run, and closed again before its"
        " end (PostgreSQL's own counts, the load generator's sessions apart): a pool growing to"
        " its size opens connections once; one opened and closed again under load cost a new"
        " backend's cold caches and its statements prepared again.",
        "",
        "| database | opened | closed again | opened per 1,000 orders |",
        "|---|---|---|---|",
    ]
    for name, count in sorted(opened.items(), key=lambda x: (-x[1].opened, x[0])):
        rows.append(
            f"| {name} | {count.opened} | {count.closed} | {count.opened * 1000 / orders:.0f} |"
        )
    total = Opened(sum(c.opened for c in opened.values()), sum(c.closed for c in opened.values()))
    rows += [
        f"| all | {total.opened} | {total.closed} | {total.opened * 1000 / orders:.0f} |",
        "",
    ]
    return rows


def _p(values: Sequence[float]) -> str:
    if not values:
        return "- | - | -"
    p = percentiles(values)
    return f"{p['p50']:.0f} | {p['p95']:.0f} | {p['p99']:.0f}"


def open_section(results: Sequence[OpenResult], plots: Sequence[Path], folder: Path) -> list[str]:
    rows = [
        "## Open loop (fixed offered rate, no coordinated omission)",
        "",
        "Orders are sent on a schedule (evenly spaced) whether or not earlier ones were answered;"
        " each latency counts from the order's intended send time, and an order not done when"
        " the run stopped waiting counts as that long (a lower bound). Each order is shipped as"
        f" soon as the poller (every {POLL_S * 1000:.0f} ms, on the orders' database) sees it"
        " reserved; completion is intended send -> invoiced as the poller sees it.",
        "",
        "| offered/s | s | orders | accepted/s | completed/s | done | placement p50 | p95 |"
        " p99 | placed -> invoiced p50 | p95 | p99 | stack CPU ms/order |"
        " generator CPU ms/order |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        n = len(r.tracks)
        placement, _ = r.placement_ms()
        completion, _ = r.completion_ms()
        stack_ms = sum(r.stack_cpu_s.values()) * 1000 / n
        rows.append(
            f"| {r.rate:g} | {r.duration:g} | {n} | {r.accepted_per_s():.1f} |"
            f" {r.completed_per_s():.1f} | {r.completed()}/{n} | {_p(placement)} |"
            f" {_p(completion)} | {stack_ms:.1f} | {r.own_cpu_s * 1000 / n:.1f} |"
        )
    rows += ["", *_open_cpu_by_process(results)]
    errors = [e for r in results for e in r.errors()]
    if errors:
        rows += ["", f"{len(errors)} requests failed; the first: `{errors[0]}`"]
    rows.append("")
    for plot in plots:
        rows += [f"![{plot.stem}]({os.path.relpath(plot, folder)})", ""]
    return rows


def _open_cpu_by_process(results: Sequence[OpenResult]) -> list[str]:
    """CPU ms per order by process at each offered rate: where the unbatched cost of a low rate
    goes, which the closed loop's batches hide."""
    if not results:
        return []
    names = sorted(results[0].stack_cpu_s, key=lambda name: -results[0].stack_cpu_s[name])
    rows = [
        "| process (CPU ms per order) | " + " | ".join(f"{r.rate:g}/s" for r in results) + " |",
        "|---" * (len(results) + 1) + "|",
    ]
    for name in names:
        figures = " | ".join(
            f"{r.stack_cpu_s.get(name, 0.0) * 1000 / len(r.tracks):.2f}" for r in results
        )
        rows.append(f"| {name} | {figures} |")
    return rows


def optimizations_section() -> list[str]:
    """bench/optimizations.md, verbatim, under its own heading."""
    text = OPTIMIZATIONS.read_text().strip() if OPTIMIZATIONS.exists() else "(none listed yet)"
    return ["## Optimizations", "", text, ""]


@dataclass
class Report:
    command: str
    folder: Path
    # the closed loop's result, its CPU, and the connections the stack opened by database
    closed: tuple[ClosedResult, Cpu, Mapping[str, Opened]] | None = None
    opened: Sequence[OpenResult] = ()
    plots: Sequence[Path] = ()
    ceiling: tuple[Mapping[str, UnitCost], Ceiling] | None = None

    def render(self) -> str:
        rows = header(self.command)
        if self.closed is not None:
            rows += closed_section(*self.closed)
        if self.opened or self.plots:
            rows += open_section(self.opened, self.plots, self.folder)
        if self.ceiling is not None:
            units, ceiling = self.ceiling
            suite, cpu_ms, label = self.suite_figures()
            rows += ceiling_report(units, ceiling, suite, cpu_ms, label)
        rows += optimizations_section()
        return "\n".join(rows)

    def suite_figures(self) -> tuple[float | None, float | None, str]:
        """The suite's orders/s and stack CPU ms per order to set against the ceiling: the
        closed loop's, else the open loop's best completed rate."""
        if self.closed is not None:
            result, cpu, _ = self.closed
            cpu_ms = cpu.stack_total() * 1000 / result.count
            return result.end_to_end_per_s, cpu_ms, "closed loop, end to end"
        if self.opened:
            best = max(self.opened, key=lambda r: r.completed_per_s())
            cpu_ms = sum(best.stack_cpu_s.values()) * 1000 / len(best.tracks)
            label = f"open loop, completed at {best.rate:g}/s offered"
            return best.completed_per_s(), cpu_ms, label
        return None, None, ""
