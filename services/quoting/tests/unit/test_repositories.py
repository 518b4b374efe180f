"""The in-memory repositories the use-case tests run on keep the contract PostgreSQL keeps."""

from __future__ import annotations

import pytest

from quoting.application.ports import UnitOfWork
from services.quoting.tests.repository_contracts import CHECKS, Check
from services.quoting.tests.unit.fakes import FakeUnitOfWork, Store


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
async def test_fake_repositories(check: Check) -> None:
    store = Store()

    def uow() -> UnitOfWork:
        return FakeUnitOfWork(store)

    await check(uow)
