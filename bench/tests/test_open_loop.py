"""The open loop's pure parts: the schedule, and latencies counted from intended send times so
that a stall is seen in full (no coordinated omission)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bench.open_loop import (
    OpenLoop,
    OpenResult,
    Track,
    latencies_from_intended,
    rate_between,
    schedule,
)
from bench.stats import percentiles


def test_schedule_is_evenly_spaced_at_the_rate() -> None:
    times = schedule(50, 2)
    assert len(times) == 100
    assert times[0] == 0
    assert times[1] == pytest.approx(0.02)
    assert times[-1] == pytest.approx(1.98)
    assert all(b > a for a, b in itertools.pairwise(times))


def test_schedule_of_a_fractional_rate_rounds_the_count() -> None:
    assert len(schedule(2.5, 3)) == 8  # 7.5 rounds to 8 (banker's rounding: to the even one)
    assert schedule(0.5, 4) == [0.0, 2.0]


@pytest.mark.parametrize(("rate", "duration"), [(0, 10), (-1, 10), (10, 0)])
def test_schedule_needs_a_positive_rate_and_duration(rate: float, duration: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        schedule(rate, duration)


def test_latency_counts_from_the_intended_send_time_not_the_actual_one() -> None:
    # 10 orders/s; the system stalls for 1 s from t=0.1: the orders meant for 0.1 .. 1.0 are
    # all answered at 1.1. Measured from when each was sent by a closed loop, only one would be
    # slow; from the intended times, each carries the part of the stall it waited through.
    intended = [i / 10 for i in range(20)]
    done: list[float | None] = [t + 0.005 if t < 0.1 or t > 1.05 else 1.1 for t in intended]
    latencies, incomplete = latencies_from_intended(intended, done, end=5)
    assert incomplete == 0
    assert latencies[0] == pytest.approx(5)
    assert latencies[1] == pytest.approx(1000)  # sent at 0.1, answered at 1.1
    assert latencies[10] == pytest.approx(100)
    p = percentiles(latencies)
    assert p["p50"] >= 100  # half of the orders were caught in the stall
    assert p["p99"] == pytest.approx(1000)


def test_an_order_never_completed_counts_until_the_end() -> None:
    latencies, incomplete = latencies_from_intended([0.0, 1.0, 2.0], [0.01, None, 2.02], end=4.0)
    assert incomplete == 1
    assert latencies == pytest.approx([10, 3000, 20])


def test_rate_between_counts_intervals() -> None:
    assert rate_between([]) == 0
    assert rate_between([1.0]) == 0
    assert rate_between([0.0, 0.5, 1.0]) == pytest.approx(2)
    assert rate_between([3.0, 3.0]) == 0


def test_open_result_figures() -> None:
    tracks = [
        Track(0, 0.0, placed=0.01, order_id="a", reserved=0.2, invoiced=0.4),
        Track(1, 0.5, placed=0.52, order_id="b", reserved=0.7, invoiced=0.9),
        Track(2, 1.0, error="placing: boom"),
    ]
    result = OpenResult(rate=2, duration=1.5, tracks=tracks, end=3.0)
    assert result.completed() == 2
    assert result.errors() == ["placing: boom"]
    assert result.completed_per_s() == pytest.approx(2)
    placement, incomplete = result.placement_ms()
    assert incomplete == 1
    assert placement == pytest.approx([10, 20, 2000])
    assert result.timeline()[2] == (1.0, None, None)


def test_the_command_line_picks_the_mode() -> None:
    from bench.order_flow import offered_rates, parse_args

    assert parse_args([]).mode == "closed"
    assert offered_rates(parse_args([])) == []
    sweep = parse_args(["--rates", "10,25,50"])
    assert sweep.mode == "open"
    assert offered_rates(sweep) == [10, 25, 50]
    assert offered_rates(parse_args(["--mode", "open", "--rate", "50"])) == [50]
    assert parse_args(["--mode", "both", "--ceiling"]).ceiling is True


def test_a_poll_passes_over_an_order_no_longer_pending() -> None:
    loop = OpenLoop(None, None, 0)  # type: ignore[arg-type]  # nothing is sent here
    track = Track(index=0, intended=0.0, order_id="o-1")
    loop.pending = {"o-1": track}
    # o-0's shipping failed (and left pending) while the poll was out
    loop.note({"o-0": (True, False), "o-1": (False, True)}, at=1.5)
    assert track.invoiced == 1.5
    assert loop.pending == {}
    assert loop.tasks == set(), "nothing shipped for the order that left"


def test_the_open_loop_report_breaks_the_cpu_down_by_process_at_each_rate() -> None:
    from bench.report import open_section

    tracks = [Track(i, i / 10, placed=i / 10 + 0.01, order_id=str(i)) for i in range(10)]
    slow = OpenResult(10, 1, tracks, 2.0, stack_cpu_s={"orders": 0.5, "kafka": 0.2})
    fast = OpenResult(20, 1, tracks, 2.0, stack_cpu_s={"orders": 0.3, "kafka": 0.25})
    rows = open_section([slow, fast], [], Path("."))
    at = rows.index("| process (CPU ms per order) | 10/s | 20/s |")
    assert rows[at + 2 : at + 4] == ["| orders | 50.00 | 30.00 |", "| kafka | 20.00 | 25.00 |"]
