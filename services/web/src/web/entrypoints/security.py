"""Who is asking, and may they: the session cookie, the role guard of each page, and the CSRF
and Origin checks of every request that changes something (any method but GET and HEAD)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from web.adapters.gateway import Gateway
from web.adapters.identity_provider import IdentityProvider
from web.adapters.tokens import UserTokens
from web.application.accounts import Current, current
from web.application.ports import PasswordHasher, UnitsOfWork
from web.config import Settings
from web.domain.pages import Page, may_open, pages_for
from web.domain.sessions import SessionPolicy, same_token
from web.domain.throttle import Throttle

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD")


@dataclass
class Web:
    """Everything a request handler needs, built once (bootstrap) and kept in app.state."""

    settings: Settings
    units: UnitsOfWork
    hasher: PasswordHasher
    throttle: Throttle
    tokens: UserTokens
    gateway: Gateway
    templates: Jinja2Templates
    # the organization's OpenID Connect provider, when people sign in there
    provider: IdentityProvider | None = None

    @property
    def policy(self) -> SessionPolicy:
        return SessionPolicy(
            timedelta(hours=self.settings.session_hours),
            timedelta(minutes=self.settings.session_idle_minutes),
        )

    @property
    def cookie_name(self) -> str:
        # __Host-: only over HTTPS, for this host alone, path / (no subdomain can plant one)
        return "__Host-session" if self.settings.cookie_secure else "session"

    def set_session_cookie(self, response: Response, secret: str) -> None:
        response.set_cookie(
            self.cookie_name,
            secret,
            max_age=int(self.settings.session_hours * 3600),
            path="/",
            secure=self.settings.cookie_secure,
            httponly=True,
            samesite="lax",
        )

    def clear_session_cookie(self, response: Response) -> None:
        response.delete_cookie(
            self.cookie_name,
            path="/",
            secure=self.settings.cookie_secure,
            httponly=True,
            samesite="lax",
        )

    def render(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> Response:
        who: Current | None = getattr(request.state, "current", None)
        base = {
            "current": who,
            "pages": pages_for(who.user.role) if who else [],
            "csrf_token": who.session.csrf_token if who else "",
        }
        return self.templates.TemplateResponse(
            request, template, {**base, **context}, status_code=status_code
        )

    def token(self, who: Current) -> str:
        """The bearer token the gateway takes for the user: their provider's access token when
        they signed in there, else one this service signs as their identity provider."""
        return who.session.access_token or self.tokens.token_for(who.user)


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    """A page outside the user's role, or a change without a valid CSRF token or Origin."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def expected_origin(request: Request, settings: Settings) -> str:
    if settings.public_origin:
        return settings.public_origin.rstrip("/")
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def check_origin(request: Request, settings: Settings) -> None:
    """A browser names the page a change comes from (Origin; Referer when it sends none):
    another site's form is refused even before its token is looked at."""
    origin = request.headers.get("origin")
    if origin is None and (referer := request.headers.get("referer")):
        scheme, _, rest = referer.partition("://")
        origin = f"{scheme}://{rest.split('/', 1)[0]}"
    if origin is not None and origin != expected_origin(request, settings):
        raise Forbidden("this form was sent from another site")


async def check_csrf(request: Request, expected: str) -> None:
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else ""
    if not same_token(expected, given):
        raise Forbidden("this form has expired or did not come from this site: open it again")


def user_for(*pages: Page) -> Callable[[Request], Awaitable[Current]]:
    """A dependency: the signed-in user, when their role opens one of `pages` (any page when
    none is named); for a change, only with the session's CSRF token and a matching Origin."""

    async def dependency(request: Request) -> Current:
        web = web_of(request)
        secret = request.cookies.get(web.cookie_name, "")
        who = await current(web.units, web.policy, secret, datetime.now(UTC))
        if who is None:
            raise NotSignedIn()
        request.state.current = who
        if request.method not in SAFE_METHODS:
            check_origin(request, web.settings)
            await check_csrf(request, who.session.csrf_token)
        if pages and not any(may_open(who.user.role, page) for page in pages):
            raise Forbidden(f"your role ({who.user.role}) does not open this page")
        return who

    return dependency
