"""The relay wakes for a commit notified while it was publishing the batch before: it does not
sleep until the next poll (which made such events wait up to a second under load)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from messaging import relay as relay_module
from messaging.relay import OutboxRelay


class _Connection:
    async def fetchval(self, *_: Any) -> bool:
        return True  # the relay lock is ours

    async def add_listener(self, *_: Any) -> None: ...
    async def execute(self, *_: Any) -> None: ...
    async def close(self) -> None: ...


class _Url:
    def render_as_string(self, hide_password: bool = True) -> str:
        return "postgresql+asyncpg://relay@localhost/test"


class _Engine:
    url = _Url()


class _Stopped(Exception):
    pass


class NotifiedMidBatch(OutboxRelay):
    """Publishes one row, during which a writer commits and notifies; stops at the next batch."""

    def __init__(self) -> None:
        super().__init__(_Engine(), None, None, "probe", poll_seconds=5.0)  # type: ignore[arg-type]
        self.calls: list[float] = []

    async def publish_batch(self) -> int:
        self.calls.append(time.monotonic())
        if len(self.calls) == 1:
            self._on_notify()  # NOTIFY arriving while the batch is on its way to the broker
            return 1
        raise _Stopped


async def test_a_commit_notified_during_a_batch_is_published_without_waiting_for_the_poll(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def connect(_: str) -> _Connection:
        return _Connection()

    monkeypatch.setattr(relay_module.asyncpg, "connect", connect)
    relay = NotifiedMidBatch()
    with pytest.raises(_Stopped):
        await asyncio.wait_for(relay._run_while_connected(), 10)
    first, second = relay.calls
    assert second - first < 1.0  # not the 5 s poll
