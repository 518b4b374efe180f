"""The one place the billing service is put together: the units of work on its database and
outbox, the printer, the bill policy from its settings, and what the host runs -- the gRPC
servicer, the event subscriptions and the overdue loop."""

from __future__ import annotations

from functools import partial

from billing.adapters.printing import PdfPrinter
from billing.adapters.tables import audit_log, messaging_tables, metadata
from billing.adapters.unit_of_work import SqlUnitOfWork
from billing.application.commands.publish_overdue import PublishOverdue, publish_overdue
from billing.application.commands.record_bill import BillPolicy
from billing.application.commands.run_dunning import review_credit_holds
from billing.config import Settings
from billing.domain.payables import DualControl, Tolerance
from billing.entrypoints.access import ACCESS
from billing.entrypoints.grpc_server import BillingServicer
from billing.entrypoints.subscriptions import subscriptions
from messaging.outbox import Outbox
from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.events.v1 import billing_pb2 as events
from pricing.money import Money
from servicehost.host import ServiceSpec, Wiring
from servicehost.packaged import alembic_ini
from servicehost.periodic import every
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    config = settings if isinstance(settings, Settings) else Settings(**settings.model_dump())
    new_uow = partial(SqlUnitOfWork, database, outbox)
    policy = BillPolicy(
        Tolerance(config.bill_price_tolerance_percent, config.bill_quantity_tolerance_percent),
        DualControl(Money(config.bill_dual_control_above, config.bill_dual_control_currency)),
    )
    dunning = config.dunning_policy()
    servicer = BillingServicer(
        new_uow,
        PdfPrinter(config.seller()),
        policy,
        reporting_currency=config.reporting_currency,
        dunning_policy=dunning,
        seller=config.seller(),
    )

    async def publish_due() -> int:
        marked = await publish_overdue(new_uow, PublishOverdue())
        await review_credit_holds(new_uow(), dunning)
        return marked

    return Wiring(
        registrations=[(billing_pb2_grpc.add_BillingServiceServicer_to_server, servicer)],
        access=[ACCESS],
        subscriptions=subscriptions(partial(SqlUnitOfWork.joining, outbox=outbox)),
        loops=[every(config.overdue_interval_seconds, publish_due, "overdue")],
    )


SPEC = ServiceSpec(
    name="billing",
    alembic_ini=alembic_ini("billing"),
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=[
        events.InvoiceIssued,
        events.PaymentReceived,
        events.InvoicePaid,
        events.InvoiceReopened,
        events.CreditNoteIssued,
        events.CustomerBalanceChanged,
        events.InvoiceOverdue,
        events.BillRecorded,
        events.BillReleased,
        events.BillPaid,
        events.ExchangeRateSet,
        events.ReminderSent,
        events.CustomerCreditHoldChanged,
    ],
    grpc_service_names=[billing_pb2.DESCRIPTOR.services_by_name["BillingService"].full_name],
    wire=wire,
)
