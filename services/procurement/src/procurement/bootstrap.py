"""The one place the procurement service's resources are put together."""

from pathlib import Path

from messaging.host import ServiceSpec, Wiring
from messaging.outbox import Outbox
from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2, procurement_pb2_grpc
from procurement.adapters.tables import messaging_tables, metadata
from procurement.application.suppliers import Suppliers
from procurement.entrypoints.grpc_server import ProcurementServicer
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    servicer = ProcurementServicer(Suppliers(database, outbox))
    add = procurement_pb2_grpc.add_ProcurementServiceServicer_to_server
    return Wiring(registrations=[(add, servicer)])


SPEC = ServiceSpec(
    name="procurement",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    publishes=[events.SupplierCreated],
    grpc_service_names=[
        procurement_pb2.DESCRIPTOR.services_by_name["ProcurementService"].full_name
    ],
    wire=wire,
)
