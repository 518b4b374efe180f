"""The one place the inventory service's resources are put together: the host makes the
database and the outbox; this builds the unit of work on them, the catalog client and the
rules, and hands them to the gRPC servicer, the event reactions and the expiry loop."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from inventory.adapters.catalog_client import GrpcCatalog
from inventory.adapters.tables import audit_log, messaging_tables, metadata, processed_requests
from inventory.adapters.unit_of_work import Storage
from inventory.application.commands.expire_reservations import expire_reservations
from inventory.application.rules import ReservationRules
from inventory.config import Settings
from inventory.entrypoints.access import ACCESS
from inventory.entrypoints.grpc_server import InventoryServicer
from inventory.entrypoints.subscriptions import Reactions
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from servicehost.host import ServiceSpec, Wiring
from servicehost.packaged import alembic_ini
from servicehost.periodic import every
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
    storage = Storage(database, outbox, AuditLog(audit_log), ProcessedRequests(processed_requests))
    catalog = GrpcCatalog(settings.catalog_target, settings.tls())
    servicer = InventoryServicer(storage.unit_of_work, catalog)
    expire = partial(expire_reservations, storage.unit_of_work, rules.ttl)
    return Wiring(
        registrations=[(inventory_pb2_grpc.add_InventoryServiceServicer_to_server, servicer)],
        access=[ACCESS],
        subscriptions=Reactions(storage.joining, rules).subscriptions(),
        loops=[every(settings.expiry_interval_seconds, expire, "expiry")],
    )


SPEC = ServiceSpec(
    name="inventory",
    alembic_ini=alembic_ini("inventory"),
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
        events.AvailabilityChanged,
    ],
    grpc_service_names=[inventory_pb2.DESCRIPTOR.services_by_name["InventoryService"].full_name],
    wire=wire,
)
