"""People of an organization signing in with its own OpenID Connect provider: the gateway
verifies the provider's access tokens with the keys it publishes (fetched over HTTP from a
stand-in provider), maps its groups to the suite's roles and refuses anything else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.app import create_app
from oms.orders.v1 import orders_pb2, orders_pb2_grpc
from servicekit.auth import InvalidToken, UnsafeKey
from servicekit.errors import NotFound
from servicekit.oidc import OidcVerifier, PublishedKeys, check_url
from services.gateway.tests.unit.conftest import GatewayOver, gateway_settings
from services.gateway.tests.unit.fakes import memory_stores
from testkit.oidc import OidcProvider, ProviderUser, serving

ROLE_MAP = {"oms-order-desk": "order-desk", "oms-sales": "sales"}
seen: list[dict[str, str]] = []


class FakeOrders(orders_pb2_grpc.OrdersServiceServicer):
    async def GetSalesOrder(self, request: Any, context: Any) -> orders_pb2.GetSalesOrderResponse:
        seen.append(dict(context.invocation_metadata()))
        if request.order_id != "o-1":
            raise NotFound(f"sales order {request.order_id} not found")
        return orders_pb2.GetSalesOrderResponse(order=orders_pb2.SalesOrder(id="o-1"))


@pytest.fixture(scope="module")
async def provider() -> AsyncIterator[OidcProvider]:
    users = {
        "dana": ProviderUser("pw", ("oms-order-desk", "staff"), team="north"),
        "eve": ProviderUser("pw", ("staff", "system", "service")),
    }
    async with serving(OidcProvider("web", "secret", "oms-api", users)) as running:
        yield running


@pytest.fixture(scope="module")
async def api(
    gateway_over: GatewayOver, provider: OidcProvider
) -> AsyncIterator[httpx.AsyncClient]:
    settings = gateway_settings(
        oidc_issuer=provider.issuer, oidc_roles_claim="groups", oidc_role_map=ROLE_MAP
    )
    async with gateway_over(
        [(orders_pb2_grpc.add_OrdersServiceServicer_to_server, FakeOrders())],
        "http://gw",
        settings=settings,
    ) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_providers_token_signs_the_person_in_with_the_mapped_role(
    api: httpx.AsyncClient, provider: OidcProvider
) -> None:
    response = await api.get(
        "/api/v1/sales-orders/o-1", headers=bearer(provider.access_token("dana"))
    )
    assert response.status_code == 200, response.text
    # the services see the person as the provider named them, with the suite's role and team
    passed_on = seen[-1]["authorization"].removeprefix("Bearer ")
    claims = jwt.decode(passed_on, options={"verify_signature": False})
    assert (claims["sub"], claims["roles"], claims["team"]) == ("dana", ["order-desk"], "north")


async def test_groups_that_are_not_the_suites_roles_grant_nothing(
    api: httpx.AsyncClient, provider: OidcProvider
) -> None:
    response = await api.get(
        "/api/v1/sales-orders/o-1", headers=bearer(provider.access_token("eve"))
    )
    assert response.status_code == 403


async def test_a_token_for_another_audience_or_signed_by_another_key_is_401(
    api: httpx.AsyncClient, provider: OidcProvider
) -> None:
    id_token_for_the_web = provider.token("dana", "web", groups=["oms-order-desk"])
    impostor = OidcProvider("web", "secret", "oms-api", provider.users, issuer=provider.issuer)
    forged = impostor.access_token("dana")
    for token in (id_token_for_the_web, forged):
        response = await api.get("/api/v1/sales-orders/o-1", headers=bearer(token))
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"


async def test_keys_are_fetched_again_when_the_provider_rotates_them(
    provider: OidcProvider,
) -> None:
    keys = PublishedKeys(provider.issuer, refresh_seconds=0)
    verifier = OidcVerifier(provider.issuer, "oms-api", keys, roles_claim="groups")
    before = provider.key
    assert (await verifier.verify(provider.access_token("dana")))[0].subject == "dana"
    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    try:
        principal, _ = await verifier.verify(provider.access_token("dana"))
    finally:
        provider.key = before
    assert principal.subject == "dana"


async def test_an_unknown_key_id_does_not_make_the_gateway_fetch_again_at_once(
    provider: OidcProvider,
) -> None:
    fetched: list[str] = []

    async def fetch(url: str) -> dict[str, Any]:
        fetched.append(url)
        async with httpx.AsyncClient() as client:
            document: dict[str, Any] = (await client.get(url)).json()
            return document

    keys = PublishedKeys(provider.issuer, fetch=fetch, refresh_seconds=60)
    verifier = OidcVerifier(provider.issuer, "oms-api", keys, roles_claim="groups")
    forged = OidcProvider("web", "s", "oms-api", provider.users, issuer=provider.issuer)
    for _ in range(5):
        with pytest.raises(InvalidToken):
            await verifier.verify(forged.access_token("dana"))
    # discovery and keys once, not once per made-up key id
    assert len(fetched) == 2


def test_roles_come_from_a_nested_claim_and_never_include_the_suites_own_callers() -> None:
    verifier = OidcVerifier("https://id", "oms-api", PublishedKeys("https://id"))
    verifier.roles_claim = "realm_access.roles"
    claims = {"realm_access": {"roles": ["finance", "system", "service", "admin", "finance"]}}
    assert verifier.roles_of(claims) == ("finance", "admin")
    assert verifier.roles_of({}) == ()


def test_the_provider_must_be_reached_over_https_outside_development() -> None:
    assert check_url("https://login.example.com/realms/acme", False, "S")
    assert check_url("http://127.0.0.1:8081", False, "S")  # a sidecar on this machine
    with pytest.raises(UnsafeKey):
        check_url("http://login.example.com", False, "S")
    with pytest.raises(UnsafeKey):
        create_app(gateway_settings(oidc_issuer="http://login.example.com"), stores=memory_stores())
