"""Percentiles and the machine's description, for benchmark reports."""

import os
import platform
from collections.abc import Sequence
from pathlib import Path


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max by rank (no interpolation: every figure is a measured value)."""
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": ordered[-1]}


def machine() -> str:
    """ "2 cores (AMD EPYC ...), 24 GiB, Python 3.11.7" """
    cpu = next(
        (
            x.split(":", 1)[1].strip()
            for x in Path("/proc/cpuinfo").read_text().splitlines()
            if x.startswith("model name")
        ),
        platform.processor(),
    )
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_gib:.0f} GiB, Python {platform.python_version()}"
    )
