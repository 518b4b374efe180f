"""The in-memory repositories the use-case tests run on keep the contract the PostgreSQL ones
keep (tests/repository_contracts.py; the same checks run in tests/integration)."""

from __future__ import annotations

import pytest

from services.procurement.tests.repository_contracts import CHECKS, Check
from services.procurement.tests.unit.fakes import FakeStore, FakeUnitOfWork


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
async def test_fake_repositories(check: Check) -> None:
    store = FakeStore()
    await check(lambda: FakeUnitOfWork(store))
