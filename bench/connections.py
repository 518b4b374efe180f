"""Connections the stack opened to PostgreSQL during a phase, and how many of them it closed
again, by database, as PostgreSQL counts them (`pg_stat_database`: sessions begun, backends
connected), the load generator's own sessions apart. Unlike CPU, a count
does not move with the machine's pace, so runs of different code compare even when the machine
drifted between them; and a connection opened under load is dear: a new backend fills its
caches and prepares every statement again (bench/optimizations.md, 2026-12-06)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import asyncpg

# An idle backend reports its statistics at most 10 s after its last report (PostgreSQL 15's
# PGSTAT_IDLE_INTERVAL): a reading waits that long to count everything before it.
SETTLE_S = 11.0


@dataclass
class _GeneratorSessions:
    """Sessions the load generator opened and closed (cpu.generator_session), by database."""

    opened: Counter[str] = field(default_factory=Counter)
    closed: Counter[str] = field(default_factory=Counter)


generators = _GeneratorSessions()


def database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


@dataclass(frozen=True)
class Sessions:
    """A database's sessions so far (as reported) and its backends connected now."""

    begun: int
    connected: int


@dataclass(frozen=True)
class Opened:
    """Connections opened between two readings, and how many of those or others were closed."""

    opened: int
    closed: int


async def sessions_by_database(admin_url: str) -> dict[str, Sessions]:
    """Each of the stack's databases (oms_*): sessions so far and backends connected now."""
    connection = await asyncpg.connect(admin_url)
    try:
        rows = await connection.fetch(
            "SELECT datname, sessions, numbackends FROM pg_stat_database"
            " WHERE datname LIKE 'oms\\_%'"
        )
    finally:
        await connection.close()
    return {str(r["datname"]): Sessions(int(r["sessions"]), int(r["numbackends"])) for r in rows}


def opened_by_stack(
    before: Mapping[str, Sessions],
    after: Mapping[str, Sessions],
    generator_opened: Mapping[str, int],
    generator_closed: Mapping[str, int],
) -> dict[str, Opened]:
    """Connections the stack alone opened and closed between two readings, by database, given
    the sessions the generator opened and closed between them."""
    counted: dict[str, Opened] = {}
    for name, now in sorted(after.items()):
        then = before.get(name, Sessions(0, 0))
        mine = generator_opened.get(name, 0)
        opened = max(0, now.begun - then.begun - mine)
        # connected then + opened by anyone - closed by anyone = connected now
        closed = then.connected + opened + mine - generator_closed.get(name, 0) - now.connected
        counted[name] = Opened(opened, max(0, closed))
    return counted


@dataclass
class ConnectionCounter:
    """Connections the stack opened, and closed, between start() and stop(), by database."""

    admin_url: str
    before: dict[str, Sessions] = field(default_factory=dict)
    generator_before: _GeneratorSessions = field(default_factory=_GeneratorSessions)

    async def start(self) -> None:
        await asyncio.sleep(SETTLE_S)  # what came before (the fixtures) reported first
        self.before = await sessions_by_database(self.admin_url)
        self.generator_before = _GeneratorSessions(
            Counter(generators.opened), Counter(generators.closed)
        )

    async def stop(self) -> dict[str, Opened]:
        await asyncio.sleep(SETTLE_S)
        after = await sessions_by_database(self.admin_url)
        opened = generators.opened - self.generator_before.opened
        closed = generators.closed - self.generator_before.closed
        return opened_by_stack(self.before, after, opened, closed)
