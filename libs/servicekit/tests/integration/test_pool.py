"""A pool as large as the service's concurrency opens each connection once: a connection opened
and closed again costs PostgreSQL tens of ms of CPU (a new backend's cold caches, every
statement prepared again), which is why services keep `database_pool_size` connections."""

from __future__ import annotations

import asyncio

from sqlalchemy import MetaData, event, text

from servicekit.db import OVERFLOW, Database

metadata = MetaData()  # no tables: the transactions read nothing
AT_ONCE = 16


async def _connections_opened(url: str, pool_size: int, bursts: int) -> int:
    """Connections the pool opened for `bursts` rounds of AT_ONCE transactions held together."""
    database = Database(url, pool_size)
    opened = 0

    def count(*_: object) -> None:
        nonlocal opened
        opened += 1

    event.listen(database.engine.sync_engine, "connect", count)
    held = asyncio.Barrier(AT_ONCE)

    async def hold() -> None:
        async with database.transaction() as transaction:
            await transaction.execute(text("SELECT 1"))
            await held.wait()  # every transaction holds its connection at the same moment

    try:
        for _ in range(bursts):
            await asyncio.gather(*(hold() for _ in range(AT_ONCE)))
    finally:
        await database.dispose()
    return opened


async def test_a_pool_as_large_as_the_concurrency_opens_each_connection_once(
    database: Database,
) -> None:
    assert await _connections_opened(database.url, AT_ONCE, bursts=3) == AT_ONCE


async def test_a_smaller_pool_closes_what_it_opened_beyond_its_size_and_opens_it_again(
    database: Database,
) -> None:
    small = AT_ONCE - OVERFLOW // 2  # the rest fits in the overflow
    beyond = AT_ONCE - small
    assert await _connections_opened(database.url, small, bursts=3) == small + 3 * beyond
