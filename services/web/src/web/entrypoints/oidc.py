"""Signing in through the organization's OpenID Connect provider (authorization code + PKCE).

`/sign-in/oidc` sends the browser to the provider with a fresh state, nonce and code verifier,
which wait in a short-lived cookie sealed with a key derived from this service's signing key
(so any replica can read it and nobody else can forge one). The provider sends the browser back
to `/sign-in/oidc/callback` with a code: the state must match the cookie's, the code is
exchanged with the client's secret and the verifier, the ID token must be the provider's, for
this client and carry the cookie's nonce, and the access token is verified as the gateway
verifies it. The session then keeps that access token and passes it to the gateway as it is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Annotated

from cryptography.hazmat.primitives import serialization
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from servicekit.auth import InvalidToken
from web.adapters.identity_provider import CALLBACK_PATH, IdentityProvider
from web.application.accounts import SignInRefused, sign_in_through_provider, sign_out
from web.domain.sessions import same_token
from web.entrypoints.security import Forbidden, Web, expected_origin, web_of

router = APIRouter(prefix="/sign-in/oidc")
# how long the provider may take to send the person back
PENDING_SECONDS = 600
Param = Annotated[str, Query(max_length=2000)]


@router.get("")
async def start(request: Request) -> Response:
    web = web_of(request)
    provider = _provider(web)
    try:
        pending = await provider.begin(_callback(request, web))
    except InvalidToken as error:
        return _refused(request, 503, f"The identity provider cannot be reached: {error}")
    response = RedirectResponse(pending.url, status_code=303)
    sealed = _seal(web, {"state": pending.state, "nonce": pending.nonce, "v": pending.verifier})
    response.set_cookie(
        _cookie(web),
        sealed,
        max_age=PENDING_SECONDS,
        path="/",
        secure=web.settings.cookie_secure,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back
    )
    return response


@router.get("/callback")
async def callback(
    request: Request, code: Param = "", state: Param = "", error: Param = ""
) -> Response:
    web = web_of(request)
    provider = _provider(web)
    pending = _unseal(web, request.cookies.get(_cookie(web), ""))
    if pending is None or not same_token(pending["state"], state):
        raise Forbidden("this sign-in has expired or was not started here: sign in again")
    if error or not code:
        return _refused(request, 401, f"The identity provider did not sign you in ({error}).")
    now = datetime.now(UTC)
    try:
        tokens = await provider.finish(_callback(request, web), code, pending["v"])
        id_claims = await provider.id_tokens.claims(tokens.id_token)
        if not same_token(pending["nonce"], str(id_claims.get("nonce", ""))):
            raise InvalidToken("the ID token is not for this sign-in (nonce)")
        person, expires = await provider.access_tokens.verify(tokens.access_token)
        signed = await sign_in_through_provider(
            web.units,
            web.policy,
            issuer=provider.issuer,
            person=person,
            access_token=tokens.access_token,
            access_expires_at=datetime.fromtimestamp(expires, UTC),
            now=now,
        )
    except InvalidToken as refused:
        return _refused(request, 401, f"The identity provider's answer was refused: {refused}")
    except SignInRefused as refused:
        return _refused(request, 403, str(refused).capitalize() + ".")
    response = RedirectResponse("/", status_code=303)
    old = request.cookies.get(web.cookie_name)
    if old:
        await sign_out(web.units, old)
    web.set_session_cookie(response, signed.secret)
    response.delete_cookie(_cookie(web), path="/", secure=web.settings.cookie_secure)
    return response


def _provider(web: Web) -> IdentityProvider:
    if web.provider is None:
        raise Forbidden("signing in through an identity provider is not set up here")
    return web.provider


def _callback(request: Request, web: Web) -> str:
    return expected_origin(request, web.settings) + CALLBACK_PATH


def _refused(request: Request, status: int, message: str) -> Response:
    return web_of(request).render(
        request, "error.html", status, title="Not signed in", message=message
    )


def _cookie(web: Web) -> str:
    return "__Host-oidc" if web.settings.cookie_secure else "oidc"


def _seal_key(web: Web) -> bytes:
    private = web.tokens.key.private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return hashlib.sha256(b"web oidc pending sign-in\0" + private).digest()


def _seal(web: Web, values: dict[str, str]) -> str:
    body = base64.urlsafe_b64encode(
        json.dumps({**values, "exp": int(time.time()) + PENDING_SECONDS}).encode()
    ).decode()
    mac = hmac.new(_seal_key(web), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def _unseal(web: Web, sealed: str) -> dict[str, str] | None:
    body, _, mac = sealed.partition(".")
    expected = hmac.new(_seal_key(web), body.encode(), hashlib.sha256).hexdigest()
    if not body or not hmac.compare_digest(expected, mac):
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError:
        return None
    if not isinstance(values, dict) or int(values.get("exp", 0)) < time.time():
        return None
    return {name: str(values.get(name, "")) for name in ("state", "nonce", "v")}
