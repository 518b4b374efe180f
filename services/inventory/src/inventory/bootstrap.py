"""The one place the inventory service's resources are put together."""

from pathlib import Path

from inventory.adapters.tables import messaging_tables, metadata
from inventory.application.reservations import Reservations
from inventory.application.stock import Stock
from inventory.entrypoints.grpc_server import InventoryServicer
from messaging.consumer import Subscription
from messaging.host import ServiceSpec, Wiring
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    reservations = Reservations(database, outbox)
    servicer = InventoryServicer(Stock(database), reservations)
    return Wiring(
        registrations=[(inventory_pb2_grpc.add_InventoryServiceServicer_to_server, servicer)],
        subscriptions=[
            Subscription(orders_pb2.SalesOrderPlaced, reservations.on_sales_order_placed)
        ],
    )


SPEC = ServiceSpec(
    name="inventory",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    publishes=[events.StockReserved, events.StockRejected, events.ShipmentDispatched],
    grpc_service_names=[inventory_pb2.DESCRIPTOR.services_by_name["InventoryService"].full_name],
    wire=wire,
)
