"""The organization's OpenID Connect provider, for people who sign in there instead of with a
password kept here: where to send them (found through its discovery document once), and the
verifiers of what it answers — the ID token for these pages (audience: the client id, with the
request's nonce) and the access token for the API (audience: the API's, roles mapped as the
gateway maps them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from servicekit.auth import UnsafeKey
from servicekit.oidc import (
    AuthorizationRequest,
    Endpoints,
    OidcVerifier,
    PublishedKeys,
    Tokens,
    authorization_request,
    check_url,
    endpoints_of,
    exchange_code,
)
from web.config import Settings

CALLBACK_PATH = "/sign-in/oidc/callback"


@dataclass
class IdentityProvider:
    issuer: str
    client_id: str
    client_secret: str
    scope: str
    id_tokens: OidcVerifier
    access_tokens: OidcVerifier
    development_mode: bool = False
    _endpoints: Endpoints | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> IdentityProvider | None:
        """None without WEB_OIDC_ISSUER; UnsafeKey for an issuer not on https, or without the
        client's credentials (never a default secret)."""
        if not settings.oidc_issuer:
            return None
        mode = settings.development_mode
        issuer = check_url(settings.oidc_issuer, mode, "WEB_OIDC_ISSUER")
        if not settings.oidc_client_id or not settings.oidc_client_secret:
            raise UnsafeKey("WEB_OIDC_CLIENT_ID and WEB_OIDC_CLIENT_SECRET are required")
        keys = PublishedKeys(issuer, settings.oidc_jwks_url or None, mode)
        people = OidcVerifier(
            issuer,
            settings.oidc_api_audience,
            keys,
            subject_claim=settings.oidc_subject_claim,
            roles_claim=settings.oidc_roles_claim,
            team_claim=settings.oidc_team_claim,
            role_map=settings.oidc_role_map,
        )
        return cls(
            issuer,
            settings.oidc_client_id,
            settings.oidc_client_secret,
            settings.oidc_scope,
            OidcVerifier(issuer, settings.oidc_client_id, keys),
            people,
            mode,
        )

    async def endpoints(self) -> Endpoints:
        if self._endpoints is None:
            self._endpoints = await endpoints_of(self.issuer, self.development_mode)
        return self._endpoints

    async def begin(self, redirect_uri: str) -> AuthorizationRequest:
        return authorization_request(
            await self.endpoints(), self.client_id, redirect_uri, self.scope
        )

    async def finish(self, redirect_uri: str, code: str, verifier: str) -> Tokens:
        endpoints = await self.endpoints()
        return await exchange_code(
            endpoints, self.client_id, self.client_secret, redirect_uri, code, verifier
        )
