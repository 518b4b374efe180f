"""A failed request's Idempotency-Key claim is released so the client may retry; when the
store's database is what failed, the failure already answered stays the answer and the claim is
released once the store is back, not left until LEASE runs out."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from starlette.types import Message, Receive, Scope, Send

from gateway.edge import idempotency
from gateway.edge.idempotency import Idempotency, Record, StoredResponse
from servicekit.context import Principal


class DownForAWhile:
    """A store whose database refuses the first `failures` releases."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.claims: set[tuple[str, str]] = set()
        self.released = asyncio.Event()

    async def claim(
        self, caller: str, key: str, fingerprint: str, now: datetime, expires_at: datetime
    ) -> Record | None:
        if (caller, key) in self.claims:
            return Record(fingerprint, None)
        self.claims.add((caller, key))
        return None

    async def renew(self, caller: str, key: str, now: datetime) -> None:
        return None  # the request answers before its claim is due a renewal

    async def finish(self, caller: str, key: str, response: StoredResponse) -> None:
        raise AssertionError("a 5xx is not kept")

    async def release(self, caller: str, key: str) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError(111, "the database system is shutting down")
        self.claims.discard((caller, key))
        self.released.set()

    async def prune(self, now: datetime) -> int:
        return 0


async def unavailable(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "http.response.start", "status": 503, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def refuse(*_: object, **__: object) -> None:
    raise AssertionError("nothing is refused here")


async def post(middleware: Idempotency) -> list[Message]:
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/payments",
        "query_string": b"",
        "headers": [(b"idempotency-key", b"k-1")],
        "state": {"principal": Principal("ada", ("admin",))},
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b'{"amount": "4.00"}', "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await middleware(scope, receive, send)
    return sent


@pytest.mark.parametrize("failures", [0, 3])
async def test_a_failed_requests_claim_is_released_even_when_the_store_is_down_at_first(
    monkeypatch: pytest.MonkeyPatch, failures: int
) -> None:
    monkeypatch.setattr(idempotency, "_RELEASE_EVERY_SECONDS", 0.01)
    store = DownForAWhile(failures)
    middleware = Idempotency(unavailable, lambda: store, timedelta(hours=1), 0.1, refuse)

    answered = await post(middleware)  # no exception after the response was sent
    assert answered[0]["status"] == 503

    await asyncio.wait_for(store.released.wait(), 2)
    assert store.claims == set()
    assert (await post(middleware))[0]["status"] == 503  # the retry ran, not told "in progress"
