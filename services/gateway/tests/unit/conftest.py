"""The gateway in-process over fake services served by a real gRPC server on a free port."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

import httpx
import pytest

from gateway.app import create_app
from gateway.clients import CHANNELS, Clients, open_service_channel
from gateway.config import Settings
from gateway.edge.stores import Stores
from oms.audit.v1 import audit_pb2
from oms.billing.v1 import billing_pb2
from oms.catalog.v1 import catalog_pb2
from oms.inventory.v1 import inventory_pb2
from oms.ops.v1 import dead_letters_pb2
from oms.orders.v1 import customers_pb2, orders_pb2, tasks_pb2
from oms.procurement.v1 import procurement_pb2
from oms.quoting.v1 import quoting_pb2
from oms.woocommerce.v1 import store_orders_pb2
from servicekit.grpc import Registration, start_server
from services.gateway.tests.unit.fakes import memory_stores
from testkit.security import session_security
from testkit.services import free_port


class GatewayOver(Protocol):
    def __call__(
        self,
        registrations: Sequence[Registration],
        base_url: str,
        *,
        stores: Stores | None = None,
        settings: Settings | None = None,
    ) -> AbstractAsyncContextManager[httpx.AsyncClient]: ...


FAKED = [
    module.DESCRIPTOR.services_by_name[name]
    for module, name in [
        (audit_pb2, "AuditService"),
        (dead_letters_pb2, "DeadLettersService"),
        (catalog_pb2, "CatalogService"),
        (quoting_pb2, "QuotingService"),
        (orders_pb2, "OrdersService"),
        (customers_pb2, "CustomersService"),
        (tasks_pb2, "TasksService"),
        (inventory_pb2, "InventoryService"),
        (billing_pb2, "BillingService"),
        (procurement_pb2, "ProcurementService"),
        (store_orders_pb2, "StoreOrdersService"),
    ]
]


def gateway_settings(**overrides: Any) -> Settings:
    """The gateway's settings for unit tests: the session's keys, fakes for its database."""
    session_security()
    return Settings(database_url="postgresql+asyncpg://unused/fake-stores", **overrides)


@contextlib.asynccontextmanager
async def fake_services(registrations: Sequence[Registration]) -> AsyncIterator[str]:
    """A real gRPC server (mutual TLS, every person admitted) serving the fakes; its target."""
    security = session_security()
    port = free_port()
    server = await start_server(
        registrations,
        [],
        host="127.0.0.1",
        port=port,
        tls=security.pki.files("orders"),
        access=security.access(*FAKED),
    )
    try:
        yield f"127.0.0.1:{port}"
    finally:
        await server.stop(None)


@contextlib.asynccontextmanager
async def gateway_at(
    targets: Mapping[str, str],
    base_url: str,
    stores: Stores | None = None,
    settings: Settings | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the gateway whose client of each service reaches `targets[service]`."""
    settings = settings or gateway_settings()
    tls, policy = session_security().pki.files("gateway"), settings.call_policy()
    clients = Clients(
        {
            name: open_service_channel(targets[name], tls, policy)
            for name in CHANNELS
            if name in targets
        }
    )
    app = create_app(settings, clients, stores or memory_stores())
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=base_url
        ) as client:
            yield client
    finally:
        await clients.close()


@contextlib.asynccontextmanager
async def _gateway_over(
    registrations: Sequence[Registration],
    base_url: str,
    *,
    stores: Stores | None = None,
    settings: Settings | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        fake_services(registrations) as target,
        gateway_at(dict.fromkeys(CHANNELS, target), base_url, stores, settings) as client,
    ):
        yield client


@pytest.fixture(scope="session")
def gateway_over() -> GatewayOver:
    """`gateway_over(registrations, base_url)`: a client of the gateway whose services are
    the fakes registered, and whose stores are in memory (or `stores`)."""
    return _gateway_over
