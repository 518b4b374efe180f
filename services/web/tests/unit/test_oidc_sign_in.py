"""People of an organization sign in through its OpenID Connect provider (a stand-in served over
HTTP): the pages keep them as that provider's users with the role it grants, and pass its
access token to the gateway as it is. A sign-in not started here, a name a local user holds
and a provider granting no role of the suite are refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
import pytest

from servicekit.errors import InvalidArgument
from services.web.tests.unit.pages_harness import PASSWORD, Harness, json_answer, sign_in
from testkit.oidc import OidcProvider, ProviderUser, serving
from web.adapters.identity_provider import IdentityProvider
from web.application.people import reset_password
from web.config import Settings

ORDERS = {"/sales-orders": {"items": [], "totals": [], "next_page_token": ""}}


@pytest.fixture(scope="module")
async def provider() -> AsyncIterator[OidcProvider]:
    users = {
        "dana": ProviderUser("pw", ("oms-order-desk",), team="north"),
        "sam": ProviderUser("pw", ("oms-order-desk",)),
        "nobody": ProviderUser("pw", ("staff",)),
    }
    async with serving(OidcProvider("web-pages", "client-secret", "oms-api", users)) as running:
        yield running


def harness_for(provider: OidcProvider) -> Harness:
    settings = Settings(
        database_url="postgresql+asyncpg://unused/none",
        oidc_issuer=provider.issuer,
        oidc_client_id="web-pages",
        oidc_client_secret="client-secret",
        oidc_roles_claim="groups",
        oidc_role_map={"oms-order-desk": "order-desk"},
    )
    harness = Harness(json_answer(ORDERS), settings=settings)
    harness.web.provider = IdentityProvider.from_settings(settings)
    return harness


def pages(harness: Harness) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=harness.app)
    return httpx.AsyncClient(transport=transport, base_url="https://testserver")


async def through_the_provider(client: httpx.AsyncClient, username: str) -> httpx.Response:
    """What the browser does: off to the provider, signs in there, and back with a code."""
    started = await client.get("/sign-in/oidc")
    assert started.status_code == 303, started.text
    async with httpx.AsyncClient() as browser:
        form = await browser.get(started.headers["location"])
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.text))
        back = await browser.post(
            started.headers["location"].split("?")[0],
            data={**fields, "username": username, "password": "pw"},
        )
    target = urlsplit(back.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == (
        "https://testserver/sign-in/oidc/callback"
    )
    return await client.get(f"{target.path}?{target.query}")


async def test_a_person_signs_in_there_and_the_gateway_gets_the_providers_token(
    provider: OidcProvider,
) -> None:
    harness = harness_for(provider)
    async with pages(harness) as client:
        signed_in = await through_the_provider(client, "dana")
        assert signed_in.status_code == 303, signed_in.text
        assert signed_in.headers["location"] == "/"
        orders = await client.get("/orders")
    assert orders.status_code == 200, orders.text
    (call,) = harness.calls
    token = call.headers["authorization"].removeprefix("Bearer ")
    person, _ = await harness.web.provider.access_tokens.verify(token)  # type: ignore[union-attr]
    assert (person.subject, person.roles, person.team) == ("dana", ("order-desk",), "north")
    async with harness.database() as uow:
        user = await uow.users.by_username("dana")
    assert user is not None
    assert (user.role, user.provider, user.password_hash) == ("order-desk", provider.issuer, "")


async def test_a_callback_without_this_browsers_pending_sign_in_is_refused(
    provider: OidcProvider,
) -> None:
    harness = harness_for(provider)
    async with pages(harness) as client:
        started = await client.get("/sign-in/oidc")
        state = dict(
            part.split("=", 1) for part in urlsplit(started.headers["location"]).query.split("&")
        )["state"]
        other_state = await client.get(f"/sign-in/oidc/callback?code=x&state={state}x")
        (cookie, sealed), *_ = client.cookies.items()
        client.cookies.clear()
        client.cookies.set(cookie, sealed[:-1] + ("1" if sealed.endswith("0") else "0"))
        forged = await client.get(f"/sign-in/oidc/callback?code=x&state={state}")
    async with pages(harness) as stranger:
        no_cookie = await stranger.get(f"/sign-in/oidc/callback?code=x&state={state}")
    assert [r.status_code for r in (other_state, forged, no_cookie)] == [403, 403, 403]
    assert not harness.database.tables.sessions


async def test_a_name_a_local_user_holds_or_no_role_of_the_suite_signs_nobody_in(
    provider: OidcProvider,
) -> None:
    harness = harness_for(provider)
    await harness.user("sam", "admin")
    async with pages(harness) as client:
        taken = await through_the_provider(client, "sam")
        no_role = await through_the_provider(client, "nobody")
    assert (taken.status_code, no_role.status_code) == (403, 403)
    assert "belongs to another account" in taken.text
    assert "no role" in no_role.text
    assert not harness.database.tables.sessions


async def test_the_providers_people_have_no_password_here(provider: OidcProvider) -> None:
    harness = harness_for(provider)
    async with pages(harness) as client:
        await through_the_provider(client, "dana")
    async with harness.database() as uow:
        dana = await uow.users.by_username("dana")
    assert dana is not None
    with pytest.raises(InvalidArgument):
        await reset_password(harness.database, harness.web.hasher, dana.id, PASSWORD)
    # even with a hash planted in the row, a provider's person never signs in by password
    async with harness.database() as uow:
        await uow.users.save(replace(dana, password_hash=harness.web.hasher.hash(PASSWORD)))
    refused = sign_in(harness.client(), "dana")
    assert refused.status_code == 401
    assert datetime.now(UTC) > dana.created_at
