"""Connections the stack opened to PostgreSQL during a phase, by database, as PostgreSQL counts
them (`pg_stat_database.sessions`), the load generator's own sessions apart. Unlike CPU, a count
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
    """Sessions the load generator opened (cpu.generator_session), by database."""

    opened: Counter[str] = field(default_factory=Counter)


generators = _GeneratorSessions()


def count_generator_session(url: str) -> None:
    generators.opened[database_of(url)] += 1


def database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def sessions_by_database(admin_url: str) -> dict[str, int]:
    """Sessions each of the stack's databases (oms_*) has had, as reported so far."""
    connection = await asyncpg.connect(admin_url)
    try:
        rows = await connection.fetch(
            "SELECT datname, sessions FROM pg_stat_database WHERE datname LIKE 'oms\\_%'"
        )
    finally:
        await connection.close()
    return {str(row["datname"]): int(row["sessions"]) for row in rows}


def opened_by_stack(
    before: Mapping[str, int], after: Mapping[str, int], by_generator: Mapping[str, int]
) -> dict[str, int]:
    """Connections opened between two readings by the stack alone, by database."""
    return {
        name: max(0, count - before.get(name, 0) - by_generator.get(name, 0))
        for name, count in sorted(after.items())
    }


@dataclass
class ConnectionCounter:
    """Connections the stack opened between start() and stop(), by database."""

    admin_url: str
    before: dict[str, int] = field(default_factory=dict)
    generators_before: Counter[str] = field(default_factory=Counter)

    async def start(self) -> None:
        await asyncio.sleep(SETTLE_S)  # what came before (the fixtures) reported first
        self.before = await sessions_by_database(self.admin_url)
        self.generators_before = Counter(generators.opened)

    async def stop(self) -> dict[str, int]:
        await asyncio.sleep(SETTLE_S)
        after = await sessions_by_database(self.admin_url)
        by_generator = generators.opened - self.generators_before
        return opened_by_stack(self.before, after, by_generator)
