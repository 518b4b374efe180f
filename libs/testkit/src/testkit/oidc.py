"""A stand-in for an organization's OpenID Connect provider, for tests of the sign-in through it.

It speaks the parts of OpenID Connect Core and Discovery the suite uses: a discovery document,
its JWKS (an RSA key, as most providers publish), an authorization endpoint with a sign-in form
(the authorization code flow with PKCE S256, `state` and `nonce`), and a token endpoint that
checks the client's secret and the code verifier and answers an ID token for the client and an
access token for the API (`aud` the API's audience; roles in a `groups` claim, as providers tend
to put them, which the gateway maps). Plain HTTP on 127.0.0.1, served by uvicorn in the test's
event loop. Not a provider to deploy: no consent, no refresh tokens, users in memory.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import html
import secrets
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from servicekit.auth import KeySet, public_jwk

TOKEN_SECONDS = 600


@dataclass(frozen=True)
class ProviderUser:
    password: str
    groups: tuple[str, ...]
    team: str = ""


@dataclass
class _Grant:
    username: str
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    issued: float


@dataclass
class OidcProvider:
    """The provider's state: its key, its registered client, its users, codes not yet used."""

    client_id: str
    client_secret: str
    api_audience: str
    users: dict[str, ProviderUser]
    issuer: str = ""
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    _codes: dict[str, _Grant] = field(default_factory=dict)

    @property
    def kid(self) -> str:
        return str(public_jwk(self.key.public_key())["kid"])

    def token(self, subject: str, audience: str, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": self.issuer, "sub": subject, "aud": audience, "iat": now, "nbf": now}
        body["exp"] = now + TOKEN_SECONDS
        return jwt.encode({**body, **claims}, self.key, "RS256", headers={"kid": self.kid})

    def access_token(self, username: str) -> str:
        user = self.users[username]
        return self.token(
            username, self.api_audience, groups=list(user.groups), team=user.team, scope="openid"
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize_form, methods=["GET"]),
                Route("/authorize", self._authorize, methods=["POST"]),
                Route("/token", self._token, methods=["POST"]),
            ]
        )

    async def _discovery(self, _: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            }
        )

    async def _jwks(self, _: Request) -> Response:
        return JSONResponse(KeySet.of(self.key.public_key()).to_jwks())

    async def _authorize_form(self, request: Request) -> Response:
        query = request.query_params
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return HTMLResponse("unknown client or response type", 400)
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return HTMLResponse("PKCE (S256) is required", 400)
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in query.items()
        )
        return HTMLResponse(
            "<!doctype html><html lang=en><title>Stand-in identity provider</title>"
            "<h1>Sign in to the stand-in provider</h1>"
            f'<form method="post" action="/authorize">{hidden}'
            '<label for="username">Username</label><input id="username" name="username">'
            '<label for="password">Password</label>'
            '<input id="password" name="password" type="password">'
            '<button type="submit">Sign in</button></form></html>'
        )

    async def _authorize(self, request: Request) -> Response:
        form = await request.form()
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        user = self.users.get(username)
        if user is None or not secrets.compare_digest(user.password, password):
            return HTMLResponse("wrong username or password", 401)
        code = secrets.token_urlsafe(24)
        self._codes[code] = _Grant(
            username,
            str(form["client_id"]),
            str(form["redirect_uri"]),
            str(form["code_challenge"]),
            str(form.get("nonce", "")),
            time.time(),
        )
        query = urlencode({"code": code, "state": str(form.get("state", ""))})
        return RedirectResponse(f"{form['redirect_uri']}?{query}", 303)

    async def _token(self, request: Request) -> Response:
        form = await request.form()
        grant = self._codes.pop(str(form.get("code", "")), None)
        verifier = str(form.get("code_verifier", ""))
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if (
            grant is None
            or time.time() - grant.issued > 60
            or form.get("grant_type") != "authorization_code"
            or form.get("client_id") != grant.client_id
            or not secrets.compare_digest(str(form.get("client_secret", "")), self.client_secret)
            or form.get("redirect_uri") != grant.redirect_uri
            or not secrets.compare_digest(challenge, grant.challenge)
        ):
            return JSONResponse({"error": "invalid_grant"}, 400)
        id_token = self.token(
            grant.username,
            self.client_id,
            nonce=grant.nonce,
            preferred_username=grant.username,
        )
        return JSONResponse(
            {
                "access_token": self.access_token(grant.username),
                "id_token": id_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS,
            }
        )


@contextlib.asynccontextmanager
async def serving(provider: OidcProvider) -> AsyncIterator[OidcProvider]:
    """The provider on a free port of 127.0.0.1 until the block ends; its issuer set to it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider.issuer = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield provider
    finally:
        server.should_exit = True
        await task
