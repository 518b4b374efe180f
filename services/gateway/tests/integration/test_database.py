"""The gateway's own database: its stores keep the contract the unit tests' fakes keep, it is
migrated at start, and API keys and idempotency records work on it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.clients import SERVICES
from gateway.config import Settings
from gateway.edge.api_keys import ApiKeyStore
from gateway.edge.idempotency import IdempotencyStore
from gateway.edge.stores import Stores, open_stores
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from services.gateway.tests.store_contracts import API_KEY_CHECKS, IDEMPOTENCY_CHECKS
from services.gateway.tests.unit.conftest import fake_services, gateway_at
from testkit.services import free_port, signed_in

FreshDatabase = Callable[[str], Awaitable[str]]
ADMIN = signed_in("ada", "admin")


@pytest.fixture
async def stores(fresh_database: FreshDatabase) -> AsyncIterator[Stores]:
    settings = Settings(database_url=await fresh_database("gateway"))
    async with open_stores(settings) as opened:
        yield opened


@pytest.mark.parametrize("check", API_KEY_CHECKS, ids=lambda c: c.__name__)
async def test_api_keys(check: Callable[[ApiKeyStore], Awaitable[None]], stores: Stores) -> None:
    await check(stores.api_keys)


@pytest.mark.parametrize("check", IDEMPOTENCY_CHECKS, ids=lambda c: c.__name__)
async def test_idempotency_records(
    check: Callable[[IdempotencyStore], Awaitable[None]], stores: Stores
) -> None:
    await check(stores.idempotency)


async def test_it_migrates_at_start_and_audits_the_keys_it_issues(
    fresh_database: FreshDatabase,
) -> None:
    nowhere = f"127.0.0.1:{free_port()}"
    settings = Settings(
        database_url=await fresh_database("gateway"),
        **{f"{service}_target": nowhere for service in SERVICES},
    )
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as api,
    ):
        body = {"name": "ops-robot", "roles": ["admin"]}
        issued = (await api.post("/api/v1/api-keys", json=body, headers=ADMIN)).json()
        machine = {"X-API-Key": issued["key"]}
        listed = await api.get("/api/v1/api-keys", headers=machine)
        revoked = await api.delete(f"/api/v1/api-keys/{issued['id']}", headers=ADMIN)
        refused = await api.get("/api/v1/api-keys", headers=machine)
        audit = await api.get(
            f"/api/v1/audit?entity_type=api_key&entity_id={issued['id']}",
            headers=signed_in("fiona", "finance"),
        )
    assert [k["name"] for k in listed.json()["items"]] == ["ops-robot"]
    assert (revoked.status_code, refused.status_code) == (204, 401)
    entries = audit.json()["items"]
    assert [(e["service"], e["action"], e["actor"]) for e in entries] == [
        ("gateway", "revoked", "ada"),
        ("gateway", "issued", "ada"),
    ]
    assert entries[1]["after"] == {"name": "ops-robot", "roles": ["admin"]}
    assert {u["service"] for u in audit.json()["unavailable"]} == set(SERVICES)


adjustments: list[str] = []


class SlowInventory(inventory_pb2_grpc.InventoryServiceServicer):
    async def AdjustStock(self, request: Any, context: Any) -> inventory_pb2.AdjustStockResponse:
        await asyncio.sleep(0.3)
        adjustments.append(request.product_id)
        return inventory_pb2.AdjustStockResponse(
            level=inventory_pb2.StockLevel(product_id=request.product_id, on_hand=5)
        )


async def test_a_post_sent_at_once_to_two_replicas_has_one_effect(stores: Stores) -> None:
    """Two gateways on one database: the second waits for the first's response."""
    registrations = [(inventory_pb2_grpc.add_InventoryServiceServicer_to_server, SlowInventory())]
    product = str(uuid.uuid4())
    body = {"warehouse_id": "w-1", "product_id": product, "quantity_delta": 5, "reason": "count"}
    headers = {**ADMIN, "Idempotency-Key": str(uuid.uuid4())}
    async with fake_services(registrations) as target:
        targets = dict.fromkeys(SERVICES, target)
        async with (
            gateway_at(targets, "http://one", stores) as one,
            gateway_at(targets, "http://two", stores) as two,
        ):
            answers = await asyncio.gather(
                one.post("/api/v1/stock/adjustments", json=body, headers=headers),
                two.post("/api/v1/stock/adjustments", json=body, headers=headers),
            )
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert adjustments.count(product) == 1
