"""The benchmark's CPU meter keeps counting what ended processes used (PostgreSQL closes
connections mid-run, and their backends' time must stay in the figure), and counts the
backends of the load generator's own sessions as the generator's."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.cpu import (
    count_as_generators,
    cpu_by_process,
    own_cpu_seconds,
    reaped_children_cpu_seconds,
    without_sessions,
)


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


def test_the_generators_own_sessions_count_as_its_cpu_not_postgresqls() -> None:
    """The backends serving the generator's polling are its work: moved out of PostgreSQL's
    figure into the generator's own."""
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    child = subprocess.Popen([sys.executable, "-c", burn + "\ntime.sleep(5)"])
    try:
        time.sleep(1.0)  # it has burned its 0.3 s and sleeps: stands for a live backend
        before = own_cpu_seconds()
        count_as_generators(child.pid)
        assert own_cpu_seconds() - before >= 0.25
    finally:
        child.kill()
        child.wait()
    used = {"postgresql": 2.0, "orders": 1.0}
    assert without_sessions(used, 0.5) == {"postgresql": 1.5, "orders": 1.0}
    assert without_sessions(used, 3.0)["postgresql"] == 0.0  # never negative
    assert without_sessions({"orders": 1.0}, 0.5) == {"orders": 1.0}
