"""The fakes the use-case tests run on keep the contract the PostgreSQL repositories keep."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from services.inventory.tests.repository_contracts import CHECKS, NewUnitOfWork
from services.inventory.tests.unit.fakes import FakeDatabase, FakeUnitOfWork


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
async def test_fake_repositories(check: Callable[[NewUnitOfWork], Awaitable[None]]) -> None:
    db = FakeDatabase()
    await check(lambda: FakeUnitOfWork(db))
