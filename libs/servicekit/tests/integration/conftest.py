"""A new database per test, with the tables of the test module's `metadata`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from servicekit.db import Database


@pytest.fixture
async def database(
    request: pytest.FixtureRequest, fresh_database: Callable[[str], Awaitable[str]]
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("servicekit"))
    async with database.engine.begin() as connection:
        await connection.run_sync(request.module.metadata.create_all)
    yield database
    await database.dispose()
