"""The relay never ends on trouble: database and broker errors, and errors nobody foresaw, are
logged and tried again after a pause that doubles while the trouble lasts, up to 30 s."""

from __future__ import annotations

import logging

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError

from messaging import relay as relay_module
from messaging.relay import OutboxRelay


class _Stopped(BaseException):
    pass


class _Failing(OutboxRelay):
    def __init__(self, errors: list[Exception]) -> None:
        self.errors = errors

    async def _run_while_connected(self) -> None:
        if not self.errors:
            raise _Stopped
        raise self.errors.pop(0)


async def test_every_failure_is_logged_and_retried_after_a_growing_pause(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr(relay_module.asyncio, "sleep", sleep)
    errors: list[Exception] = [
        ConnectionRefusedError(111, "the database is down"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        KafkaConnectionError("no broker"),
        RuntimeError("nobody foresaw this"),
        *[OSError("still down")] * 4,
    ]
    with caplog.at_level(logging.WARNING, logger="messaging.relay"), pytest.raises(_Stopped):
        await _Failing(errors).run()

    assert pauses == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
    assert len(caplog.records) == 8
    assert "nobody foresaw this" in caplog.text
    assert any(r.exc_info for r in caplog.records), "the unforeseen one is logged in full"
