"""Core statements sent on the driver (servicekit.db.DriverStatement) against real PostgreSQL:
they write and read what the same statements write and read through SQLAlchemy, count the rows
they change, and commit or roll back with the transaction around them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import (
    ARRAY,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    any_,
    bindparam,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from servicekit.db import Database, DriverStatement, driver, rows_of, select_every_column

metadata = MetaData()  # created in each test's new database (conftest.py)
things = Table(
    "things",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("price", Numeric(18, 6), nullable=False),
    Column("details", JSONB, nullable=True),
    Column("tags", ARRAY(String), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("note", String(20), nullable=False, default="python-side"),
)

INSERT = DriverStatement(things.insert())
UPDATE = DriverStatement(
    things.update().where(things.c.id == bindparam("b_id"), things.c.kind == "tool")
)
BY_IDS = DriverStatement(
    select(things.c.id, things.c.details, things.c.price)
    .where(things.c.id == any_(bindparam("ids", type_=ARRAY(String))))
    .order_by(things.c.id)
)
AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def thing(id: str, kind: str = "tool", details: object = None) -> dict[str, object]:
    return {
        "id": id,
        "kind": kind,
        "price": Decimal("12.345678"),
        "details": details,
        "tags": ["a", "b"],
        "at": AT,
        "note": "named",
    }


async def test_rows_written_on_the_driver_read_back_as_sqlalchemy_writes_them(
    database: Database,
) -> None:
    async with database.transaction() as transaction:
        assert await INSERT.execute(transaction, thing("d", details={"size": [1, 2]})) == 1
        await transaction.execute(things.insert(), thing("s", details={"size": [1, 2]}))
        await INSERT.execute_many(transaction, [thing("m1"), thing("m2", details="text")])

    async with database.transaction() as transaction:
        rows = {row.id: row for row in await transaction.execute(select(things))}
    assert set(rows) == {"d", "s", "m1", "m2"}
    assert rows["d"]._asdict() | {"id": "s"} == rows["s"]._asdict()
    assert rows["d"].details == {"size": [1, 2]}
    assert rows["d"].price == Decimal("12.345678")
    assert rows["d"].tags == ["a", "b"]
    assert rows["d"].at == AT
    assert rows["d"].version == 1
    assert rows["m1"].details is None
    assert rows["m2"].details == "text"


async def test_an_update_counts_its_rows_and_a_literal_in_its_where_is_sent(
    database: Database,
) -> None:
    async with database.transaction() as transaction:
        await INSERT.execute_many(transaction, [thing("t"), thing("p", kind="part")])
        changes = {"b_id": "t", "details": {"v": 2}, "version": 2}
        assert await UPDATE.execute(transaction, changes) == 1
        assert await UPDATE.execute(transaction, {**changes, "b_id": "p"}) == 0  # not a tool
        assert await UPDATE.execute(transaction, {"b_id": "t", "kind": "tool"}) == 1  # other keys

        rows = await BY_IDS.fetch(transaction, {"ids": ["t", "p", "absent"]})
    assert [(r["id"], r["details"]) for r in rows] == [("p", None), ("t", {"v": 2})]
    assert rows[1]["price"] == Decimal("12.345678")


async def test_driver_statements_roll_back_with_the_transaction(database: Database) -> None:
    async def failing_use_case() -> None:
        async with database.transaction() as transaction:
            await INSERT.execute(transaction, thing("gone"))  # the transaction's first statement
            raise RuntimeError("the use case fails")

    with pytest.raises(RuntimeError):
        await failing_use_case()

    async with database.transaction() as transaction:
        assert await BY_IDS.fetch(transaction, {"ids": ["gone"]}) == []


async def test_what_sqlalchemy_would_fill_in_or_compile_per_call_is_refused(
    database: Database,
) -> None:
    async with database.transaction() as transaction:
        unnamed = {key: value for key, value in thing("x").items() if key != "note"}
        with pytest.raises(ValueError, match="note"):
            await INSERT.execute(transaction, unnamed)
        expanding = DriverStatement(select(things.c.id).where(things.c.id.in_(["a", "b"])))
        with pytest.raises(ValueError, match="ANY"):
            await expanding.fetch(transaction)
        with pytest.raises(KeyError, match="ids"):
            await BY_IDS.fetch(transaction, {})


parts = Table(
    "parts",
    metadata,
    Column("thing_id", String(20), nullable=False),
    Column("position", Integer, nullable=False),
    Column("price", Numeric(18, 6), nullable=False),
)
THING_AND_PARTS = select_every_column(
    things, "WHERE id = $1", also=(rows_of(parts, "thing_id = $1 ORDER BY position", "parts"),)
)


async def test_a_head_and_its_rows_come_in_one_statement_read_by_column_name(
    database: Database,
) -> None:
    async with database.transaction() as transaction:
        await INSERT.execute_many(transaction, [thing("with"), thing("without")])
        await DriverStatement(parts.insert()).execute_many(
            transaction,
            [
                {"thing_id": "with", "position": 2, "price": Decimal("0.10")},
                {"thing_id": "with", "position": 1, "price": Decimal("2.50")},
                {"thing_id": "other", "position": 1, "price": Decimal(1)},
            ],
        )
        connection = await driver(transaction)
        head = await connection.fetchrow(THING_AND_PARTS, "with")
        bare = await connection.fetchrow(THING_AND_PARTS, "without")
    assert head["kind"] == "tool"
    assert [(p["position"], p["price"]) for p in head["parts"]] == [
        (1, Decimal("2.50")),
        (2, Decimal("0.10")),
    ]
    assert bare["parts"] == []


async def test_a_column_named_as_text_comes_as_its_stored_text_not_decoded(
    database: Database,
) -> None:
    as_text = select_every_column(things, "WHERE id = $1", texts=("details",))
    async with database.transaction() as transaction:
        await INSERT.execute(transaction, thing("doc", details={"b": [1, "2"], "a": None}))
        head = await (await driver(transaction)).fetchrow(as_text, "doc")
    assert head["details"] == '{"a": null, "b": [1, "2"]}', "PostgreSQL's text of the JSONB"
    assert head["kind"] == "tool"
    assert list(head.keys()) == [c.name for c in things.columns], "named as the column"
