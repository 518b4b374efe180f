"""Gap-free numbers against real PostgreSQL: a rolled-back number is given back, and a turn at
a counter is taken only when no other transaction holds it, without waiting."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import MetaData

from servicekit.db import Database
from servicekit.numbering import next_number, sequence_table, take_turn

metadata = MetaData()  # created in each test's new database (conftest.py)
counters = sequence_table(metadata, "counters")
YEAR = 2026


async def test_numbers_follow_each_other_and_a_rolled_back_one_is_given_back(
    database: Database,
) -> None:
    async with database.transaction() as transaction:
        assert await next_number(transaction, counters, YEAR) == 1
        assert await next_number(transaction, counters, YEAR) == 2

    async def rolled_back() -> None:
        async with database.transaction() as transaction:
            assert await next_number(transaction, counters, YEAR) == 3
            raise RuntimeError("the document is not made")

    with pytest.raises(RuntimeError):
        await rolled_back()
    async with database.transaction() as transaction:
        assert await next_number(transaction, counters, YEAR) == 3
        assert await next_number(transaction, counters, YEAR + 1) == 1  # a series per year


async def test_a_turn_is_taken_only_when_no_one_holds_the_counter(database: Database) -> None:
    async with database.transaction() as transaction:
        assert not await take_turn(transaction, counters, YEAR)  # no counter for the year yet
        await next_number(transaction, counters, YEAR)

    async with database.transaction() as holder:
        assert await take_turn(holder, counters, YEAR)
        async with database.transaction() as other:
            # refused at once, not after a wait: the holder is still open
            assert not await asyncio.wait_for(take_turn(other, counters, YEAR), timeout=5)
            assert await take_turn(other, counters, YEAR + 1) is False  # none for that year
        assert await next_number(holder, counters, YEAR) == 2  # the holder's turn: no wait

    async with database.transaction() as other:  # the holder committed: free again
        assert await take_turn(other, counters, YEAR)
        assert await next_number(other, counters, YEAR) == 3
