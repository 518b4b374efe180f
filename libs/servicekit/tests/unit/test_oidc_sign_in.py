"""Signing in through an organization's OpenID Connect provider (the stand-in, over HTTP): the
authorization code flow with PKCE, the ID token checked for this client and this request."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from servicekit.auth import InvalidToken
from servicekit.oidc import (
    AuthorizationRequest,
    Endpoints,
    OidcVerifier,
    PublishedKeys,
    authorization_request,
    endpoints_of,
    exchange_code,
)
from testkit.oidc import OidcProvider, ProviderUser, serving

REDIRECT = "http://127.0.0.1:1/oidc/callback"


@pytest.fixture(scope="module")
async def provider() -> AsyncIterator[OidcProvider]:
    users = {"dana": ProviderUser("secret-pw", ("oms-order-desk",))}
    async with serving(OidcProvider("web", "client-secret", "oms-api", users)) as running:
        yield running


async def sign_in(request: AuthorizationRequest, password: str = "secret-pw") -> dict[str, str]:
    """What a browser does: opens the provider's form, signs in, follows it back (not really)."""
    async with httpx.AsyncClient() as browser:
        form = await browser.get(request.url)
        assert form.status_code == 200, form.text
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.text))
        answer = await browser.post(
            request.url.split("?")[0], data={**fields, "username": "dana", "password": password}
        )
    assert answer.status_code == 303, answer.text
    back = urlsplit(answer.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT
    return {name: values[0] for name, values in parse_qs(back.query).items()}


async def test_the_code_flow_yields_tokens_for_this_client_and_this_request(
    provider: OidcProvider,
) -> None:
    endpoints = await endpoints_of(provider.issuer, development_mode=False)
    request = authorization_request(endpoints, "web", REDIRECT)
    back = await sign_in(request)
    assert back["state"] == request.state

    tokens = await exchange_code(
        endpoints, "web", "client-secret", REDIRECT, back["code"], request.verifier
    )

    keys = PublishedKeys(provider.issuer)
    id_claims = await OidcVerifier(provider.issuer, "web", keys).claims(tokens.id_token)
    assert (id_claims["sub"], id_claims["nonce"]) == ("dana", request.nonce)
    api = OidcVerifier(provider.issuer, "oms-api", keys, roles_claim="groups")
    api.role_map = {"oms-order-desk": "order-desk"}
    person, _ = await api.verify(tokens.access_token)
    assert (person.subject, person.roles) == ("dana", ("order-desk",))
    # the ID token is for the web pages, not a key to the API
    with pytest.raises(InvalidToken):
        await api.verify(tokens.id_token)


async def test_a_code_is_good_once_and_only_with_its_verifier_and_the_clients_secret(
    provider: OidcProvider,
) -> None:
    endpoints = await endpoints_of(provider.issuer, development_mode=False)
    for secret, wrong_verifier in (("client-secret", True), ("not-the-secret", False)):
        request = authorization_request(endpoints, "web", REDIRECT)
        code = (await sign_in(request))["code"]
        verifier = authorization_request(endpoints, "web", REDIRECT).verifier
        with pytest.raises(InvalidToken):
            await exchange_code(
                endpoints,
                "web",
                secret,
                REDIRECT,
                code,
                verifier if wrong_verifier else request.verifier,
            )
    request = authorization_request(endpoints, "web", REDIRECT)
    code = (await sign_in(request))["code"]
    await exchange_code(endpoints, "web", "client-secret", REDIRECT, code, request.verifier)
    with pytest.raises(InvalidToken):
        await exchange_code(endpoints, "web", "client-secret", REDIRECT, code, request.verifier)


def test_every_request_has_its_own_state_nonce_and_verifier() -> None:
    endpoints = Endpoints("https://id.example/authorize", "https://id.example/token")
    first, second = (authorization_request(endpoints, "web", REDIRECT) for _ in range(2))
    assert len({first.state, second.state, first.nonce, first.verifier}) == 4
    query = parse_qs(urlsplit(first.url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert first.verifier not in first.url  # only its hash travels through the browser
