"""The in-memory stores the unit tests use keep the contract the PostgreSQL ones keep; the
running gateway prunes expired idempotency records."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from gateway.app import create_app
from gateway.clients import Clients
from gateway.edge.api_keys import ApiKeyStore
from gateway.edge.idempotency import IdempotencyStore
from gateway.edge.stores import Stores
from services.gateway.tests.store_contracts import API_KEY_CHECKS, IDEMPOTENCY_CHECKS
from services.gateway.tests.unit.conftest import gateway_settings
from services.gateway.tests.unit.fakes import MemoryApiKeys, MemoryAudit, MemoryIdempotency


@pytest.mark.parametrize("check", API_KEY_CHECKS, ids=lambda c: c.__name__)
async def test_api_keys(check: Callable[[ApiKeyStore], Awaitable[None]]) -> None:
    await check(MemoryApiKeys())


@pytest.mark.parametrize("check", IDEMPOTENCY_CHECKS, ids=lambda c: c.__name__)
async def test_idempotency_records(check: Callable[[IdempotencyStore], Awaitable[None]]) -> None:
    await check(MemoryIdempotency())


async def test_the_running_gateway_prunes_expired_idempotency_records() -> None:
    records = MemoryIdempotency()
    now = datetime.now(UTC)
    await records.claim("ada", "old", "print", now - timedelta(days=2), now - timedelta(days=1))
    await records.claim("ada", "new", "print", now, now + timedelta(days=1))
    stores = Stores(MemoryApiKeys(), records, MemoryAudit())
    app = create_app(gateway_settings(), Clients({}), stores)
    async with app.router.lifespan_context(app):
        await asyncio.sleep(0.05)  # the loop prunes as soon as it starts
    assert list(records.rows) == [("ada", "new")]
