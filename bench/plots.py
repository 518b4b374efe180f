"""PNG plots for the order-flow report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


@dataclass(frozen=True)
class Series:
    """One run's latencies over time: (seconds since its start, placement ms, completion ms)."""

    label: str
    points: Sequence[tuple[float, float | None, float | None]]


def latency_over_time(series: Sequence[Series], path: Path) -> Path:
    """One panel per run: placement and saga completion latency against time since the start."""
    panels = max(1, len(series))
    figure, axes = plt.subplots(
        panels, 1, figsize=(9, 2.6 * panels + 0.6), sharex=False, squeeze=False
    )
    for axis, run in zip(axes[:, 0], series, strict=False):
        placed = [(t, ms) for t, ms, _ in run.points if ms is not None]
        done = [(t, ms) for t, _, ms in run.points if ms is not None]
        if done:
            axis.scatter(*zip(*done, strict=True), s=4, label="placed -> invoiced", color="C1")
        if placed:
            axis.scatter(*zip(*placed, strict=True), s=4, label="POST /sales-orders", color="C0")
        axis.set_yscale("log")
        axis.set_ylabel("latency (ms)")
        axis.set_title(run.label, fontsize=10)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(loc="upper left", fontsize=8, markerscale=3)
    axes[-1, 0].set_xlabel("intended send time (s since the run's start)")
    figure.tight_layout()
    return _save(figure, path)


@dataclass(frozen=True)
class LoadPoint:
    offered: float  # orders/s sent on the schedule
    accepted: float  # orders/s the API answered 201
    completed: float  # orders/s that reached invoiced
    completion_p99_ms: float


def throughput_vs_offered(
    points: Sequence[LoadPoint], path: Path, closed_loop: float | None = None
) -> Path:
    """Achieved against offered orders/s, with the ideal diagonal and, on a second axis, the
    saga's p99; the closed loop's end-to-end figure as a horizontal line."""
    figure, axis = plt.subplots(figsize=(7, 4.5))
    offered = [p.offered for p in points]
    top = max([*offered, 1.0])
    axis.plot([0, top], [0, top], linestyle=":", color="grey", label="offered = achieved")
    axis.plot(offered, [p.accepted for p in points], marker="o", label="accepted (201)")
    axis.plot(offered, [p.completed for p in points], marker="s", label="completed (invoiced)")
    if closed_loop is not None:
        axis.axhline(closed_loop, color="C3", linestyle="--", label="closed loop, end to end")
    axis.set_xlabel("offered load (orders/s)")
    axis.set_ylabel("throughput (orders/s)")
    axis.grid(True, alpha=0.3)
    latency = axis.twinx()
    latency.plot(
        offered,
        [p.completion_p99_ms for p in points],
        color="C4",
        marker="^",
        linestyle="-.",
        label="placed -> invoiced p99 (right)",
    )
    latency.set_yscale("log")
    latency.set_ylabel("p99 latency (ms)")
    lines, labels = axis.get_legend_handles_labels()
    more, more_labels = latency.get_legend_handles_labels()
    axis.legend(lines + more, labels + more_labels, loc="upper left", fontsize=8)
    figure.tight_layout()
    return _save(figure, path)


def _save(figure: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
