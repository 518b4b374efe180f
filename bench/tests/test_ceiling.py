"""The ceiling composed from the flow's counts and the measured units."""

from __future__ import annotations

import pytest

from bench.ceiling import FLOW_COUNTS, UnitCost, compose, fraction, report


def unit(name: str, ms_per_op: float, generator_ms: float = 0.0, ops: int = 1000) -> UnitCost:
    return UnitCost(
        name, name, ops, seconds=2.0, stack_cpu_s=ms_per_op * ops / 1000,
        generator_cpu_s=generator_ms * ops / 1000, latencies_ms=(1.0, 2.0, 3.0),
    )  # fmt: skip


UNITS = {
    "http": unit("http", 0.5, generator_ms=2.0),
    "grpc": unit("grpc", 0.3),
    "produce": unit("produce", 0.1),
    "consume": unit("consume", 0.05),
    "transaction": unit("transaction", 0.4),
}


def test_the_flow_counts_are_those_of_the_issue() -> None:
    assert FLOW_COUNTS == {"http": 2, "grpc": 3, "produce": 10, "consume": 17, "transaction": 11}


def test_unit_cost_per_op() -> None:
    u = UNITS["http"]
    assert u.ops_per_s == pytest.approx(500)
    assert u.cpu_ms_per_op == pytest.approx(0.5)
    assert u.generator_ms_per_op == pytest.approx(2.0)
    assert UnitCost("x", "x", 0, 0.0, 0.0).ops_per_s == 0


def test_compose_sums_count_times_cost() -> None:
    ceiling = compose(UNITS, cores=2)
    # 2 x 0.5 + 3 x 0.3 + 10 x 0.1 + 17 x 0.05 + 11 x 0.4 = 1 + 0.9 + 1 + 0.85 + 4.4
    assert ceiling.cpu_ms_per_order == pytest.approx(8.15)
    assert ceiling.breakdown["transaction"] == pytest.approx(4.4)
    assert ceiling.generator_ms_per_order == pytest.approx(4.0)
    assert ceiling.orders_per_s == pytest.approx(2000 / 8.15)
    assert ceiling.orders_per_s_with_generator == pytest.approx(2000 / 12.15)


def test_the_suite_as_a_fraction_of_the_ceiling() -> None:
    ceiling = compose(UNITS, cores=2)
    assert fraction(82.3, ceiling, with_generator=False) == pytest.approx(82.3 * 8.15 / 2000)
    assert fraction(82.3, ceiling) == pytest.approx(82.3 * 12.15 / 2000)


def test_compose_refuses_a_unit_not_measured() -> None:
    with pytest.raises(ValueError, match="grpc"):
        compose({k: v for k, v in UNITS.items() if k != "grpc"}, cores=2)


def test_report_states_the_fraction() -> None:
    ceiling = compose(UNITS, cores=2)
    text = "\n".join(report(UNITS, ceiling, 20.0, 80.0))
    assert "of the ceiling" in text
    assert f"{20 / ceiling.orders_per_s_with_generator:.1%}" in text
    assert "80.0 ms" in text
