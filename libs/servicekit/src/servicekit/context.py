"""Who is acting and on behalf of which flow, for the duration of one request or one event.

Set by the gRPC server interceptor (from the verified caller and token) and by the event consumer
(from the headers of an event its owner's service wrote); read by the outbox when it stamps an
event and by repositories when they record who made a change. The gateway also keeps the signed
token it passes on to services (`credentials`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a person or a system, with the roles its token granted."""

    subject: str
    roles: tuple[str, ...] = ()
    # The sales team a person belongs to, when the identity provider says so.
    team: str = ""

    def has_any(self, *roles: str) -> bool:
        return "admin" in self.roles or any(role in self.roles for role in roles)

    def has_only(self, *roles: str) -> bool:
        """True when every role the caller holds is one of `roles` (and it is not admin)."""
        return bool(self.roles) and all(role in roles for role in self.roles)


SYSTEM = Principal("system", ("system",))

_principal: ContextVar[Principal] = ContextVar("principal", default=SYSTEM)
_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)
_credentials: ContextVar[str | None] = ContextVar("credentials", default=None)


def current_principal() -> Principal:
    return _principal.get()


def correlation_id() -> str:
    """The id shared by everything one business request caused; made up when none is set."""
    value = _correlation_id.get()
    if value is None:
        value = str(uuid.uuid4())
        _correlation_id.set(value)
    return value


def causation_id() -> str | None:
    """The id of the event being handled, if any: the direct cause of what is written now."""
    return _causation_id.get()


def credentials() -> str | None:
    """The signed token that vouches for the current principal on calls made for them."""
    return _credentials.get()


@contextmanager
def acting(
    principal: Principal,
    correlation: str | None = None,
    causation: str | None = None,
    token: str | None = None,
) -> Iterator[None]:
    tokens = (
        _principal.set(principal),
        _correlation_id.set(correlation),
        _causation_id.set(causation),
        _credentials.set(token),
    )
    try:
        yield
    finally:
        _principal.reset(tokens[0])
        _correlation_id.reset(tokens[1])
        _causation_id.reset(tokens[2])
        _credentials.reset(tokens[3])
