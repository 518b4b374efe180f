"""Gap-free document numbers (invoices, credit notes, purchase orders): one counter row per
series and year, locked by the transaction that takes a number, so a rollback gives it back and
concurrent documents take turns. Numbers are never skipped, which tax law asks of invoices."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Column, Integer, MetaData, Table, bindparam, select
from sqlalchemy.dialects.postgresql import insert

from servicekit.db import DriverStatement, Transaction


def sequence_table(metadata: MetaData, name: str) -> Table:
    return Table(
        name,
        metadata,
        Column("year", Integer, primary_key=True),
        Column("last_number", Integer, nullable=False),
    )


@cache
def _take_number(table: Table) -> DriverStatement:
    # Built once per series and sent on the driver: building the upsert per call cost more CPU
    # than its round trip. The same single statement, so the row lock is unchanged.
    return DriverStatement(
        insert(table)
        .on_conflict_do_update(
            index_elements=["year"], set_={"last_number": table.c.last_number + 1}
        )
        .returning(table.c.last_number)
    )


async def next_number(session: Transaction, table: Table, year: int) -> int:
    """The year's next number in `table`; its row stays locked until the transaction ends."""
    taken = await _take_number(table).fetch(session, {"year": year, "last_number": 1})
    return int(taken[0]["last_number"])


@cache
def _turn(table: Table) -> DriverStatement:
    # SKIP LOCKED: a counter another transaction holds is not found, rather than waited for
    return DriverStatement(
        select(table.c.year)
        .where(table.c.year == bindparam("year", type_=Integer))
        .with_for_update(skip_locked=True)
    )


async def take_turn(session: Transaction, table: Table, year: int) -> bool:
    """Locks the year's counter in `table` if no other transaction holds it, without waiting
    (True); False when another does, or the year has no counter yet. Numbers the transaction
    takes afterwards never wait. For a batch of events, which holds its earlier events' locks
    and so must not wait for one (messaging.consumer.BatchConflict)."""
    return bool(await _turn(table).fetch(session, {"year": year}))
