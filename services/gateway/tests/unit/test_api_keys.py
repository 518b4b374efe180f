"""API keys for machines: issued, listed and revoked by an admin, shown once, stored hashed,
accepted as X-API-Key or `Authorization: ApiKey`, refused once revoked."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.edge.api_keys import ApiKeys, InvalidApiKey, key_id_of
from oms.orders.v1 import orders_pb2, orders_pb2_grpc
from servicekit.auth import INTERNAL_AUDIENCE, INTERNAL_ISSUER, TokenVerifier
from services.gateway.tests.unit.conftest import GatewayOver
from services.gateway.tests.unit.fakes import MemoryApiKeys, memory_stores
from testkit.security import session_security
from testkit.services import signed_in

API = "/api/v1"
ADMIN = signed_in("ada", "admin")
forwarded: list[str] = []


class FakeOrders(orders_pb2_grpc.OrdersServiceServicer):
    async def GetSalesOrder(self, request: Any, context: Any) -> orders_pb2.GetSalesOrderResponse:
        forwarded.append(dict(context.invocation_metadata())["authorization"])
        return orders_pb2.GetSalesOrderResponse(order=orders_pb2.SalesOrder(id=request.order_id))


@pytest.fixture(scope="module")
def stores() -> Any:
    return memory_stores()


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver, stores: Any) -> AsyncIterator[httpx.AsyncClient]:
    registrations = [(orders_pb2_grpc.add_OrdersServiceServicer_to_server, FakeOrders())]
    async with gateway_over(registrations, "http://gw", stores=stores) as client:
        yield client


async def issue(api: httpx.AsyncClient, name: str = "shop-sync", *roles: str) -> dict[str, Any]:
    body = {"name": name, "roles": list(roles or ("order-desk",))}
    response = await api.post(f"{API}/api-keys", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()
    return issued


async def test_an_admin_issues_a_key_shown_once_and_stored_hashed(
    api: httpx.AsyncClient, stores: Any
) -> None:
    response = await api.post(
        f"{API}/api-keys", json={"name": "shop-sync", "roles": ["order-desk"]}, headers=ADMIN
    )
    assert response.status_code == 201
    issued = response.json()
    key = issued["key"]
    assert key.startswith("oms_")
    assert len(key) > 60
    assert response.headers["location"] == f"{API}/api-keys/{issued['id']}"
    assert response.headers["cache-control"] == "no-store"
    assert (issued["name"], issued["roles"], issued["created_by"]) == (
        "shop-sync",
        ["order-desk"],
        "ada",
    )
    stored = stores.api_keys.keys[issued["id"]]
    assert stored.secret_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in repr(stored)
    listed = await api.get(f"{API}/api-keys", headers=ADMIN)
    one = await api.get(f"{API}/api-keys/{issued['id']}", headers=ADMIN)
    for shown in (listed, one):
        assert shown.status_code == 200
        assert key not in shown.text
    assert "key" not in one.json()


@pytest.mark.parametrize("header", ["X-API-Key", "Authorization"])
async def test_a_machine_acts_as_its_key_with_its_roles(
    api: httpx.AsyncClient, header: str
) -> None:
    key = (await issue(api, "shop-sync", "order-desk"))["key"]
    value = key if header == "X-API-Key" else f"ApiKey {key}"
    response = await api.get(f"{API}/sales-orders/o-1", headers={header: value})
    assert response.status_code == 200
    verifier = TokenVerifier(
        session_security().gateway_key.key_set(), INTERNAL_ISSUER, INTERNAL_AUDIENCE
    )
    passed_on = verifier.verify(forwarded[-1].removeprefix("Bearer "))
    assert (passed_on.subject, passed_on.roles) == ("api-key:shop-sync", ("order-desk",))
    refused = await api.get(f"{API}/api-keys", headers={header: value})
    assert refused.status_code == 403


async def test_a_revoked_key_is_refused_at_once(api: httpx.AsyncClient) -> None:
    issued = await issue(api, "old-robot")
    machine = {"X-API-Key": issued["key"]}
    assert (await api.get(f"{API}/sales-orders/o-1", headers=machine)).status_code == 200
    revoked = await api.delete(f"{API}/api-keys/{issued['id']}", headers=ADMIN)
    assert revoked.status_code == 204
    refused = await api.get(f"{API}/sales-orders/o-1", headers=machine)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert (await api.delete(f"{API}/api-keys/{issued['id']}", headers=ADMIN)).status_code == 204
    shown = (await api.get(f"{API}/api-keys/{issued['id']}", headers=ADMIN)).json()
    assert shown["revoked_by"] == "ada"
    assert shown["revoked_at"]


async def test_revocation_reaches_every_replica_within_the_cache_time() -> None:
    store, now = MemoryApiKeys(), [0.0]
    here = ApiKeys(store, cache_seconds=5, clock=lambda: now[0])
    there = ApiKeys(store, cache_seconds=5, clock=lambda: now[0])
    key, presented = await here.issue("robot", ["warehouse"])
    assert (await there.verify(presented)).subject == "api-key:robot"
    await here.revoke(key.id)
    with pytest.raises(InvalidApiKey):
        await here.verify(presented)
    now[0] = 4.9
    assert (await there.verify(presented)).roles == ("warehouse",)  # remembered, for now
    now[0] = 5.1
    with pytest.raises(InvalidApiKey):
        await there.verify(presented)


async def test_unknown_tampered_or_doubled_credentials_are_401(api: httpx.AsyncClient) -> None:
    key = (await issue(api))["key"]
    tampered = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    for headers in (
        {"X-API-Key": "nope"},
        {"X-API-Key": f"oms_{uuid.uuid4().hex}_secret"},
        {"X-API-Key": tampered},
        {"Authorization": "ApiKey "},
        {"X-API-Key": key, **ADMIN},
    ):
        response = await api.get(f"{API}/sales-orders/o-1", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api-keys"),
        ("GET", "/api-keys"),
        ("DELETE", "/api-keys/75516db4-0f92-4036-954c-dab8cf8c8ed9"),
    ],
)
async def test_only_an_admin_manages_keys(api: httpx.AsyncClient, method: str, path: str) -> None:
    body = {"name": "x", "roles": ["sales"]} if method == "POST" else None
    response = await api.request(
        method, API + path, json=body, headers=signed_in("fiona", "finance")
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Shop Sync", "roles": ["sales"]}, "name"),
        ({"name": "x" * 64, "roles": ["sales"]}, "name"),
        ({"name": "robot", "roles": []}, "roles"),
        ({"name": "robot", "roles": ["root"]}, "roles"),
        ({"name": "robot", "roles": ["system"]}, "roles"),
    ],
)
async def test_a_key_needs_a_plain_name_and_known_roles(
    api: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await api.post(f"{API}/api-keys", json=body, headers=ADMIN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_unknown_keys_are_404(api: httpx.AsyncClient) -> None:
    for method in ("GET", "DELETE"):
        response = await api.request(method, f"{API}/api-keys/{uuid.uuid4()}", headers=ADMIN)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


async def test_keys_are_listed_newest_first_a_page_at_a_time(gateway_over: GatewayOver) -> None:
    async with gateway_over([], "http://gw") as api:
        ids = [(await issue(api, f"robot-{i}"))["id"] for i in range(3)]
        first = (await api.get(f"{API}/api-keys?page_size=2", headers=ADMIN)).json()
        token = first["next_page_token"]
        second = (
            await api.get(f"{API}/api-keys?page_size=2&page_token={token}", headers=ADMIN)
        ).json()
        refused = [
            await api.get(f"{API}/api-keys?{query}", headers=ADMIN)
            for query in ("page_size=0", "page_size=201", "page_size=99999999999999999999")
        ]
        bad_token = await api.get(f"{API}/api-keys?page_token=garbage", headers=ADMIN)
    assert [k["id"] for k in first["items"] + second["items"]] == ids[::-1]
    assert second["next_page_token"] == ""
    assert [r.status_code for r in refused] == [422, 422, 422]
    assert bad_token.status_code == 422
    assert bad_token.json()["errors"][0]["field"] == "page_token"


async def test_a_retried_issue_creates_one_key_and_never_shows_it_again(
    api: httpx.AsyncClient, stores: Any
) -> None:
    headers = {**ADMIN, "Idempotency-Key": str(uuid.uuid4())}
    body = {"name": "once", "roles": ["warehouse"]}
    before = len(stores.api_keys.keys)
    first = await api.post(f"{API}/api-keys", json=body, headers=headers)
    again = await api.post(f"{API}/api-keys", json=body, headers=headers)
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert first.json()["key"] not in again.text
    assert len(stores.api_keys.keys) == before + 1


def test_only_keys_shaped_like_ours_name_an_id() -> None:
    key_id = uuid.uuid4()
    assert key_id_of(f"oms_{key_id.hex}_s3cret") == str(key_id)
    for malformed in ("", "oms_", f"oms_{key_id.hex}", f"oms_{key_id.hex}_", "oms_zz_secret"):
        assert key_id_of(malformed) is None
