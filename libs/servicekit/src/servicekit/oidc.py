"""People of an organization that signs in with its own identity provider (OpenID Connect):
the gateway verifies the provider's access tokens (`OidcVerifier`), and the web pages sign people
in through it with the authorization code flow and PKCE (`authorization_request`,
`exchange_code`, the ID token verified with `OidcVerifier.claims`).

The gateway verifies the provider's access tokens itself, with the keys the provider publishes
(the JWKS at its `jwks_uri`, found through its discovery document unless configured). A token
naming a key the gateway has not seen makes it fetch the keys again, at most once per
`REFRESH_SECONDS`, so the provider can rotate keys without a restart and a flood of made-up key
ids cannot make the gateway hammer it. The provider's roles claim (a dotted path, such as
Keycloak's `realm_access.roles`) is mapped to the suite's roles; any other role is dropped.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import jwt

from servicekit.auth import ROLES, InvalidToken, KeySet, PublicKey, UnsafeKey
from servicekit.context import Principal

REFRESH_SECONDS = 30.0
FETCH_TIMEOUT_SECONDS = 5.0
Fetch = Callable[[str], Awaitable[Mapping[str, Any]]]


async def fetch_json(url: str) -> Mapping[str, Any]:
    """GET a provider's JSON document; InvalidToken when it cannot be had (the caller is then
    refused 401, and the next token tries again)."""
    try:
        async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            document = response.json()
    except (httpx.HTTPError, json.JSONDecodeError) as error:
        raise InvalidToken(f"the identity provider's {url} could not be read: {error}") from error
    if not isinstance(document, Mapping):
        raise InvalidToken(f"the identity provider's {url} is not a JSON object")
    return document


def check_url(url: str, development_mode: bool, setting: str) -> str:
    """The URL, when it is https (or plain http to this machine, a sidecar, or in development);
    UnsafeKey otherwise: keys fetched in the clear could be anyone's."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname:
        if development_mode or parts.hostname == "localhost":
            return url
        try:
            if ipaddress.ip_address(parts.hostname).is_loopback:
                return url
        except ValueError:
            pass
    raise UnsafeKey(f"{setting} must be an https URL, not {url!r}")


def claim_at(claims: Mapping[str, Any], path: str) -> Any:
    """The claim at a dotted path (`realm_access.roles`), or None."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


@dataclass
class PublishedKeys:
    """The provider's current signing keys, refetched for a key id not seen before. Without a
    configured `jwks_url` it is found through the issuer's discovery document on first use."""

    issuer: str
    jwks_url: str | None = None
    development_mode: bool = False
    fetch: Fetch = fetch_json
    refresh_seconds: float = REFRESH_SECONDS
    _keys: KeySet | None = None
    _fetched_at: float = float("-inf")

    async def key(self, kid: str) -> tuple[PublicKey, str]:
        found = self._keys.keys.get(kid) if self._keys else None
        if found is None and time.monotonic() - self._fetched_at >= self.refresh_seconds:
            self._fetched_at = time.monotonic()
            self._keys = await self._fetch_keys()
            found = self._keys.keys.get(kid)
        if found is None:
            raise InvalidToken(
                f"signed with key {kid!r}, which the identity provider does not publish"
            )
        return found

    async def _fetch_keys(self) -> KeySet:
        try:
            if self.jwks_url is None:
                url = await jwks_url_of(self.issuer, self.fetch)
                self.jwks_url = check_url(url, self.development_mode, "the provider's jwks_uri")
            return KeySet.from_jwks(await self.fetch(self.jwks_url))
        except UnsafeKey as error:
            raise InvalidToken(f"the identity provider's keys are refused: {error}") from error


