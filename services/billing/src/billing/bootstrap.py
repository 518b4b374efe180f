"""The one place the billing service's resources are put together."""

from pathlib import Path

from billing.adapters.tables import audit_log, messaging_tables, metadata
from billing.application.accounts import Customers
from billing.application.bills import Bills
from billing.application.credit_notes import CreditNotes
from billing.application.credits import Credits
from billing.application.customer_credit import CustomerCredit
from billing.application.exchange_rates import ExchangeRates
from billing.application.invoicing import Invoicing
from billing.application.overdue import Overdue
from billing.application.payments import Payments
from billing.application.payments_sent import PaymentsSent
from billing.application.purchase_copies import PurchaseCopies
from billing.application.reports import Reports
from billing.config import Settings
from billing.domain.payables import DualControl, Tolerance
from billing.entrypoints.access import ACCESS
from billing.entrypoints.grpc_server import BillingServicer, Receivables
from messaging.consumer import Subscription
from messaging.outbox import Outbox
from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2, procurement_pb2, quoting_pb2
from pricing.money import Money
from servicehost.host import ServiceSpec, Wiring
from servicekit.config import ServiceSettings
from servicekit.db import Database


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    config = settings if isinstance(settings, Settings) else Settings(**settings.model_dump())
    credits = Credits(database, outbox)
    invoicing = Invoicing(database, outbox, credits)
    customers = Customers(database)
    copies = PurchaseCopies()
    bills = Bills(
        database,
        outbox,
        Tolerance(config.bill_price_tolerance_percent, config.bill_quantity_tolerance_percent),
        DualControl(Money(config.bill_dual_control_above, config.bill_dual_control_currency)),
    )
    overdue = Overdue(database, outbox)
    receivables = Receivables(
        invoicing,
        Payments(database, outbox),
        CustomerCredit(database, outbox),
        CreditNotes(database, outbox),
        customers,
    )
    servicer = BillingServicer(
        receivables,
        bills,
        PaymentsSent(database, outbox),
        ExchangeRates(database, outbox),
        Reports(database),
    )

    async def overdue_loop() -> None:
        await overdue.run_forever(config.overdue_interval_seconds)

    return Wiring(
        registrations=[(billing_pb2_grpc.add_BillingServiceServicer_to_server, servicer)],
        access=[ACCESS],
        subscriptions=[
            Subscription(orders_pb2.SalesOrderPlaced, invoicing.on_sales_order_placed),
            Subscription(inventory_pb2.ShipmentDispatched, invoicing.on_shipment_dispatched),
            Subscription(quoting_pb2.QuoteAccepted, invoicing.on_quote_accepted),
            Subscription(orders_pb2.SalesOrderCancelled, credits.on_sales_order_cancelled),
            Subscription(inventory_pb2.ReturnReceived, credits.on_return_received),
            Subscription(orders_pb2.CustomerRegistered, customers.on_customer_registered),
            Subscription(orders_pb2.CustomerChanged, customers.on_customer_changed),
            Subscription(procurement_pb2.PurchaseOrderIssued, copies.on_purchase_order_issued),
            Subscription(inventory_pb2.GoodsReceived, copies.on_goods_received),
        ],
        loops=[overdue_loop],
    )


SPEC = ServiceSpec(
    name="billing",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=[
        events.InvoiceIssued,
        events.PaymentReceived,
        events.InvoicePaid,
        events.CreditNoteIssued,
        events.CustomerBalanceChanged,
        events.InvoiceOverdue,
        events.BillRecorded,
        events.BillReleased,
        events.BillPaid,
        events.ExchangeRateSet,
    ],
    grpc_service_names=[billing_pb2.DESCRIPTOR.services_by_name["BillingService"].full_name],
    wire=wire,
)
