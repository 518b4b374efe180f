"""The one place the orders service's resources are put together."""

from pathlib import Path

from messaging.consumer import Subscription
from messaging.host import ServiceSpec, Wiring
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2, inventory_pb2, quoting_pb2
from oms.events.v1 import orders_pb2 as events
from oms.orders.v1 import orders_pb2, orders_pb2_grpc
from orders.adapters.catalog_client import CatalogClient
from orders.adapters.tables import messaging_tables, metadata
from orders.application.handlers import Orders
from orders.config import Settings
from orders.entrypoints.grpc_server import OrdersServicer
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    assert isinstance(settings, Settings)
    orders = Orders(database, outbox, CatalogClient(settings.catalog_target))
    return Wiring(
        registrations=[
            (orders_pb2_grpc.add_OrdersServiceServicer_to_server, OrdersServicer(orders))
        ],
        subscriptions=[
            Subscription(inventory_pb2.StockReserved, orders.on_stock_reserved),
            Subscription(inventory_pb2.StockRejected, orders.on_stock_rejected),
            Subscription(inventory_pb2.ShipmentDispatched, orders.on_shipment_dispatched),
            Subscription(billing_pb2.InvoiceIssued, orders.on_invoice_issued),
            Subscription(quoting_pb2.QuoteAccepted, orders.on_quote_accepted),
        ],
    )


SPEC = ServiceSpec(
    name="orders",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    publishes=[events.SalesOrderPlaced, events.SalesOrderStatusChanged],
    grpc_service_names=[orders_pb2.DESCRIPTOR.services_by_name["OrdersService"].full_name],
    wire=wire,
)
