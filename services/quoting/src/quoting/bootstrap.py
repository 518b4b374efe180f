"""The one place the quoting service's resources are put together."""

from pathlib import Path

from messaging.consumer import Subscription
from messaging.outbox import Outbox
from oms.events.v1 import orders_pb2
from oms.events.v1 import quoting_pb2 as events
from oms.quoting.v1 import quoting_pb2, quoting_pb2_grpc
from quoting.adapters.catalog_client import CatalogClient
from quoting.adapters.tables import audit_log, messaging_tables, metadata
from quoting.application.customers import on_customer
from quoting.application.expiry import Expiry
from quoting.application.quotes import Quotes
from quoting.application.templates import Templates
from quoting.config import Settings
from quoting.entrypoints.access import ACCESS
from quoting.entrypoints.grpc_server import QuotingServicer
from servicehost.host import ServiceSpec, Wiring
from servicekit.audit import AuditLog
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    assert isinstance(settings, Settings)
    audit = AuditLog(audit_log)
    catalog = CatalogClient(settings.catalog_target, settings.tls())
    quotes = Quotes(database, outbox, audit, catalog)
    servicer = QuotingServicer(quotes, Templates(database, audit, quotes))
    expiry = Expiry(database, outbox, audit)

    async def expire() -> None:
        await expiry.expire_forever(settings.expiry_interval_seconds)

    return Wiring(
        registrations=[(quoting_pb2_grpc.add_QuotingServiceServicer_to_server, servicer)],
        access=[ACCESS],
        subscriptions=[
            Subscription(orders_pb2.CustomerRegistered, on_customer),
            Subscription(orders_pb2.CustomerChanged, on_customer),
        ],
        loops=[expire],
    )


SPEC = ServiceSpec(
    name="quoting",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=[
        events.QuoteCreated,
        events.QuoteSent,
        events.QuoteRevised,
        events.QuoteAccepted,
        events.QuoteRejected,
        events.QuoteExpired,
    ],
    grpc_service_names=[quoting_pb2.DESCRIPTOR.services_by_name["QuotingService"].full_name],
    wire=wire,
)
