"""Retries that never double: the Idempotency-Key of a POST.

A POST under /api/ with an `Idempotency-Key` header (1 to 255 visible ASCII characters) is kept
per caller with its response (status, body, Location and the other headers a client reads):
- the same key and request (method, path, query, body) again: the first response, with
  `Idempotent-Replayed: true`; its effect is not repeated;
- the same key with another request: 422 naming `Idempotency-Key`;
- while the first is still running: the second waits for its response (409 with Retry-After
  after `wait_seconds`); a running request renews its claim, so a claim whose gateway died is
  taken over by a retry after `LEASE` (20 s);
- a 5xx answer or a failure is not kept, so the client may retry (its claim released again
  in the background when the store itself is down at that moment); a response marked
  `Cache-Control: no-store` (one that shows a secret) is not kept either: a retry is told the
  request succeeded (409 with its Location) but not shown the secret again;
- records expire after `ttl` and are pruned.

`request_id(request)` is what routes pass to a service as the command's `request_id`: derived
from the caller, the route and the client's key, so the service itself refuses a second effect
even if the gateway's own record of the first response were lost.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.limits import read_body, replaying
from gateway.edge.problems import Refuse
from servicekit.context import Principal, current_principal

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_NAMESPACE = uuid.UUID("9b1f7d52-3c55-4d39-9c7e-2f0d6b6f3a11")
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# The headers of a response that a replay repeats; the rest (date, traceparent) are per answer.
KEPT_HEADERS = frozenset(
    {"content-type", "location", "content-location", "etag", "last-modified", "link"}
)
# How long a claim holds without being renewed: a running request renews its own every
# `_RENEW_EVERY` (a quarter of it), so only a claim whose gateway died is taken over after it;
# a retry of it then waits seconds, not minutes. Should the store fail to renew a request that
# runs on, the service's own request_id still stops a second effect (every creating POST passes
# one), and a move's status refuses a second move.
LEASE = timedelta(seconds=20)
_RENEW_EVERY = LEASE / 4
_POLL_SECONDS = 0.05


def request_id(request: Request) -> str:
    """A stable id for this caller's request under its Idempotency-Key; empty without one."""
    key = request.headers.get(HEADER, "")
    if not key:
        return ""
    caller = current_principal().subject
    return str(uuid.uuid5(_NAMESPACE, f"{caller}\n{request.method}\n{request.url.path}\n{key}"))


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    # None when withheld: the response showed a secret (Cache-Control: no-store).
    body: bytes | None


@dataclass(frozen=True)
class Record:
    fingerprint: str
    # None while the first request is still running.
    response: StoredResponse | None


class IdempotencyStore(Protocol):
    async def claim(
        self, caller: str, key: str, fingerprint: str, now: datetime, expires_at: datetime
    ) -> Record | None:
        """None when this request now owns (caller, key): there was no record, it had expired,
        or it was an unfinished claim of the same request older than LEASE. Otherwise the
        record there."""

    async def renew(self, caller: str, key: str, now: datetime) -> None:
        """Marks an unfinished claim as still running at `now`, so it is not taken over."""

    async def finish(self, caller: str, key: str, response: StoredResponse) -> None: ...

    async def release(self, caller: str, key: str) -> None:
        """Forgets an unfinished claim, so the request may be tried again."""

    async def prune(self, now: datetime) -> int:
        """Deletes the records expired by `now`; how many."""


