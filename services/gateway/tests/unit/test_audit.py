"""GET /api/v1/audit: every service's change log (fakes on gRPC servers of their own) and the
gateway's, merged newest first a page at a time; a service that does not answer is named."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import httpx
import pytest

from gateway.clients import SERVICES
from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from servicekit.grpc import timestamp
from services.gateway.tests.unit.conftest import fake_services, gateway_at
from services.gateway.tests.unit.fakes import MemoryAudit, audit_page, memory_stores
from testkit.services import free_port, signed_in

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def entry(
    service: str, entity: str, minute: int, action: str, **after: Any
) -> audit_pb2.AuditEntry:
    return audit_pb2.AuditEntry(
        id=f"{service}-{minute}",
        entity_type="product",
        entity_id=entity,
        action=action,
        actor="fiona",
        actor_roles=["finance"],
        at=timestamp(T0 + timedelta(minutes=minute)),
        before_json="",
        after_json=json.dumps(after) if after else "",
        correlation_id=f"c-{minute}",
        service=service,
    )


class FakeAudit(audit_pb2_grpc.AuditServiceServicer):
    def __init__(self, entries: list[audit_pb2.AuditEntry], broken: bool = False) -> None:
        self.entries = entries
        self.broken = broken

    async def ListAuditEntries(
        self, request: audit_pb2.ListAuditEntriesRequest, context: Any
    ) -> audit_pb2.ListAuditEntriesResponse:
        if self.broken:
            await context.abort(grpc.StatusCode.INTERNAL, "its database is gone")
        return audit_page(self.entries, request)


CATALOG = [
    entry("catalog", "p-1", 1, "created", list_price="9.50 EUR"),
    entry("catalog", "p-1", 4, "list_price_changed", list_price="12.00 EUR"),
    entry("catalog", "p-2", 5, "created"),
]
INVENTORY = [entry("inventory", "p-1", 2, "stock_adjusted", on_hand=5)]
GATEWAY = [entry("gateway", "p-1", 3, "noted")]


@pytest.fixture(scope="module")
async def api() -> AsyncIterator[httpx.AsyncClient]:
    add = audit_pb2_grpc.add_AuditServiceServicer_to_server
    stores = memory_stores()
    assert isinstance(stores.audit, MemoryAudit)
    stores.audit.entries.extend(GATEWAY)
    nowhere = f"127.0.0.1:{free_port()}"
    async with (
        fake_services([(add, FakeAudit(CATALOG))]) as catalog,
        fake_services([(add, FakeAudit(INVENTORY))]) as inventory,
        fake_services([(add, FakeAudit([], broken=True))]) as billing,
    ):
        targets = dict.fromkeys(SERVICES, nowhere) | {
            "catalog": catalog,
            "inventory": inventory,
            "billing": billing,
        }
        async with gateway_at(targets, "http://gw", stores) as client:
            yield client


async def test_changes_from_every_owner_merged_newest_first(api: httpx.AsyncClient) -> None:
    response = await api.get(
        "/api/v1/audit?entity_type=product&entity_id=p-1", headers=signed_in("fiona", "finance")
    )
    assert response.status_code == 200
    page = response.json()
    assert [(e["service"], e["action"]) for e in page["items"]] == [
        ("catalog", "list_price_changed"),
        ("gateway", "noted"),
        ("inventory", "stock_adjusted"),
        ("catalog", "created"),
    ]
    assert page["items"][0]["after"] == {"list_price": "12.00 EUR"}
    assert page["items"][0]["before"] is None
    assert page["next_page_token"] == ""
    down = {u["service"]: u["detail"] for u in page["unavailable"]}
    assert set(down) == {"quoting", "orders", "billing", "procurement"}
    assert down["billing"].startswith("INTERNAL")
    assert down["orders"].startswith("UNAVAILABLE")


async def test_pages_continue_across_services(api: httpx.AsyncClient) -> None:
    admin = signed_in("ada", "admin")
    seen: list[str] = []
    token = ""
    for _ in range(5):
        query = f"entity_type=product&page_size=2&page_token={token}"
        page = (await api.get(f"/api/v1/audit?{query}", headers=admin)).json()
        seen += [e["id"] for e in page["items"]]
        token = page["next_page_token"]
        if not token:
            break
    assert seen == ["catalog-5", "catalog-4", "gateway-3", "inventory-2", "catalog-1"]


@pytest.mark.parametrize("role", ["sales", "warehouse", "purchasing", "order-desk"])
async def test_only_finance_and_admin_read_the_audit(api: httpx.AsyncClient, role: str) -> None:
    response = await api.get("/api/v1/audit?entity_type=product", headers=signed_in("x", role))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "entity_type"),
        ("entity_type=", "entity_type"),
        ("entity_type=" + "x" * 41, "entity_type"),
        ("entity_type=product&entity_id=" + "x" * 101, "entity_id"),
        ("entity_type=product&page_size=201", "page_size"),
        ("entity_type=product&page_token=nonsense", "page_token"),
    ],
)
async def test_bad_queries_are_422_naming_the_parameter(
    api: httpx.AsyncClient, query: str, field: str
) -> None:
    response = await api.get(f"/api/v1/audit?{query}", headers=signed_in("ada", "admin"))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field
