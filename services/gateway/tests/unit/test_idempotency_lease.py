"""A running request renews its Idempotency-Key claim, so only the claim of a request whose
gateway died is taken over by a retry (after LEASE, seconds rather than minutes), never the
claim of a slow request still running."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge import idempotency
from gateway.edge.idempotency import LEASE, Idempotency
from services.gateway.tests.unit.fakes import MemoryIdempotency
from services.gateway.tests.unit.test_idempotency_release import post, refuse

RENEW_EVERY = timedelta(milliseconds=20)


class Renewals(MemoryIdempotency):
    """The memory store, counting renewals and failing the first `failures` of them."""

    def __init__(self, failures: int = 0) -> None:
        super().__init__()
        self.renewed: list[datetime] = []
        self.failures = failures

    async def renew(self, caller: str, key: str, now: datetime) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError(111, "the database system is shutting down")
        self.renewed.append(now)
        await super().renew(caller, key, now)


def slow(seconds: float, started: asyncio.Event | None = None) -> ASGIApp:
    """An app that answers 201 after `seconds`, setting `started` once it has the request."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        if started is not None:
            started.set()
        await asyncio.sleep(seconds)
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    return app


@pytest.mark.parametrize("failures", [0, 2])
async def test_a_running_request_renews_its_claim_until_it_answers(
    monkeypatch: pytest.MonkeyPatch, failures: int
) -> None:
    monkeypatch.setattr(idempotency, "_RENEW_EVERY", RENEW_EVERY)
    store = Renewals(failures)
    middleware = Idempotency(slow(0.3), lambda: store, timedelta(hours=1), 0.1, refuse)
    assert (await post(middleware))[0]["status"] == 201
    # every 20 ms for 300 ms, a failed renewal tried again the next round
    assert len(store.renewed) >= 5
    (row,) = store.rows.values()
    assert row.claimed_at == store.renewed[-1]
    after = len(store.renewed)
    await asyncio.sleep(0.1)
    assert len(store.renewed) == after  # no renewal once it answered


async def test_a_retry_waits_for_a_running_request_but_takes_over_a_dead_ones_claim(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(idempotency, "_RENEW_EVERY", RENEW_EVERY)
    store = Renewals()
    started = asyncio.Event()
    first = Idempotency(slow(0.3, started), lambda: store, timedelta(hours=1), 0.05, refuse)
    running = asyncio.create_task(post(first))
    await started.wait()
    # a retry through another gateway while the first runs: still in progress, not run again
    twin = Idempotency(slow(0), lambda: store, timedelta(hours=1), 0.05, refuse_in_progress)
    assert await post(twin) == [{"type": "refused", "status": 409}]
    assert (await running)[0]["status"] == 201
    # the claim of a gateway that died (renewed no more) is taken over once LEASE has passed
    (row,) = store.rows.values()
    row.response, row.claimed_at = None, row.claimed_at - LEASE - timedelta(seconds=1)
    assert (await post(twin))[0]["status"] == 201


async def refuse_in_progress(
    scope: Scope,
    send: Send,
    status: int,
    detail: str,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> None:
    assert "still in progress" in detail
    message: Message = {"type": "refused", "status": status}
    await send(message)
