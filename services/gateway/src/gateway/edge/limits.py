"""What one caller may send: requests per second (a token bucket per caller) and body size.

Both run after authentication, so an unknown caller costs no bucket and no body is read for it;
the rate limit runs before the body is read, so a throttled caller's body is never read either.
Buckets live in the replica's memory: with N replicas a caller may make up to N times the rate.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.problems import Refuse
from servicekit.context import Principal

# Picture uploads travel base64 in JSON: they get the larger upload limit.
UPLOAD_PATH = re.compile(r"^/api/v1/products/[^/]+/pictures$")


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """A bucket per caller holding up to `burst` tokens, refilled at `rate` per second; each
    request takes one."""

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_callers: int = 10_000,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.max_callers = max_callers
        self._buckets: dict[str, _Bucket] = {}

    def take(self, caller: str) -> float:
        """0 when `caller` may go ahead now; otherwise the seconds until it may."""
        now = self.clock()
        bucket = self._buckets.get(caller)
        if bucket is None:
            self._forget_full(now)
            bucket = self._buckets[caller] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """A full bucket is the same as none: dropping them bounds the memory callers use."""
        if len(self._buckets) < self.max_callers:
            return
        refill = self.burst / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < refill}


class RateLimit:
    """429 problem+json with Retry-After when the caller's bucket is empty."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets, refuse: Refuse) -> None:
        self.app = app
        self.buckets = buckets
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = scope.get("state", {}).get("principal")
        if scope["type"] == "http" and isinstance(caller, Principal):
            wait = self.buckets.take(caller.subject)
            if wait > 0:
                retry = str(max(1, math.ceil(wait)))
                detail = f"more than {self.buckets.rate:g} requests per second; retry later"
                await self.refuse(scope, send, 429, detail, {"Retry-After": retry})
                return
        await self.app(scope, receive, send)


class BodyTooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int | None = None) -> bytes:
    """The whole request body; BodyTooLarge as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands out `body` once, then whatever the client sends next."""
    pending = [body]

    async def replay() -> Message:
        if pending:
            return {"type": "http.request", "body": pending.pop(), "more_body": False}
        return await receive()

    return replay


class BodyLimit:
    """413 problem+json for a body over the limit, refused from its Content-Length unread, or
    as soon as the bytes read pass the limit; the route then reads the body from memory."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int, refuse: Refuse) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        limit = self.max_upload_bytes if UPLOAD_PATH.match(scope["path"]) else self.max_bytes
        detail = f"the body is larger than {limit} bytes"
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > limit:
            await self.refuse(scope, send, 413, detail, {})
            return
        try:
            body = await read_body(receive, limit)
        except BodyTooLarge:
            await self.refuse(scope, send, 413, detail, {})
            return
        await self.app(scope, replaying(body, receive), send)
