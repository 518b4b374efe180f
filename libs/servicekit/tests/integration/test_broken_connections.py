"""A pooled connection the server is done with, while its socket is still open: PostgreSQL sends
"terminating connection" (FATAL 57P01) to every idle session as it shuts down, and for a moment
the client has read that and not yet the close. asyncpg's protocol is then stuck inside an
operation that never ends; the driver says so (its InternalClientError) and aborts the
connection. The work that meets it fails as transient (a 503, a redelivery, not a 500 or a dead
letter), and the pool does not hand that connection out again."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import MetaData, text
from sqlalchemy.engine import make_url

from servicekit.db import Database, driver
from servicekit.db_errors import is_transient
from testkit.links import Link

metadata = MetaData()  # no tables: the statements read nothing


def _error_response(*fields: tuple[bytes, str]) -> bytes:
    body = b"".join(code + value.encode() + b"\0" for code, value in fields) + b"\0"
    return b"E" + struct.pack("!i", len(body) + 4) + body


# what a backend writes to its idle client as the server shuts down, before it exits
TERMINATING = _error_response(
    (b"S", "FATAL"),
    (b"V", "FATAL"),
    (b"C", "57P01"),
    (b"M", "terminating connection due to administrator command"),
)


@pytest.fixture
async def behind_link(database: Database) -> AsyncIterator[tuple[Database, Link]]:
    """A database of one pooled connection, reached through a link the test can speak on."""
    url = make_url(database.url)
    link = Link(url.host or "127.0.0.1", url.port or 5432)
    port = await link.start()
    linked = url.set(port=port).update_query_dict({"ssl": "disable"})
    behind = Database(linked.render_as_string(hide_password=False), pool_size=1)
    yield behind, link
    await link.close()
    await behind.dispose()


async def _on_the_driver(database: Database) -> int:
    async with database.transaction() as transaction:
        return int(await (await driver(transaction)).fetchval("SELECT 1"))


async def _through_sqlalchemy(database: Database) -> int:
    async with database.transaction() as transaction:
        return int(await transaction.scalar(text("SELECT 1")))


async def _reading(database: Database) -> int:
    async with database.reading() as reading:
        return int(await (await driver(reading)).fetchval("SELECT 1"))


@pytest.mark.parametrize(
    "work", [_on_the_driver, _through_sqlalchemy, _reading], ids=lambda work: work.__name__
)
async def test_a_connection_the_server_is_done_with_fails_as_transient_once_and_is_thrown_away(
    behind_link: tuple[Database, Link], work: Callable[[Database], Awaitable[int]]
) -> None:
    database, link = behind_link
    assert await work(database) == 1  # the pool's one connection, idle again
    await link.tell_clients(TERMINATING)  # the close that follows it has not arrived
    await asyncio.sleep(0.2)  # read while the connection waits in the pool

    with pytest.raises(Exception) as met:  # the driver's error, as it comes
        await work(database)
    assert is_transient(met.value)  # tried again later, not set aside as bad work

    for _ in range(3):  # a new connection each time, never the broken one
        assert await work(database) == 1
