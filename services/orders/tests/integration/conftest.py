"""The orders service in-process, with a real catalog process to price from."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import grpc
import pytest

from oms.orders.v1 import orders_pb2_grpc
from orders.bootstrap import SPEC
from orders.config import Settings
from testkit.services import free_port, namespace, running


@pytest.fixture(scope="module")
def catalog(catalog_process: str) -> str:
    return catalog_process


@pytest.fixture
async def service(
    catalog: str, fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[tuple[grpc.aio.Channel, str, str]]:
    """The orders service on a database and topic namespace of its own: (channel, ns, url)."""
    ns = namespace()
    url = await fresh_database("orders")
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
        catalog_target=catalog,
    )
    async with running(SPEC, settings) as channel:
        yield channel, ns, url


@pytest.fixture
def env(
    service: tuple[grpc.aio.Channel, str, str],
) -> tuple[orders_pb2_grpc.OrdersServiceStub, str, str]:
    channel, ns, url = service
    return orders_pb2_grpc.OrdersServiceStub(channel), ns, url