def _key_of(scope: Scope) -> str | None:
    """The Idempotency-Key of an authenticated POST; None for anything else."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    if not scope["path"].startswith("/api/"):
        return None
    found = dict(scope["headers"]).get(HEADER.lower().encode())
    return None if found is None else found.decode("latin-1")


def fingerprint(scope: Scope, body: bytes) -> str:
    """What a retry must repeat exactly: method, path, query and body."""
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope["query_string"], body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


class Idempotency:
    """The middleware: runs after authentication (records are per caller) and the body limit."""

    def __init__(
        self,
        app: ASGIApp,
        store: Callable[[], IdempotencyStore],
        ttl: timedelta,
        wait_seconds: float,
        refuse: Refuse,
    ) -> None:
        self.app = app
        self.store = store
        self.ttl = ttl
        self.wait_seconds = wait_seconds
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _key_of(scope)
        caller = scope.get("state", {}).get("principal")
        if key is None or not isinstance(caller, Principal):
            await self.app(scope, receive, send)
            return
        if not _VALID_KEY.match(key):
            errors = [{"field": HEADER, "detail": "1 to 255 visible ASCII characters"}]
            await self.refuse(scope, send, 422, f"invalid {HEADER}", {}, errors=errors)
            return
        body = await read_body(receive)  # the body limit ran before
        print_ = fingerprint(scope, body)
        await self._once(scope, replaying(body, receive), send, caller.subject, key, print_)

    async def _once(
        self, scope: Scope, receive: Receive, send: Send, caller: str, key: str, print_: str
    ) -> None:
        store = self.store()
        deadline = time.monotonic() + self.wait_seconds
        while True:
            now = datetime.now(UTC)
            found = await store.claim(caller, key, print_, now, now + self.ttl)
            if found is None:
                await self._first(scope, receive, send, store, caller, key)
                return
            if found.fingerprint != print_:
                errors = [{"field": HEADER, "detail": "already used for another request"}]
                detail = f"this {HEADER} was used for a different request"
                await self.refuse(scope, send, 422, detail, {}, errors=errors)
                return
            if found.response is not None:
                await _replay(scope, send, found.response, self.refuse)
                return
            if time.monotonic() >= deadline:
                detail = f"a request with this {HEADER} is still in progress"
                await self.refuse(scope, send, 409, detail, {"Retry-After": "1"})
                return
            await asyncio.sleep(_POLL_SECONDS)

    async def _first(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        store: IdempotencyStore,
        caller: str,
        key: str,
    ) -> None:
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capturing(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        renewing = asyncio.create_task(_renew(store, caller, key))
        try:
            await self.app(scope, receive, capturing)
        except BaseException:
            await asyncio.shield(_let_go(store, caller, key))
            raise
        finally:
            renewing.cancel()
        status = int(started.get("status", 500))
        if status >= 500:
            await _let_go(store, caller, key)
            return
        await store.finish(caller, key, _kept(status, started.get("headers", []), chunks))


async def _renew(store: IdempotencyStore, caller: str, key: str) -> None:
    """Renews the claim of a request while it runs (cancelled when it ends)."""
    while True:
        await asyncio.sleep(_RENEW_EVERY.total_seconds())
        try:
            await store.renew(caller, key, datetime.now(UTC))
        except Exception:  # the store is down: tried again next round, until LEASE runs out
            log.warning("could not renew an %s claim", HEADER, exc_info=True)


async def _let_go(store: IdempotencyStore, caller: str, key: str) -> None:
    """Releases the claim of a request that failed, so the client may retry it at once. When
    the store cannot (its database is often what failed), the failure already answered stays
    the answer and the release is tried again in the background: a retry meanwhile is told
    the first is still in progress (409, Retry-After) until then or until LEASE runs out."""
    try:
        await store.release(caller, key)
    except Exception:
        log.warning("could not release an %s claim; trying again", HEADER, exc_info=True)
        task = asyncio.create_task(_release_later(store, caller, key))
        _releasing.add(task)
        task.add_done_callback(_releasing.discard)


# Claims being released in the background, kept until done (the loop holds tasks weakly).
_releasing: set[asyncio.Task[None]] = set()
# Well inside LEASE: a retry cannot have taken the claim over while this may still delete it.
_RELEASE_FOR = LEASE / 4
_RELEASE_EVERY_SECONDS = 1.0


async def _release_later(store: IdempotencyStore, caller: str, key: str) -> None:
    until = time.monotonic() + _RELEASE_FOR.total_seconds()
    while time.monotonic() < until:
        await asyncio.sleep(_RELEASE_EVERY_SECONDS)
        try:
            await store.release(caller, key)
        except Exception:  # still down: the next round, or the claim is taken over after LEASE
            continue
        log.info("released the %s claim the failure left", HEADER)
        return


def _kept(
    status: int, raw_headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> StoredResponse:
    headers = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in raw_headers]
    no_store = any(k == "cache-control" and "no-store" in v.lower() for k, v in headers)
    kept = [(k, v) for k, v in headers if k in KEPT_HEADERS]
    return StoredResponse(status, kept, None if no_store else b"".join(chunks))


async def _replay(scope: Scope, send: Send, response: StoredResponse, refuse: Refuse) -> None:
    marker = {REPLAYED: "true"}
    if response.body is None:
        location = dict(response.headers).get("location")
        if location:
            marker["Location"] = location
        detail = "this request succeeded before; its response showed a secret and is not kept"
        await refuse(scope, send, 409, detail, marker)
        return
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    headers += [
        (b"content-length", str(len(response.body)).encode()),
        (REPLAYED.lower().encode(), b"true"),
    ]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
