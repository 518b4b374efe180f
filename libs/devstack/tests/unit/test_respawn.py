"""The local stack starts again a process that exits by itself, pausing longer each time it
fails soon after its start; one killed on purpose (a test's kill) stays down until restarted."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from devstack.postgres import PostgresCluster
from devstack.supervisor import Process, Respawn, Stack
from devstack.topology import Ports, Secrets

# Appends a line per start to the file it is given, then exits (or sleeps, when told to).
PROGRAM = """
import os, sys, time
with open(os.environ["STARTS_FILE"], "a") as out:
    out.write("started\\n")
if os.environ.get("SLEEP"):
    time.sleep(60)
sys.exit(3)
"""


def _stack(folder: Path, respawn: Respawn | None) -> Stack:
    return Stack(
        PostgresCluster("postgresql://postgres@127.0.0.1:1/postgres"),
        "127.0.0.1:1",
        Ports(0),
        folder,
        Secrets(folder, development_mode=True),
        respawn=respawn,
    )


def _process(folder: Path, name: str, **env: str) -> Process:
    (folder / "crasher.py").write_text(PROGRAM)
    environment = {"PYTHONPATH": str(folder), "STARTS_FILE": str(folder / f"{name}.starts")}
    return Process(name, "crasher", {**environment, **env}, folder / f"{name}.log", "-")


def _starts(folder: Path, name: str) -> int:
    path = folder / f"{name}.starts"
    return len(path.read_text().splitlines()) if path.exists() else 0


async def _respawning(stack: Stack, seconds: float, until: int = 0, name: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stack.respawn_exited()
        if until and _starts(stack.log_dir, name) >= until:
            return
        await asyncio.sleep(0.02)


@dataclass(frozen=True)
class _Recorded(Respawn):
    pauses: list[float] = field(default_factory=list)

    def pause(self, failures: int) -> float:
        self.pauses.append(super().pause(failures))
        return self.pauses[-1]


async def test_an_exited_process_is_started_again_with_a_growing_pause(tmp_path: Path) -> None:
    policy = _Recorded(first=0.1, longest=0.4, steady=30)
    stack = _stack(tmp_path, policy)
    process = _process(tmp_path, "svc")
    stack.processes["svc"] = process
    process.start()

    await _respawning(stack, 60, until=4, name="svc")

    assert _starts(tmp_path, "svc") == 4
    assert stack.processes["svc"] is not process
    # each quick exit doubles the pause, up to 0.4 s (the 4th run may have exited already)
    assert policy.pauses[:3] == [0.1, 0.2, 0.4]
    assert set(policy.pauses[3:]) <= {0.4}
    assert [Respawn(first=1, longest=30).pause(n) for n in (1, 2, 3, 6, 9)] == [1, 2, 4, 30, 30]


async def test_a_process_killed_on_purpose_or_without_a_policy_stays_down(tmp_path: Path) -> None:
    stack = _stack(tmp_path, Respawn(first=0.05))
    killed = _process(tmp_path, "killed", SLEEP="1")
    stack.processes["killed"] = killed
    killed.start()
    while _starts(tmp_path, "killed") == 0:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    await stack.kill("killed")
    await _respawning(stack, 0.5)
    assert _starts(tmp_path, "killed") == 1
    assert stack.processes["killed"] is killed

    unsupervised = _stack(tmp_path, None)
    once = _process(tmp_path, "once")
    unsupervised.processes["once"] = once
    once.start()
    await once.wait_exit(10)
    await _respawning(unsupervised, 0.3)
    assert _starts(tmp_path, "once") == 1
