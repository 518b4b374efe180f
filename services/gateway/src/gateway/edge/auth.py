"""Who is calling: authentication of every /api/v1 request before its body is read, the role
checks of each route (a first line; each service decides again), and the short-lived token the
gateway signs for the caller and passes to the services it calls on their behalf.

A caller presents one credential: a person's bearer token (`Authorization: Bearer <jwt>`) or a
machine's API key (`X-API-Key: <key>`, or `Authorization: ApiKey <key>`; see gateway.edge.api_keys).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import jwt
from fastapi import Depends, HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.config import Settings
from gateway.edge.api_keys import ApiKeys, InvalidApiKey
from gateway.edge.problems import Refuse
from servicekit.auth import (
    INTERNAL_TOKEN_SECONDS,
    InvalidToken,
    SigningKey,
    TokenVerifier,
    issue_token,
    signing_key,
    trusted_keys,
)
from servicekit.context import Principal, acting
from servicekit.oidc import OidcVerifier, PublishedKeys, check_url

CHALLENGE = {"WWW-Authenticate": "Bearer"}
API_KEY_HEADER = "x-api-key"


class Unauthenticated(Exception):
    """No credentials, or credentials the gateway cannot verify."""


@dataclass
class Authenticator:
    """Verifies people's bearer tokens and signs the tokens passed on for them."""

    people: TokenVerifier
    key: SigningKey
    issuer: str
    audience: str
    # an organization's own OpenID Connect provider, when one is configured
    organization: OidcVerifier | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Authenticator:
        """UnsafeKey when a key is missing, weak or a development key outside development."""
        mode = settings.development_mode
        keys = trusted_keys(
            settings.identity_provider_jwks_file,
            mode,
            "GATEWAY_IDENTITY_PROVIDER_JWKS_FILE",
            "identity-provider",
        )
        key = signing_key(settings.signing_key_file, mode, "GATEWAY_SIGNING_KEY_FILE", "internal")
        verifier = TokenVerifier(
            keys, settings.identity_provider_issuer, settings.identity_provider_audience
        )
        organization = _organization(settings)
        return cls(
            verifier, key, settings.internal_issuer, settings.internal_audience, organization
        )

    def __post_init__(self) -> None:
        self._passed_on: dict[Principal, tuple[str, float]] = {}
        self._organization_verified: dict[str, tuple[Principal, float]] = {}

    async def person(self, headers: MutableMapping[str, str]) -> Principal:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("a bearer token or an API key is required")
        try:
            if self.organization is not None and _issuer_of(token) == self.organization.issuer:
                return await self._organization_person(self.organization, token)
            return self.people.verify(token)
        except InvalidToken as error:
            raise Unauthenticated(f"invalid token: {error}") from error

    async def _organization_person(self, verifier: OidcVerifier, token: str) -> Principal:
        """The provider's token verified once, then remembered until it expires."""
        remembered = self._organization_verified.get(token)
        if remembered is not None and remembered[1] > time.time():
            return remembered[0]
        principal, expires = await verifier.verify(token)
        if len(self._organization_verified) >= 4096:
            self._organization_verified.clear()
        self._organization_verified[token] = (principal, expires)
        return principal

    def token_for(self, principal: Principal) -> str:
        """The token services verify for `principal`, reused until a minute before it expires."""
        found = self._passed_on.get(principal)
        if found is not None and found[1] > time.time() + 60:
            return found[0]
        token = issue_token(
            self.key,
            issuer=self.issuer,
            audience=self.audience,
            subject=principal.subject,
            roles=principal.roles,
            ttl_seconds=INTERNAL_TOKEN_SECONDS,
            team=principal.team,
        )
        if len(self._passed_on) >= 4096:
            self._passed_on.clear()
        self._passed_on[principal] = (token, time.time() + INTERNAL_TOKEN_SECONDS)
        return token


class Authentication:
    """Authenticates every /api/v1 request from its headers alone, so no body is read for an
    unknown caller; the rest of the request runs as the caller (servicekit.context), with the
    token for the services it calls."""

    def __init__(
        self,
        app: ASGIApp,
        authenticator: Callable[[], Authenticator],
        machines: Callable[[], ApiKeys],
        refuse: Refuse,
    ) -> None:
        self.app = app
        self.authenticator = authenticator
        self.machines = machines
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        authenticator = self.authenticator()
        try:
            caller = await self.caller(headers)
        except Unauthenticated as error:
            await self.refuse(scope, send, 401, str(error), CHALLENGE)
            return
        scope.setdefault("state", {})["principal"] = caller
        correlation = headers.get("x-correlation-id")
        with acting(caller, correlation, token=authenticator.token_for(caller)):
            await self.app(scope, receive, send)

    async def caller(self, headers: MutableMapping[str, str]) -> Principal:
        """The person a bearer token names, or the machine an API key belongs to."""
        scheme, _, credential = headers.get("authorization", "").partition(" ")
        api_key = headers.get(API_KEY_HEADER)
        if scheme.lower() == "apikey" and api_key is None:
            api_key = credential.strip()
        elif api_key is not None and "authorization" in headers:
            raise Unauthenticated("send one credential: a bearer token or an API key")
        if api_key is None:
            return await self.authenticator().person(headers)
        try:
            return await self.machines().verify(api_key)
        except InvalidApiKey as error:
            raise Unauthenticated(str(error)) from error


def _issuer_of(token: str) -> object:
    """The issuer a token claims, read before verifying it only to choose who verifies it."""
    try:
        return jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error


def _organization(settings: Settings) -> OidcVerifier | None:
    """The organization's provider, when configured; UnsafeKey for a URL that is not https."""
    if not settings.oidc_issuer:
        return None
    mode = settings.development_mode
    issuer = check_url(settings.oidc_issuer, mode, "GATEWAY_OIDC_ISSUER")
    jwks_url = settings.oidc_jwks_url
    if jwks_url:
        check_url(jwks_url, mode, "GATEWAY_OIDC_JWKS_URL")
    return OidcVerifier(
        issuer,
        settings.oidc_audience,
        PublishedKeys(issuer, jwks_url, mode),
        subject_claim=settings.oidc_subject_claim,
        roles_claim=settings.oidc_roles_claim,
        team_claim=settings.oidc_team_claim,
        role_map=settings.oidc_role_map,
    )


def require(*roles: str) -> Any:
    """A dependency: the caller, when one of `roles` is theirs (admin passes everywhere;
    without roles, anyone signed in)."""

    async def principal(request: Request) -> AsyncIterator[Principal]:
        caller = getattr(request.state, "principal", None)
        if not isinstance(caller, Principal):  # the authentication middleware did not run
            raise HTTPException(401, "a bearer token or an API key is required", headers=CHALLENGE)
        if roles and not caller.has_any(*roles):
            raise HTTPException(403, f"this needs one of the roles: {', '.join(roles)}")
        yield caller

    return Depends(principal)


AnyUser: Any = require()