@dataclass
class OidcVerifier:
    """Verifies one provider's access tokens for this API and maps them to a Principal."""

    issuer: str
    audience: str
    keys: PublishedKeys
    subject_claim: str = "sub"
    roles_claim: str = "roles"
    team_claim: str = "team"
    # provider role or group -> the suite's role; roles already named as the suite's pass as is
    role_map: Mapping[str, str] = field(default_factory=dict)
    leeway_seconds: int = 30

    async def claims(self, token: str) -> dict[str, Any]:
        """The token's claims, once its signature, issuer, audience and times are verified."""
        try:
            kid = str(jwt.get_unverified_header(token).get("kid"))
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        key, algorithm = await self.keys.key(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=self.issuer,
                audience=self.audience,
                leeway=self.leeway_seconds,
                options={"require": ["iss", "aud", "sub", "exp", "iat"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        return claims

    async def verify(self, token: str) -> tuple[Principal, float]:
        """The person an access token names, with the suite's roles, and when it expires."""
        claims = await self.claims(token)
        subject = claim_at(claims, self.subject_claim)
        if not isinstance(subject, str) or not subject:
            raise InvalidToken(f"the token has no {self.subject_claim!r} to name the person by")
        team = claim_at(claims, self.team_claim) or ""
        if not isinstance(team, str):
            raise InvalidToken(f"{self.team_claim} must be a string")
        return Principal(subject, self.roles_of(claims), team), float(claims["exp"])

    def roles_of(self, claims: Mapping[str, Any]) -> tuple[str, ...]:
        granted = claim_at(claims, self.roles_claim) or []
        if isinstance(granted, str):
            granted = granted.split()
        if not isinstance(granted, list):
            raise InvalidToken(f"{self.roles_claim} must be a list of strings")
        mapped = (self.role_map.get(str(role), str(role)) for role in granted)
        # never "system" or "service", whatever the provider says
        return tuple(dict.fromkeys(role for role in mapped if role in ROLES))


async def jwks_url_of(issuer: str, fetch: Fetch = fetch_json) -> str:
    """The provider's `jwks_uri`, from its discovery document, which must name the issuer."""
    document = await fetch(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer") != issuer:
        raise InvalidToken(f"the discovery document names issuer {document.get('issuer')!r}")
    url = document.get("jwks_uri")
    if not isinstance(url, str) or not url:
        raise InvalidToken("the discovery document names no jwks_uri")
    return url


@dataclass(frozen=True)
class Endpoints:
    """Where a provider signs people in and hands out tokens (from its discovery document)."""

    authorization: str
    token: str


async def endpoints_of(issuer: str, development_mode: bool, fetch: Fetch = fetch_json) -> Endpoints:
    document = await fetch(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer") != issuer:
        raise InvalidToken(f"the discovery document names issuer {document.get('issuer')!r}")
    found = [document.get("authorization_endpoint"), document.get("token_endpoint")]
    if not all(isinstance(url, str) and url for url in found):
        raise InvalidToken("the discovery document names no authorization or token endpoint")
    urls = [check_url(str(url), development_mode, "the provider's endpoints") for url in found]
    return Endpoints(*urls)


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the person, and what to keep until they come back: `state` ties the answer
    to this browser, `nonce` the ID token to this request, `verifier` the code to this client
    (PKCE, S256)."""

    url: str
    state: str
    nonce: str
    verifier: str


def authorization_request(
    endpoints: Endpoints, client_id: str, redirect_uri: str, scope: str = "openid profile"
) -> AuthorizationRequest:
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge.rstrip(b"=").decode(),
            "code_challenge_method": "S256",
        }
    )
    return AuthorizationRequest(f"{endpoints.authorization}?{query}", state, nonce, verifier)


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    expires_in: int


async def exchange_code(
    endpoints: Endpoints,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    verifier: str,
) -> Tokens:
    """The provider's tokens for an authorization code; InvalidToken when it refuses."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "client_secret": client_secret,
        "code_verifier": verifier,
    }
    try:
        async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS) as client:
            response = await client.post(endpoints.token, data=form)
            answer = response.json()
    except (httpx.HTTPError, json.JSONDecodeError) as error:
        raise InvalidToken(f"the identity provider's token endpoint failed: {error}") from error
    if response.status_code != 200 or not isinstance(answer, dict):
        raise InvalidToken(f"the identity provider refused the code: {answer}")
    access, id_token = answer.get("access_token"), answer.get("id_token")
    if not isinstance(access, str) or not isinstance(id_token, str):
        raise InvalidToken("the identity provider answered no access token or ID token")
    expires_in = answer.get("expires_in", 300)
    return Tokens(access, id_token, int(expires_in) if isinstance(expires_in, int) else 300)
