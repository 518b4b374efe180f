"""The one place the inventory service's resources are put together."""

from datetime import timedelta
from pathlib import Path

from inventory.adapters.catalog_client import CatalogClient
from inventory.adapters.tables import audit_log, messaging_tables, metadata, processed_requests
from inventory.application.order_ledger import OrderLedger
from inventory.application.ports import Retries
from inventory.application.receipts import Receipts
from inventory.application.reservations import ReservationRules, Reservations
from inventory.application.returns import Returns
from inventory.application.shipments import Shipments
from inventory.application.stock import Stock
from inventory.application.warehouses import Warehouses
from inventory.config import Settings
from inventory.entrypoints.access import ACCESS
from inventory.entrypoints.grpc_server import InventoryServicer, UseCases
from messaging.consumer import Subscription
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2, procurement_pb2
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from servicehost.host import ServiceSpec, Wiring
from servicekit.audit import AuditLog
from servicekit.config import ServiceSettings
from servicekit.db import Database
from servicekit.idempotency import ProcessedRequests


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    assert isinstance(settings, Settings)
    rules = ReservationRules(
        backorders=settings.backorders,
        policy=settings.allocation_policy,
        ttl=timedelta(seconds=settings.reservation_ttl_seconds),
    )
    audit, retries = AuditLog(audit_log), Retries(ProcessedRequests(processed_requests))
    catalog = CatalogClient(settings.catalog_target, settings.tls())
    reservations = Reservations(database, outbox, rules)
    receipts = Receipts(database, outbox, catalog, audit, retries)
    returns = Returns(database, outbox, audit, retries)
    use = UseCases(
        warehouses=Warehouses(database, audit),
        stock=Stock(database, outbox, catalog, audit, retries),
        receipts=receipts,
        shipments=Shipments(database, outbox, audit, retries),
        returns=returns,
        ledger=OrderLedger(database),
    )

    async def expire() -> None:
        await reservations.expire_forever(settings.expiry_interval_seconds)

    return Wiring(
        registrations=[
            (inventory_pb2_grpc.add_InventoryServiceServicer_to_server, InventoryServicer(use))
        ],
        access=[ACCESS],
        subscriptions=[
            Subscription(orders_pb2.SalesOrderPlaced, reservations.on_sales_order_placed),
            Subscription(orders_pb2.SalesOrderApproved, reservations.on_sales_order_approved),
            Subscription(
                orders_pb2.SalesOrderHoldChanged, reservations.on_sales_order_hold_changed
            ),
            Subscription(orders_pb2.SalesOrderCancelled, reservations.on_sales_order_cancelled),
            Subscription(
                orders_pb2.SalesOrderLinesChanged, reservations.on_sales_order_lines_changed
            ),
            Subscription(orders_pb2.ReturnAuthorized, returns.on_return_authorized),
            Subscription(procurement_pb2.PurchaseOrderIssued, receipts.on_purchase_order_issued),
        ],
        loops=[expire],
    )


SPEC = ServiceSpec(
    name="inventory",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
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
