"""Each service's migrations build exactly the tables its code declares: `alembic check` finds
nothing left to generate after upgrading a fresh database to head."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devstack.paths import alembic_ini
from devstack.topology import BUSINESS_SERVICES, CONNECTORS
from servicekit.db import alembic_config

# The connectors keep a database, and so does the gateway (API keys, idempotency records).
WITH_DATABASE = (*BUSINESS_SERVICES, *CONNECTORS, "gateway")


@pytest.mark.parametrize("service", WITH_DATABASE)
async def test_migrations_match_the_declared_tables(
    service: str, fresh_database: Callable[[str], Awaitable[str]]
) -> None:
    config = alembic_config(alembic_ini(service), await fresh_database(service))
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.check, config)


@pytest.mark.parametrize("service", WITH_DATABASE)
async def test_every_migration_can_be_undone_and_done_again(
    service: str, fresh_database: Callable[[str], Awaitable[str]]
) -> None:
    config = alembic_config(alembic_ini(service), await fresh_database(service))
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.downgrade, config, "base")
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.check, config)


async def test_undoing_quote_versions_keeps_each_quotes_latest_lines(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await fresh_database("quoting")
    config = alembic_config(alembic_ini("quoting"), url)
    await asyncio.to_thread(command.upgrade, config, "head")
    document = {
        "currency": "EUR",
        "groups": [
            {
                "name": "A",
                "lines": [
                    {"lineId": "a", "description": "Pump", "quantity": "2", "unitPrice": "10.00"}
                ],
            },
            {
                "name": "B",
                "lines": [
                    {"lineId": "b", "description": "Fitting", "quantity": "1", "unitPrice": "3.50"}
                ],
            },
        ],
        "breakdown": {"lines": [{"lineId": "a", "net": "18.00"}, {"lineId": "b", "net": "3.50"}]},
    }
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO quotes (id, customer_id, salesperson, currency, total, status,"
                " latest_version, valid_until, created_at, created_by, updated_at)"
                " VALUES ('q1', 'C-1', 'sam', 'EUR', 25.61, 'draft', 1, current_date, now(),"
                " 'sam', now())"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO quote_versions (quote_id, version, content, document, created_at,"
                " created_by) VALUES ('q1', 1, '{}', CAST(:document AS jsonb), now(), 'sam')"
            ),
            {"document": json.dumps(document)},
        )
    await asyncio.to_thread(command.downgrade, config, "0001")
    async with engine.connect() as connection:
        lines = (
            await connection.execute(
                text(
                    "SELECT position, description, quantity, unit_price, line_total"
                    " FROM quote_lines ORDER BY position"
                )
            )
        ).all()
    await engine.dispose()
    assert [tuple(x) for x in lines] == [
        (0, "Pump", 2, Decimal("10.00"), Decimal("18.00")),
        (1, "Fitting", 1, Decimal("3.50"), Decimal("3.50")),
    ]
