"""The one place the catalog's resources are put together: servicehost creates the database and
the outbox; this builds the unit of work on them and hands it to the gRPC entrypoint."""

from __future__ import annotations

from functools import partial

from catalog.adapters.events import PUBLISHED
from catalog.adapters.tables import audit_log, messaging_tables, metadata, processed_requests
from catalog.adapters.unit_of_work import SqlUnitOfWork
from catalog.entrypoints.access import ACCESS
from catalog.entrypoints.grpc_server import CatalogServicer
from messaging.outbox import Outbox
from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from servicehost.host import ServiceSpec, Wiring
from servicehost.packaged import alembic_ini
from servicekit.audit import AuditLog
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    units = partial(SqlUnitOfWork, database, outbox, AuditLog(audit_log), processed_requests)
    servicer = CatalogServicer(units, reads=partial(units, reading=True))
    return Wiring(
        registrations=[(catalog_pb2_grpc.add_CatalogServiceServicer_to_server, servicer)],
        access=[ACCESS],
    )


SPEC = ServiceSpec(
    name="catalog",
    alembic_ini=alembic_ini("catalog"),
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=PUBLISHED,
    grpc_service_names=[catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"].full_name],
    wire=wire,
)
