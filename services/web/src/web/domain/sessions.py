"""A signed-in browser: the rules of its session and of its CSRF token.

The browser holds a random secret in a cookie; the server keeps only its SHA-256, so a copy of
the database opens no session. A session ends at its expiry (`lifetime` after sign-in) or after
`idle` without a request, whichever comes first, and at sign-out. Each session has its own CSRF
token, sent back in every form (a hidden field) and by JavaScript (a header)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from web.domain.users import UserId

# How often a live session's last use is written: not at every request.
TOUCH_EVERY = timedelta(minutes=1)


def new_secret() -> str:
    """256 random bits, URL-safe: a session id or a CSRF token."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What the server keeps of a session's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_token(expected: str, given: str) -> bool:
    """Constant-time comparison; an empty token never matches."""
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: timedelta
    idle: timedelta


@dataclass(frozen=True)
class Session:
    id_digest: str
    user_id: UserId
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    # Signed in through an organization's provider: its access token, which the pages pass to
    # the gateway as they are; the session ends with it (the person signs in again there).
    access_token: str = ""

    def live(self, now: datetime, policy: SessionPolicy) -> bool:
        return now < self.expires_at and now < self.last_seen_at + policy.idle

    def touched(self, now: datetime) -> Session | None:
        """The session seen at `now`, or None when the last write is recent enough."""
        if now - self.last_seen_at < TOUCH_EVERY:
            return None
        return replace(self, last_seen_at=now)


def open_session(
    user_id: UserId,
    now: datetime,
    policy: SessionPolicy,
    access_token: str = "",
    access_expires_at: datetime | None = None,
) -> tuple[str, Session]:
    """A new session (a new id at every sign-in, never one the browser brought): the secret for
    the cookie, and what the server keeps. A provider's access token bounds its expiry."""
    secret = new_secret()
    expires = now + policy.lifetime
    if access_expires_at is not None:
        expires = min(expires, access_expires_at)
    session = Session(digest(secret), user_id, new_secret(), now, now, expires, access_token)
    return secret, session
