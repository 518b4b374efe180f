"""The benchmark's CPU meter keeps counting what ended processes used: PostgreSQL closes
connections mid-run, and their backends' time must stay in the figure."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.cpu import cpu_by_process, reaped_children_cpu_seconds


def test_a_child_that_ended_is_counted_by_its_parents_reaped_time() -> None:
    before = reaped_children_cpu_seconds(os.getpid())
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    subprocess.run([sys.executable, "-c", burn], check=True)  # waited for: reaped
    assert reaped_children_cpu_seconds(os.getpid()) - before >= 0.25


def test_postgresqls_figure_includes_its_ended_backends() -> None:
    """The first pid of the group is the postmaster, whose reaped children count too."""
    me = os.getpid()
    plain = cpu_by_process({"gateway": [me]})["gateway"]
    with_reaped = cpu_by_process({"postgresql": [me]})["postgresql"]
    assert with_reaped >= plain + reaped_children_cpu_seconds(me) - 0.05
