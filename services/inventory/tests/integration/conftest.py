"""The inventory service in-process against the real broker and database (and the real catalog,
as its own process), and helpers to talk to it as its peers do: gRPC calls as a warehouse user,
order events in (written as orders writes them), inventory events out."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import grpc
import pytest
from google.protobuf.message import Message

from inventory.bootstrap import SPEC
from inventory.config import Settings
from messaging.envelope import Envelope
from messaging.events import source_of, topic_of, topic_owner
from messaging.kafka import make_producer
from oms.audit.v1 import audit_pb2_grpc
from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from oms.events.v1 import orders_pb2
from oms.inventory.v1 import inventory_pb2 as pb
from oms.inventory.v1 import inventory_pb2_grpc
from oms.types.v1.types_pb2 import Money
from servicekit.context import Principal, acting
from servicekit.grpc import violations_of
from testkit.security import session_security
from testkit.services import EventLog, as_user, free_port, namespace, operator, running

# A warehouse user: most calls are made as one.
WAREHOUSE = as_user("wendy", "warehouse")


def settings(url: str, bootstrap: str, ns: str, catalog: str, **overrides: Any) -> Settings:
    return Settings(
        database_url=url,
        kafka_bootstrap_servers=bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
        catalog_target=catalog,
        **overrides,
    )


def placed(*lines: tuple[str, int]) -> orders_pb2.SalesOrderPlaced:
    """An order for (product, units) lines, each line with an id of its own."""
    return orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id="C-1",
        currency="EUR",
        lines=[
            orders_pb2.SalesOrderLine(
                line_id=str(uuid.uuid4()), product_id=product, sku="SKU-1", quantity=quantity
            )
            for product, quantity in lines
        ],
    )


def new_product() -> str:
    """A product id the catalog does not know: for orders only (stock needs `product()`)."""
    return f"P-{uuid.uuid4().hex[:8]}"


@dataclasses.dataclass
class Inventory:
    """A running inventory service, the topic namespace it lives in and its catalog."""

    stub: inventory_pb2_grpc.InventoryServiceStub
    bootstrap: str
    ns: str
    catalog: catalog_pb2_grpc.CatalogServiceStub
    # Where it answers, for channels that present another caller's certificate.
    target: str
    audit: audit_pb2_grpc.AuditServiceStub

    async def product(self, kind: str = "", components: dict[str, int] | None = None) -> str:
        """A new product of the catalog (a kit of `components`: product id -> units); its id."""
        reply = await self.catalog.CreateProduct(
            catalog_pb2.CreateProductRequest(
                sku=f"SKU-{uuid.uuid4().hex[:10]}",
                name="Widget",
                list_price=Money(amount="10.00", currency="EUR"),
                kind=kind,
                components=[
                    catalog_pb2.KitComponent(product_id=p, quantity=n)
                    for p, n in (components or {}).items()
                ],
            ),
            metadata=as_user("pia", "purchasing"),
        )
        return reply.product.id

    async def approve(self, order_id: str) -> None:
        """Orders approves the order; returns once inventory knows it may ship."""
        await self.publish((orders_pb2.SalesOrderApproved(order_id=order_id), order_id))

        async def approved() -> bool:
            return (await self.ledger(order_id)).approved

        await eventually(approved)

    async def warehouse(self, priority: int = 0) -> str:
        reply = await self.stub.CreateWarehouse(
            pb.CreateWarehouseRequest(
                code=f"W{uuid.uuid4().hex[:6]}", name="Warehouse", priority=priority
            ),
            metadata=WAREHOUSE,
        )
        return reply.warehouse.id

    async def stock(self, warehouse: str, product: str, units: int) -> pb.StockLevel:
        reply = await self.stub.AdjustStock(
            pb.AdjustStockRequest(
                warehouse_id=warehouse, product_id=product, quantity_delta=units, reason="count"
            ),
            metadata=WAREHOUSE,
        )
        return reply.level

    async def level(self, product: str, warehouse: str) -> pb.StockLevel:
        reply = await self.stub.GetStock(
            pb.GetStockRequest(product_id=product, warehouse_id=warehouse)
        )
        (level,) = reply.levels
        return level

    async def ledger(self, order_id: str) -> pb.ListReservationsResponse:
        return await self.stub.ListReservations(pb.ListReservationsRequest(order_id=order_id))

    def events(self, *types: type[Message]) -> EventLog:
        return EventLog(self.bootstrap, list(types), self.ns)

    async def publish(
        self, *messages: tuple[Message, str], time: datetime | None = None
    ) -> list[Envelope]:
        """Publishes (message, key) pairs in order through one producer, as orders would;
        `time` overrides their ce_time (the order's placement time, for one placed)."""
        producer = make_producer(operator(self.bootstrap), "test-publisher")
        await producer.start()
        sent = []
        try:
            for message, key in messages:
                owner = source_of(topic_owner(topic_of(message)))
                with acting(Principal("test", ("admin",))):
                    envelope = Envelope.wrap(message, source=owner, key=key, namespace=self.ns)
                if time is not None:
                    envelope = dataclasses.replace(envelope, time=time)
                await producer.send_and_wait(
                    envelope.topic, envelope.body, key=key.encode(), headers=envelope.headers()
                )
                sent.append(envelope)
        finally:
            await producer.stop()
        return sent

    async def place(self, order: orders_pb2.SalesOrderPlaced, **kw: Any) -> Envelope:
        return (await self.publish((order, order.order_id), **kw))[0]


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 30.0) -> None:
    """Waits until `check()` holds (state that events change in the background)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the condition did not hold in time")
        await asyncio.sleep(0.1)


async def failure(call: Awaitable[Any]) -> grpc.aio.AioRpcError:
    """The error a call fails with (fails the test when it succeeds)."""
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    return error.value


async def refused(call: Awaitable[Any]) -> grpc.StatusCode:
    """The status code a call fails with (fails the test when it succeeds)."""
    return (await failure(call)).code()


async def invalid_fields(call: Awaitable[Any]) -> list[str]:
    """The fields an INVALID_ARGUMENT names (fails the test on any other outcome)."""
    error = await failure(call)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    return [v.field for v in violations_of(error)]


StartInventory = Callable[..., contextlib.AbstractAsyncContextManager[Inventory]]


@pytest.fixture
def ns() -> str:
    return namespace()


@pytest.fixture
async def database_url(fresh_database: Callable[[str], Awaitable[str]]) -> str:
    return await fresh_database("inventory")


@pytest.fixture
def start_inventory(
    database_url: str, kafka_bootstrap: str, ns: str, catalog_process: str
) -> StartInventory:
    """`async with start_inventory(**settings) as inventory:` one replica on the test's database
    and namespace (start two for two replicas)."""

    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Inventory]:
        config = settings(database_url, kafka_bootstrap, ns, catalog_process, **overrides)
        async with (
            running(SPEC, config) as channel,
            session_security().channel(catalog_process) as catalog,
        ):
            yield Inventory(
                inventory_pb2_grpc.InventoryServiceStub(channel),
                kafka_bootstrap,
                ns,
                catalog_pb2_grpc.CatalogServiceStub(catalog),
                f"127.0.0.1:{config.grpc_port}",
                audit_pb2_grpc.AuditServiceStub(channel),
            )

    return start


@pytest.fixture
async def inventory(start_inventory: StartInventory) -> AsyncIterator[Inventory]:
    async with start_inventory() as running_inventory:
        yield running_inventory


def quantities(lines: Sequence[Any]) -> list[tuple[str, int]]:
    """(warehouse_id, quantity) of reserved lines."""
    return sorted((x.warehouse_id, x.quantity) for x in lines)
