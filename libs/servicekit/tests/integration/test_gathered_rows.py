"""Rows a transaction gathers (servicekit.db.GatheredRows) against real PostgreSQL: they reach
their tables in one statement as the transaction commits, with the values given, in the order
gathered; never when it rolls back, nor from a savepoint that was undone. A reading
(Database.reading) sends its reads without BEGIN and COMMIT, and gathers nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table, select

from servicekit.db import Database, GatheredRows, Transaction, driver, quoted

metadata = MetaData()  # created in each test's new database (conftest.py)
journal = Table(
    "journal",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("subject", String(20), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
counts = Table(
    "counts",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("n", Integer, nullable=False),
)

JOURNAL = GatheredRows(
    f"INSERT INTO {quoted(journal)} (subject, at)"
    " SELECT * FROM unnest($1::varchar[], $2::timestamptz[])",
    2,
)
COUNTS = GatheredRows(
    f"INSERT INTO {quoted(counts)} (name, n) SELECT * FROM unnest($1::varchar[], $2::int[])"
    " ON CONFLICT DO NOTHING",
    2,
)
AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


async def _journal(database: Database) -> list[tuple[str, datetime]]:
    async with database.transaction() as session:
        rows = await session.execute(select(journal.c.subject, journal.c.at).order_by(journal.c.id))
        return [(subject, at) for subject, at in rows]


async def _counts(database: Database) -> dict[str, int]:
    async with database.transaction() as session:
        return {str(name): int(n) for name, n in await session.execute(select(counts))}


async def _logged(session: Transaction) -> list[str]:
    """The statements sent on the transaction's driver from now on."""
    sent: list[str] = []
    (await driver(session)).add_query_logger(lambda record: sent.append(record.query))
    return sent


async def test_gathered_rows_reach_their_tables_in_one_statement_as_the_transaction_commits(
    database: Database,
) -> None:
    async with database.transaction() as session:
        sent = await _logged(session)
        session.gather(JOURNAL, [["a", "b"], [AT, AT]])
        session.gather(COUNTS, [["x"], [2]])
        session.gather(JOURNAL, [["c"], [AT]])
        session.gather(COUNTS, [["x", "y"], [3, 1]])  # a copy is skipped, as one INSERT does
        inside = (await session.execute(select(journal.c.id))).all()
        assert inside == [], "nothing is written before the commit"
    assert await _journal(database) == [("a", AT), ("b", AT), ("c", AT)], "in the order gathered"
    assert await _counts(database) == {"x": 2, "y": 1}
    (insert,) = [q for q in sent if "INSERT" in q]
    assert insert.startswith("WITH gathered0 AS (INSERT INTO journal"), insert


async def test_a_transaction_that_raises_writes_nothing_it_gathered(database: Database) -> None:
    async def use_case() -> None:
        async with database.transaction() as session:
            session.gather(JOURNAL, [["a"], [AT]])
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        await use_case()
    assert await _journal(database) == []


async def test_an_undone_savepoint_drops_the_rows_it_gathered_and_keeps_the_rest(
    database: Database,
) -> None:
    async def undone(session: Transaction) -> None:
        async with session.begin_nested():
            session.gather(JOURNAL, [["inside"], [AT]])
            session.gather(COUNTS, [["inside"], [1]])
            raise LookupError("undone")

    async with database.transaction() as session:
        session.gather(JOURNAL, [["before"], [AT]])
        with pytest.raises(LookupError):
            await undone(session)
        async with session.begin_nested():
            session.gather(JOURNAL, [["kept"], [AT]])
    assert await _journal(database) == [("before", AT), ("kept", AT)]
    assert await _counts(database) == {}


async def test_rows_sent_early_are_readable_in_the_transaction_and_not_sent_twice(
    database: Database,
) -> None:
    async with database.transaction() as session:
        session.gather(JOURNAL, [["a"], [AT]])
        await session.send_gathered()
        assert (await session.execute(select(journal.c.subject))).scalars().all() == ["a"]
        session.gather(JOURNAL, [["b"], [AT]])
    assert await _journal(database) == [("a", AT), ("b", AT)]


async def test_a_failing_gathered_insert_fails_the_commit(database: Database) -> None:
    async def use_case() -> None:
        async with database.transaction() as session:
            session.gather(COUNTS, [["x"], [1]])
            session.gather(JOURNAL, [["z" * 21], [AT]])  # over the column's 20

    with pytest.raises(Exception, match="too long"):
        await use_case()
    assert await _counts(database) == {}, "the other INSERT of the statement is undone with it"


def test_columns_must_match_the_insert() -> None:
    session: Any = Transaction.__new__(Transaction)
    session.gathered = {}
    with pytest.raises(ValueError, match="2 columns"):
        Transaction.gather(session, JOURNAL, [["a"]])
    with pytest.raises(ValueError, match="2 columns"):
        Transaction.gather(session, JOURNAL, [["a", "b"], [AT]])
    with pytest.raises(ValueError, match=r"\$1 to \$3"):
        GatheredRows("INSERT INTO t (a) SELECT * FROM unnest($1::int[])", 3)


async def test_a_reading_sends_its_driver_statements_without_begin_or_commit(
    database: Database,
) -> None:
    async with database.transaction() as session:
        session.gather(JOURNAL, [["a"], [AT]])
    async with database.reading() as reading:
        sent = await _logged(reading)
        connection = await driver(reading)
        rows = await connection.fetch(f"SELECT subject FROM {quoted(journal)}")
        assert [r["subject"] for r in rows] == ["a"], "what was committed"
        assert not connection.is_in_transaction()
        await asyncio.sleep(0)  # the driver calls its query loggers soon after
        assert sent == [f"SELECT subject FROM {quoted(journal)}"], "no BEGIN before it"
        with pytest.raises(RuntimeError, match="writes nothing"):
            reading.gather(JOURNAL, [["b"], [AT]])
        # a statement through SQLAlchemy still runs, in a transaction of its own
        assert (await reading.execute(select(journal.c.subject))).scalars().all() == ["a"]
    assert "COMMIT;" not in sent
    assert await _journal(database) == [("a", AT)]
