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
from oms.billing.v1 import billing_pb2
from oms.catalog.v1 import catalog_pb2
from oms.inventory.v1 import inventory_pb2
from oms.orders.v1 import customers_pb2, orders_pb2
from oms.procurement.v1 import procurement_pb2
from oms.quoting.v1 import quoting_pb2
from servicekit.grpc import Registration, open_channel, start_server
from testkit.security import session_security
from testkit.services import free_port

GatewayOver = Callable[
    [Sequence[Registration], str], AbstractAsyncContextManager[httpx.AsyncClient]
]
FAKED = [
    module.DESCRIPTOR.services_by_name[name]
    for module, name in [
        (catalog_pb2, "CatalogService"),
        (quoting_pb2, "QuotingService"),
        (orders_pb2, "OrdersService"),
        (customers_pb2, "CustomersService"),
        (inventory_pb2, "InventoryService"),
        (billing_pb2, "BillingService"),
        (procurement_pb2, "ProcurementService"),
    ]
]


@contextlib.asynccontextmanager
async def _gateway_over(
    registrations: Sequence[Registration], base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
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
    tls = security.pki.files("gateway")
    clients = Clients({name: open_channel(f"127.0.0.1:{port}", tls) for name in SERVICES})
    app = create_app(Settings(), clients)
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
    """`gateway_over(registrations, base_url)`: a client of the gateway whose services are
    the fakes registered."""
    return _gateway_over
