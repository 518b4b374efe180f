"""The fakes keep the contract the PostgreSQL adapters keep (tests/repository_contracts.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from services.web.tests.repository_contracts import CONTRACTS
from services.web.tests.unit.fakes import FakeDatabase


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.__name__)
async def test_the_fakes_keep_the_contract(contract: Callable[[Any], Awaitable[None]]) -> None:
    await contract(FakeDatabase())
