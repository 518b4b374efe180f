"""What a service answers when its handler fails: a database that cannot be reached now is
UNAVAILABLE (the caller may try again; the gateway answers 503), a bug stays a bug."""

from __future__ import annotations

from typing import Any

import asyncpg
import grpc
import pytest

from servicekit.context import Principal
from servicekit.grpc import _admitted


class Aborted(Exception):
    """What grpc.aio's abort raises, ending the handler."""


class FakeContext:
    def __init__(self) -> None:
        self.aborted: tuple[grpc.StatusCode, str] | None = None

    def invocation_metadata(self) -> tuple[()]:
        return ()

    def auth_context(self) -> dict[str, Any]:
        return {}

    async def abort(self, code: grpc.StatusCode, details: str) -> None:
        self.aborted = (code, details)
        raise Aborted


class AdmitEveryone:
    def admit(self, method: str, peer: object, token: object) -> Principal:
        return Principal("tester", ("admin",))


async def failing(error: Exception) -> FakeContext:
    async def behavior(request: Any, context: Any) -> None:
        raise error

    handle = _admitted(behavior, "/oms.test.v1.Test/Do", AdmitEveryone())  # type: ignore[arg-type]
    context = FakeContext()
    with pytest.raises((Aborted, type(error))):
        await handle(object(), context)
    return context


async def test_a_database_that_cannot_be_reached_now_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("servicekit.grpc.check_request", lambda request: None)
    for error in (
        ConnectionRefusedError(111, "Connect call failed"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    ):
        context = await failing(error)
        assert context.aborted is not None, error
        assert context.aborted[0] == grpc.StatusCode.UNAVAILABLE


async def test_a_bug_is_not_dressed_up_as_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("servicekit.grpc.check_request", lambda request: None)
    context = await failing(KeyError("customer"))
    assert context.aborted is None, "it propagates (gRPC answers UNKNOWN and it is logged)"
