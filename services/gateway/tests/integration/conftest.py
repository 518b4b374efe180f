"""The gateway in-process over one real service, run as its own process on the real broker and
database: the REST edge against what it composes, without importing the service."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager

import httpx
import pytest

from devstack.postgres import PostgresCluster
from gateway.app import create_app
from gateway.clients import SERVICES, Clients, open_service_channel
from gateway.config import Settings
from gateway.edge.stores import open_stores
from testkit.security import session_security
from testkit.services import ServiceProcess, service_process

Served = tuple[httpx.AsyncClient, ServiceProcess]
GatewayOverService = Callable[[str, str], AbstractAsyncContextManager[Served]]


@pytest.fixture
def gateway_over_service(
    pg_cluster: PostgresCluster,
    kafka_bootstrap: str,
    fresh_database: Callable[[str], Awaitable[str]],
) -> GatewayOverService:
    """`gateway_over_service(service, base_url)`: a client of the gateway (on a database of its
    own) whose every client reaches that one service, and the service's process."""

    @contextlib.asynccontextmanager
    async def serve(service: str, base_url: str) -> AsyncIterator[Served]:
        settings = Settings(database_url=await fresh_database("gateway"))
        async with (
            service_process(service, pg_cluster, kafka_bootstrap) as running,
            open_stores(settings) as stores,
        ):
            tls = session_security().pki.files("gateway")
            policy = settings.call_policy()
            clients = Clients(
                {name: open_service_channel(running.target, tls, policy) for name in SERVICES}
            )
            app = create_app(settings, clients, stores)
            try:
                async with httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url=base_url
                ) as client:
                    yield client, running
            finally:
                await clients.close()

    return serve
