"""The one place the inventory service's resources are put together."""

from datetime import timedelta
from pathlib import Path

from inventory.adapters.tables import messaging_tables, metadata
from inventory.application.reservations import ReservationRules, Reservations
from inventory.application.shipments import Shipments
from inventory.application.stock import Stock
from inventory.config import Settings
from inventory.entrypoints.grpc_server import InventoryServicer
from messaging.consumer import Subscription
from messaging.host import ServiceSpec, Wiring
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2, procurement_pb2
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    assert isinstance(settings, Settings)
    rules = ReservationRules(
        backorders=settings.backorders,
        policy=settings.allocation_policy,
        ttl=timedelta(seconds=settings.reservation_ttl_seconds),
    )
    reservations = Reservations(database, outbox, rules)
    stock = Stock(database, outbox)
    servicer = InventoryServicer(stock, reservations, Shipments(database, outbox))

    async def expire() -> None:
        await reservations.expire_forever(settings.expiry_interval_seconds)

    return Wiring(
        registrations=[(inventory_pb2_grpc.add_InventoryServiceServicer_to_server, servicer)],
        subscriptions=[
            Subscription(orders_pb2.SalesOrderPlaced, reservations.on_sales_order_placed),
            Subscription(orders_pb2.SalesOrderApproved, reservations.on_sales_order_approved),
            Subscription(orders_pb2.SalesOrderCancelled, reservations.on_sales_order_cancelled),
            Subscription(
                orders_pb2.SalesOrderLinesChanged, reservations.on_sales_order_lines_changed
            ),
            Subscription(orders_pb2.ReturnAuthorized, reservations.on_return_authorized),
            Subscription(procurement_pb2.PurchaseOrderIssued, stock.on_purchase_order_issued),
        ],
        loops=[expire],
    )


SPEC = ServiceSpec(
    name="inventory",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    publishes=[
        events.StockReserved,
        events.StockRejected,
        events.StockPartiallyReserved,
        events.BackorderAllocated,
        events.ReservationReleased,
        events.ShipmentDispatched,
        events.ShipmentStatusChanged,
        events.ReturnReceived,
        events.LowStock,
        events.GoodsReceived,
    ],
    grpc_service_names=[inventory_pb2.DESCRIPTOR.services_by_name["InventoryService"].full_name],
    wire=wire,
)
