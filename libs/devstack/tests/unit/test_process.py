"""The stack's children die with their supervisor: started through setpriv with a parent-death
signal (no preexec_fn, which runs Python between fork and exec)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from devstack.process import dying_with_parent

# A parent that starts a sleeping child through dying_with_parent and waits. The child prints
# its pid once it runs (so setpriv has set the signal and exec'd: before that, a parent killed
# at once would leave it none to send).
CHILD = "import os, time; print(os.getpid(), flush=True); time.sleep(60)"
PARENT = f"""
import subprocess, sys, time
from devstack.process import dying_with_parent
subprocess.Popen(dying_with_parent([sys.executable, "-c", {CHILD!r}]))
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_child_is_terminated_when_its_supervisor_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def test_the_command_is_run_as_given() -> None:
    command = dying_with_parent(["echo", "a b"])
    assert subprocess.run(command, capture_output=True, text=True, check=True).stdout == "a b\n"
