"""The one place the catalog's resources are put together."""

from pathlib import Path

from catalog.adapters.tables import audit_log, messaging_tables, metadata, processed_requests
from catalog.application.pricing import Pricing
from catalog.application.products import Catalog
from catalog.entrypoints.access import ACCESS
from catalog.entrypoints.grpc_server import CatalogServicer
from messaging.outbox import Outbox
from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from oms.events.v1 import catalog_pb2 as events
from servicehost.host import ServiceSpec, Wiring
from servicekit.audit import AuditLog
from servicekit.config import ServiceSettings
from servicekit.db import Database
from servicekit.idempotency import ProcessedRequests


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    audit = AuditLog(audit_log)
    catalog = Catalog(database, outbox, audit, ProcessedRequests(processed_requests))
    servicer = CatalogServicer(catalog, Pricing(database, audit))
    return Wiring(
        registrations=[(catalog_pb2_grpc.add_CatalogServiceServicer_to_server, servicer)],
        access=[ACCESS],
    )


SPEC = ServiceSpec(
    name="catalog",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=[
        events.ProductCreated,
        events.ProductChanged,
        events.ProductPriceChanged,
        events.ProductDiscontinued,
    ],
    grpc_service_names=[catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"].full_name],
    wire=wire,
)
