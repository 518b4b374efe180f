"""The one place the billing service's resources are put together."""

from pathlib import Path

from billing.adapters.tables import messaging_tables, metadata
from billing.application.invoicing import Invoicing
from billing.entrypoints.grpc_server import BillingServicer
from messaging.consumer import Subscription
from messaging.host import ServiceSpec, Wiring
from messaging.outbox import Outbox
from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2, quoting_pb2
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    invoicing = Invoicing(database, outbox)
    return Wiring(
        registrations=[
            (billing_pb2_grpc.add_BillingServiceServicer_to_server, BillingServicer(invoicing))
        ],
        subscriptions=[
            Subscription(orders_pb2.SalesOrderPlaced, invoicing.on_sales_order_placed),
            Subscription(inventory_pb2.ShipmentDispatched, invoicing.on_shipment_dispatched),
            Subscription(quoting_pb2.QuoteAccepted, invoicing.on_quote_accepted),
        ],
    )


SPEC = ServiceSpec(
    name="billing",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    publishes=[events.InvoiceIssued],
    grpc_service_names=[billing_pb2.DESCRIPTOR.services_by_name["BillingService"].full_name],
    wire=wire,
)
