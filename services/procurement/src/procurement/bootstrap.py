"""The one place the procurement service's resources are put together."""

from pathlib import Path

from messaging.consumer import Subscription
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2, inventory_pb2
from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2, procurement_pb2_grpc
from procurement.adapters.tables import audit_log, messaging_tables, metadata, processed_requests
from procurement.application.contracts import Contracts
from procurement.application.progress import OrderProgress
from procurement.application.purchase_orders import PurchaseOrders
from procurement.application.reordering import Reordering
from procurement.application.rfqs import Rfqs
from procurement.application.suppliers import Suppliers
from procurement.entrypoints.access import ACCESS
from procurement.entrypoints.grpc_server import ProcurementServicer
from servicehost.host import ServiceSpec, Wiring
from servicekit.audit import AuditLog
from servicekit.config import ServiceSettings
from servicekit.db import Database
from servicekit.idempotency import ProcessedRequests


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    audit, requests = AuditLog(audit_log), ProcessedRequests(processed_requests)
    reordering = Reordering(database, audit)
    progress = OrderProgress(outbox, audit)
    servicer = ProcurementServicer(
        Suppliers(database, outbox, audit),
        Rfqs(database, audit, requests),
        Contracts(database, audit, requests),
        PurchaseOrders(database, outbox, audit, requests),
        reordering,
    )
    add = procurement_pb2_grpc.add_ProcurementServiceServicer_to_server
    return Wiring(
        registrations=[(add, servicer)],
        access=[ACCESS],
        subscriptions=[
            Subscription(inventory_pb2.GoodsReceived, progress.on_goods_received),
            Subscription(inventory_pb2.LowStock, reordering.on_low_stock),
            Subscription(billing_pb2.BillRecorded, progress.on_bill_recorded),
            Subscription(billing_pb2.BillReleased, progress.on_bill_released),
            Subscription(billing_pb2.BillPaid, progress.on_bill_paid),
        ],
    )


SPEC = ServiceSpec(
    name="procurement",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=[
        events.SupplierCreated,
        events.PurchaseOrderIssued,
        events.PurchaseOrderStatusChanged,
    ],
    grpc_service_names=[
        procurement_pb2.DESCRIPTOR.services_by_name["ProcurementService"].full_name
    ],
    wire=wire,
)
