"""The in-memory stores the unit tests use keep the contract the PostgreSQL ones keep."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from gateway.api_keys import ApiKeyStore
from gateway.idempotency import IdempotencyStore
from services.gateway.tests.store_contracts import API_KEY_CHECKS, IDEMPOTENCY_CHECKS
from services.gateway.tests.unit.fakes import MemoryApiKeys, MemoryIdempotency


@pytest.mark.parametrize("check", API_KEY_CHECKS, ids=lambda c: c.__name__)
async def test_api_keys(check: Callable[[ApiKeyStore], Awaitable[None]]) -> None:
    await check(MemoryApiKeys())


@pytest.mark.parametrize("check", IDEMPOTENCY_CHECKS, ids=lambda c: c.__name__)
async def test_idempotency_records(check: Callable[[IdempotencyStore], Awaitable[None]]) -> None:
    await check(MemoryIdempotency())
