"""Percentiles for benchmark reports."""

from collections.abc import Sequence


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max by rank (no interpolation: every figure is a measured value)."""
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": ordered[-1]}
