"""The gateway in-process over fake services served by a real gRPC server on a free port."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager

import httpx
import pytest

from gateway.app import create_app
from gateway.clients import SERVICES, Clients
from gateway.config import Settings
from servicekit.grpc import Registration, open_channel, start_server
from testkit.services import free_port

GatewayOver = Callable[
    [Sequence[Registration], str, str], AbstractAsyncContextManager[httpx.AsyncClient]
]


@contextlib.asynccontextmanager
async def _gateway_over(
    registrations: Sequence[Registration], secret: str, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    port = free_port()
    server = await start_server(registrations, [], "127.0.0.1", port)
    clients = Clients({name: open_channel(f"127.0.0.1:{port}") for name in SERVICES})
    app = create_app(Settings(jwt_secret=secret), clients)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=base_url
        ) as client:
            yield client
    finally:
        await clients.close()
        await server.stop(None)


@pytest.fixture(scope="session")
def gateway_over() -> GatewayOver:
    """`gateway_over(registrations, jwt_secret, base_url)`: a client of the gateway whose
    services are the fakes registered."""
    return _gateway_over
