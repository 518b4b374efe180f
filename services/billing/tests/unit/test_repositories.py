"""The fakes keep the contract the PostgreSQL adapters keep (tests/repository_contracts.py)."""

from __future__ import annotations

import pytest

from services.billing.tests.dunning_contracts import DUNNING_CHECKS
from services.billing.tests.repository_contracts import EVERY_CHECK, Check
from services.billing.tests.unit.fakes import FakeBilling


@pytest.mark.parametrize("check", EVERY_CHECK, ids=lambda c: c.__name__)
async def test_the_fakes_keep_the_contract(check: Check) -> None:
    await check(FakeBilling())


@pytest.mark.parametrize("check", DUNNING_CHECKS, ids=lambda c: c.__name__)
async def test_the_fakes_keep_the_dunning_contract(check: Check) -> None:
    await check(FakeBilling())
