"""The catalog on its own database and topics, reached as the gateway (an admin's token unless a
call passes its own) or, through `target`, as any other caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import grpc
import pytest

from catalog.bootstrap import SPEC
from catalog.config import Settings
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from oms.types.v1.types_pb2 import Money
from testkit.services import free_port, namespace, running

Stub = catalog_pb2_grpc.CatalogServiceStub


@dataclass(frozen=True)
class Catalog:
    stub: Stub
    channel: grpc.aio.Channel
    target: str
    namespace: str

    async def product(self, sku: str, price: str = "10.00", **fields: object) -> pb.Product:
        request = pb.CreateProductRequest(
            sku=sku,
            name=sku.title(),
            list_price=Money(amount=price, currency="EUR"),
            **fields,  # type: ignore[arg-type]
        )
        return (await self.stub.CreateProduct(request)).product


@pytest.fixture
async def catalog(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Catalog]:
    settings = Settings(
        database_url=await fresh_database("catalog"),
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=namespace(),
    )
    async with running(SPEC, settings) as channel:
        yield Catalog(
            Stub(channel),
            channel,
            f"127.0.0.1:{settings.grpc_port}",
            settings.topic_namespace,
        )


async def refused(call: Awaitable[object]) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    return error.value
