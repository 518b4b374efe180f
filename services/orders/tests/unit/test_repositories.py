"""The fakes keep the repository contracts the PostgreSQL adapters keep."""

from __future__ import annotations

import pytest

from services.orders.tests.repository_contracts import CHECKS, Check
from services.orders.tests.unit.fakes import FakeDatabase


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
async def test_fakes_keep_the_contract(check: Check) -> None:
    await check(FakeDatabase())
