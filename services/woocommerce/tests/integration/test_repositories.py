"""The PostgreSQL adapters keep the contract the fakes keep (tests/repository_contracts.py)."""

from __future__ import annotations

from functools import partial

import pytest

from servicekit.db import Database
from services.woocommerce.tests.repository_contracts import EVERY_CHECK, Check
from woocommerce.adapters.secrets import DEVELOPMENT_KEY, SecretBox
from woocommerce.adapters.unit_of_work import SqlUnitOfWork

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("check", EVERY_CHECK, ids=lambda c: c.__name__)
async def test_the_adapters_keep_the_contract(check: Check, database_url: str) -> None:
    database = Database(database_url, pool_size=2)
    try:
        await check(partial(SqlUnitOfWork, database, SecretBox(DEVELOPMENT_KEY)))
    finally:
        await database.dispose()
