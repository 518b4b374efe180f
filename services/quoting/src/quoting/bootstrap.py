"""The one place the quoting service is put together: the adapters built on the resources the
service host made, handed to the use cases through the entrypoints."""

from __future__ import annotations

from messaging.outbox import Outbox
from oms.quoting.v1 import quoting_pb2, quoting_pb2_grpc
from quoting.adapters.catalog_client import GrpcCatalog
from quoting.adapters.clock import SystemClock
from quoting.adapters.events import PUBLISHED
from quoting.adapters.pdf import PdfPrinter
from quoting.adapters.tables import audit_log, messaging_tables, metadata
from quoting.adapters.unit_of_work import SqlUnitOfWork
from quoting.application.commands.expire_quotes import expire_quotes
from quoting.application.ports import Ports, UnitOfWork
from quoting.config import Settings
from quoting.entrypoints.access import ACCESS
from quoting.entrypoints.grpc_server import QuotingServicer
from quoting.entrypoints.subscriptions import subscriptions
from servicehost.host import ServiceSpec, Wiring
from servicehost.packaged import alembic_ini
from servicehost.periodic import every
from servicekit.audit import AuditLog
from servicekit.config import ServiceSettings
from servicekit.db import Database, Transaction


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    assert isinstance(settings, Settings)
    audit = AuditLog(audit_log)

    def unit_of_work() -> UnitOfWork:
        return SqlUnitOfWork(database, outbox, audit)

    def joined(session: Transaction) -> UnitOfWork:
        return SqlUnitOfWork.joining(session, outbox, audit)

    ports = Ports(
        uow=unit_of_work,
        catalog=GrpcCatalog(settings.catalog_target, settings.tls()),
        printer=PdfPrinter(settings.letterhead()),
        clock=SystemClock(),
        approval_above=settings.discount_approval_above,
    )

    async def expire() -> int:
        return await expire_quotes(ports)

    return Wiring(
        registrations=[
            (quoting_pb2_grpc.add_QuotingServiceServicer_to_server, QuotingServicer(ports))
        ],
        access=[ACCESS],
        subscriptions=subscriptions(joined),
        loops=[every(settings.expiry_interval_seconds, expire, "expiry")],
    )


SPEC = ServiceSpec(
    name="quoting",
    alembic_ini=alembic_ini("quoting"),
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=PUBLISHED,
    grpc_service_names=[quoting_pb2.DESCRIPTOR.services_by_name["QuotingService"].full_name],
    wire=wire,
)
