"""The machine's ceiling for the order-to-cash flow: what the bare infrastructure one order needs
costs in CPU, composed from the units measured in bench.ceiling_probes, and the suite's figure
as a fraction of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bench.stats import percentiles

# What one order costs in infrastructure, from the flow's shape (placed -> reserved -> shipped
# -> invoiced as bench.order_flow drives it), counted for issue 13 on 2026-12-05. Recount them
# when the flow changes (an event added, a consumer group that stops reading a topic).
FLOW_COUNTS: dict[str, int] = {
    # POST /sales-orders and POST /shipments, through the gateway
    "http": 2,
    # the gateway's calls to the services behind those two requests
    "grpc": 3,
    # events the services' relays publish for one order (orders, inventory, billing)
    "produce": 10,
    # deliveries: each event read by every consumer group subscribed to its topic, including the
    # ones a group reads only to skip (9 of the 17 are status changes nobody handles)
    "consume": 17,
    # business transactions: the two commands, and one per event a consumer applies (inbox
    # claim, state change, outbox), not counting the relays' own (mark published)
    "transaction": 11,
}


@dataclass(frozen=True)
class UnitCost:
    """One measured unit of infrastructure."""

    name: str  # a key of FLOW_COUNTS
    label: str  # what was measured, for the report
    ops: int
    seconds: float  # wall time of the measurement
    stack_cpu_s: float  # CPU of what stands in for the stack (server, broker, database, clients)
    generator_cpu_s: float = 0.0  # CPU of what stands in for the load generator (HTTP client)
    latencies_ms: tuple[float, ...] = ()

    @property
    def ops_per_s(self) -> float:
        return self.ops / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_ms_per_op(self) -> float:
        return self.stack_cpu_s * 1000 / self.ops if self.ops else 0.0

    @property
    def generator_ms_per_op(self) -> float:
        return self.generator_cpu_s * 1000 / self.ops if self.ops else 0.0


@dataclass(frozen=True)
class Ceiling:
    cpu_ms_per_order: float  # the stack's side only
    generator_ms_per_order: float  # the load generator's share (its HTTP client)
    cores: int
    breakdown: dict[str, float]  # ms of CPU per order by unit

    @property
    def orders_per_s(self) -> float:
        """Orders/s if the stack did nothing but the bare infrastructure, on every core, with
        the load generator elsewhere."""
        return self.cores * 1000 / self.cpu_ms_per_order if self.cpu_ms_per_order > 0 else 0.0

    @property
    def orders_per_s_with_generator(self) -> float:
        """The same with the load generator sharing the cores, as in the benchmark."""
        total = self.cpu_ms_per_order + self.generator_ms_per_order
        return self.cores * 1000 / total if total > 0 else 0.0


def compose(
    units: Mapping[str, UnitCost], cores: int, counts: Mapping[str, int] = FLOW_COUNTS
) -> Ceiling:
    """The per-order ceiling: sum over the flow's units of count x CPU per op."""
    missing = set(counts) - set(units)
    if missing:
        raise ValueError(f"units not measured: {sorted(missing)}")
    breakdown = {name: n * units[name].cpu_ms_per_op for name, n in counts.items()}
    generator = sum(n * units[name].generator_ms_per_op for name, n in counts.items())
    return Ceiling(sum(breakdown.values()), generator, cores, breakdown)


def fraction(suite_orders_per_s: float, ceiling: Ceiling, with_generator: bool = True) -> float:
    """The suite's end-to-end orders/s as a fraction of the ceiling (with the load generator
    sharing the cores, as the suite's figure was measured, unless `with_generator` is False)."""
    limit = ceiling.orders_per_s_with_generator if with_generator else ceiling.orders_per_s
    return suite_orders_per_s / limit if limit > 0 else 0.0


def report(
    units: Mapping[str, UnitCost],
    ceiling: Ceiling,
    suite_orders_per_s: float | None,
    suite_cpu_ms_per_order: float | None,
    suite_label: str = "closed loop, end to end",
) -> list[str]:
    rows = [
        "## Ceiling: the bare infrastructure, measured in the same run",
        "",
        "| unit | per order | ops | ops/s | stack CPU ms/op | generator CPU ms/op | p50 ms |"
        " p99 ms | CPU ms per order |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, count in FLOW_COUNTS.items():
        unit = units[name]
        p = percentiles(unit.latencies_ms) if unit.latencies_ms else None
        lat = f"{p['p50']:.2f} | {p['p99']:.2f}" if p else "- | -"
        rows.append(
            f"| {unit.label} | {count} | {unit.ops} | {unit.ops_per_s:.0f} |"
            f" {unit.cpu_ms_per_op:.3f} | {unit.generator_ms_per_op:.3f} | {lat} |"
            f" {ceiling.breakdown[name]:.2f} |"
        )
    rows += [
        "",
        f"- ceiling CPU per order (stack side): {ceiling.cpu_ms_per_order:.2f} ms;"
        f" with the load generator's HTTP client:"
        f" {ceiling.cpu_ms_per_order + ceiling.generator_ms_per_order:.2f} ms",
        f"- ceiling on {ceiling.cores} cores: {ceiling.orders_per_s:.0f} orders/s"
        f" ({ceiling.orders_per_s_with_generator:.0f} orders/s with the load generator on the"
        " same cores)",
    ]
    if suite_orders_per_s is not None:
        rows.append(
            f"- the suite ({suite_label}): {suite_orders_per_s:.1f} orders/s ="
            f" **{fraction(suite_orders_per_s, ceiling):.1%} of the ceiling** with the load"
            " generator on the same cores, as the suite was measured;"
            f" {fraction(suite_orders_per_s, ceiling, with_generator=False):.1%} of the"
            " stack-only ceiling"
        )
    if suite_cpu_ms_per_order is not None:
        rows.append(
            f"- the suite's stack CPU per order: {suite_cpu_ms_per_order:.1f} ms ="
            f" {suite_cpu_ms_per_order / ceiling.cpu_ms_per_order:.1f} x the ceiling's"
        )
    return [*rows, ""]
