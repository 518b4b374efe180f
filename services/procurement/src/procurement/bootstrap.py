"""The one place the procurement service's resources are put together: the units of work over
its database and outbox, the use cases' ports, the gRPC servicer and the event reactions."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from messaging.outbox import Outbox
from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2, procurement_pb2_grpc
from procurement.adapters.tables import (
    audit_log,
    messaging_tables,
    metadata,
    processed_requests,
    purchase_orders,
)
from procurement.adapters.unit_of_work import SqlUnitsOfWork
from procurement.application.ports import Ports
from procurement.entrypoints.access import ACCESS
from procurement.entrypoints.grpc_server import ProcurementServicer
from procurement.entrypoints.subscriptions import Reactions
from servicehost.host import ServiceSpec, Wiring
from servicehost.packaged import alembic_ini
from servicekit.audit import AuditLog
from servicekit.config import ServiceSettings
from servicekit.db import Database
from servicekit.metrics import count_states


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    units = SqlUnitsOfWork(database, outbox, AuditLog(audit_log), processed_requests)
    clock = SystemClock()
    servicer = ProcurementServicer(Ports(units.begin, clock))
    add = procurement_pb2_grpc.add_ProcurementServiceServicer_to_server
    status = purchase_orders.c.status
    return Wiring(
        registrations=[(add, servicer)],
        access=[ACCESS],
        subscriptions=Reactions(units.joining, clock).subscriptions(),
        # procure-to-pay: how many purchase orders stand in each status
        gauges=[partial(count_states, database=database, saga="purchase_order", status=status)],
    )


SPEC = ServiceSpec(
    name="procurement",
    alembic_ini=alembic_ini("procurement"),
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=[
        events.SupplierCreated,
        events.PurchaseOrderIssued,
        events.PurchaseOrderStatusChanged,
        events.PurchaseOrderReduced,
    ],
    grpc_service_names=[
        procurement_pb2.DESCRIPTOR.services_by_name["ProcurementService"].full_name
    ],
    wire=wire,
)
