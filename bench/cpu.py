"""CPU time by process: the stack's processes (from /proc) and the load generator's own."""

from __future__ import annotations

import contextlib
import os
import resource
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench.connections import database_of, generators
from devstack.kafka import KafkaBroker
from devstack.postgres import PostgresCluster
from devstack.supervisor import Stack

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    return _stat_cpu(Path(f"/proc/{pid}/stat"))


def reaped_children_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the children a process has waited for (ended ones)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / TICKS


def thread_cpu_seconds(native_id: int) -> float:
    """User + system CPU time one thread of this process has used so far."""
    return _stat_cpu(Path(f"/proc/self/task/{native_id}/stat"))


def _stat_cpu(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def own_cpu_seconds() -> float:
    """The load generator's own CPU time (this process, every thread), with the PostgreSQL
    backends of its own sessions (`generator_session`)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + _sessions.seconds


@dataclass
class _SessionsCpu:
    """CPU of the backends that served the load generator's own database sessions (its polling
    for the orders' states, its hop timings): the generator's work, not the stack's."""

    seconds: float = 0.0


_sessions = _SessionsCpu()


@contextlib.asynccontextmanager
async def generator_session(url: str) -> AsyncIterator[asyncpg.Connection]:
    """A database session of the load generator's own. Its backend's CPU, read before it
    closes, counts as the generator's (`own_cpu_seconds`) and not as PostgreSQL's: the
    generator polled and analysed, not the stack (the open loop polls every 20 ms)."""
    connection = await asyncpg.connect(url)
    generators.opened[database_of(url)] += 1
    backend = int(await connection.fetchval("SELECT pg_backend_pid()"))
    try:
        yield connection
    finally:
        count_as_generators(backend)
        await connection.close()
        generators.closed[database_of(url)] += 1


def count_as_generators(backend: int) -> None:
    """Counts a live backend's CPU so far as the load generator's."""
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        _sessions.seconds += cpu_seconds(backend)


def without_sessions(used: dict[str, float], sessions: float) -> dict[str, float]:
    """The stack's CPU by process without what PostgreSQL spent on the generator's sessions."""
    if "postgresql" not in used:
        return used
    return {**used, "postgresql": max(0.0, used["postgresql"] - sessions)}


def current_thread_id() -> int:
    return threading.get_native_id()


def postgres_pids(postgres: PostgresCluster) -> list[int]:
    """The private cluster's postmaster and its children (backends, walwriter, ...), and no other
    cluster's: other clusters on the machine run as the same user."""
    assert postgres.data_dir is not None
    try:
        postmaster = int((postgres.data_dir / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, PermissionError, IndexError, ValueError):
        return []
    pids = [postmaster]
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            parent = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue  # a process that ended
        if parent == postmaster:
            pids.append(int(d.name))
    return pids


def stack_pids(stack: Stack, kafka: KafkaBroker, postgres: PostgresCluster) -> dict[str, list[int]]:
    """Every process of the stack, by name; PostgreSQL's backends counted together."""
    pids = {name: [p.popen.pid] for name, p in stack.processes.items() if p.popen is not None}
    if kafka.process is not None:
        pids["kafka"] = [kafka.process.pid]
    pids["postgresql"] = postgres_pids(postgres)
    return pids


def cpu_by_process(pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU so far by name. PostgreSQL's is its postmaster's, its live backends' and the ended
    backends' the postmaster reaped: a connection closed between two readings keeps counting."""
    used: dict[str, float] = {}
    for name, group in pids.items():
        total = 0.0
        for pid in group:
            try:
                total += cpu_seconds(pid)
            except (FileNotFoundError, ProcessLookupError):
                continue  # a backend that ended: the postmaster's reaped time holds it
        if name == "postgresql" and group:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                total += reaped_children_cpu_seconds(group[0])
        used[name] = total
    return used


@dataclass
class CpuMeter:
    """CPU used between start() and stop(), by the stack's processes and by this process."""

    stack: Stack
    kafka: KafkaBroker
    postgres: PostgresCluster
    before: dict[str, float] | None = None
    own_before: float = 0.0
    sessions_before: float = 0.0

    def start(self) -> None:
        self.before = cpu_by_process(stack_pids(self.stack, self.kafka, self.postgres))
        self.own_before = own_cpu_seconds()
        self.sessions_before = _sessions.seconds

    def stop(self) -> tuple[dict[str, float], float]:
        """Seconds of CPU by stack process, and the load generator's own seconds."""
        assert self.before is not None, "start() first"
        sessions = _sessions.seconds - self.sessions_before
        after = cpu_by_process(stack_pids(self.stack, self.kafka, self.postgres))
        own = own_cpu_seconds() - self.own_before
        # a process that ended between the two readings takes its time with it: never negative
        used = {n: max(0.0, after[n] - self.before.get(n, 0.0)) for n in after}
        return without_sessions(used, sessions), own
