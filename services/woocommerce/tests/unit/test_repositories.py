"""The fakes keep the contract the PostgreSQL adapters keep (tests/repository_contracts.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.woocommerce.tests.repository_contracts import EVERY_CHECK, Check
from services.woocommerce.tests.unit.fakes import FakeClock, FakeConnector


@pytest.mark.parametrize("check", EVERY_CHECK, ids=lambda c: c.__name__)
async def test_the_fakes_keep_the_contract(check: Check) -> None:
    await check(FakeConnector(FakeClock(datetime.now(UTC))))
