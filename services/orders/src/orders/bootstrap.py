"""The one place the orders service's resources are put together."""

from pathlib import Path

from messaging.consumer import Subscription
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2, inventory_pb2, quoting_pb2
from oms.events.v1 import orders_pb2 as events
from oms.orders.v1 import customers_pb2, customers_pb2_grpc, orders_pb2, orders_pb2_grpc
from orders.adapters.catalog_client import CatalogClient
from orders.adapters.tables import audit_log, messaging_tables, metadata, processed_requests
from orders.application.credit import on_exchange_rate_set
from orders.application.customers import Customers
from orders.application.handlers import Orders
from orders.application.recording import OrderRecorder, Pipelines
from orders.application.saga import OrderSaga
from orders.config import Settings
from orders.entrypoints.access import CUSTOMERS_ACCESS, ORDERS_ACCESS
from orders.entrypoints.customers_grpc import CustomersServicer
from orders.entrypoints.grpc_server import OrdersServicer
from servicehost.host import ServiceSpec, Wiring
from servicekit.audit import AuditLog
from servicekit.config import ServiceSettings
from servicekit.db import Database
from servicekit.idempotency import ProcessedRequests


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    assert isinstance(settings, Settings)
    audit = AuditLog(audit_log)
    recorder, pipelines = OrderRecorder(outbox, audit), Pipelines()
    catalog = CatalogClient(settings.catalog_target, settings.tls())
    orders = Orders(database, recorder, catalog, pipelines, ProcessedRequests(processed_requests))
    saga = OrderSaga(recorder, pipelines)
    customers = Customers(database, outbox, audit)
    return Wiring(
        registrations=[
            (orders_pb2_grpc.add_OrdersServiceServicer_to_server, OrdersServicer(orders)),
            (
                customers_pb2_grpc.add_CustomersServiceServicer_to_server,
                CustomersServicer(customers),
            ),
        ],
        access=[ORDERS_ACCESS, CUSTOMERS_ACCESS],
        subscriptions=[
            Subscription(inventory_pb2.StockReserved, saga.on_stock_reserved),
            Subscription(inventory_pb2.StockRejected, saga.on_stock_rejected),
            Subscription(inventory_pb2.StockPartiallyReserved, saga.on_stock_partially_reserved),
            Subscription(inventory_pb2.BackorderAllocated, saga.on_backorder_allocated),
            Subscription(inventory_pb2.ReservationReleased, saga.on_reservation_released),
            Subscription(inventory_pb2.ShipmentDispatched, saga.on_shipment_dispatched),
            Subscription(inventory_pb2.ShipmentStatusChanged, saga.on_shipment_status_changed),
            Subscription(inventory_pb2.ReturnReceived, saga.on_return_received),
            Subscription(billing_pb2.InvoiceIssued, saga.on_invoice_issued),
            Subscription(billing_pb2.InvoicePaid, saga.on_invoice_paid),
            Subscription(billing_pb2.CreditNoteIssued, saga.on_credit_note_issued),
            Subscription(quoting_pb2.QuoteAccepted, saga.on_quote_accepted),
            Subscription(billing_pb2.CustomerBalanceChanged, customers.on_customer_balance_changed),
            Subscription(billing_pb2.ExchangeRateSet, on_exchange_rate_set),
        ],
    )


SPEC = ServiceSpec(
    name="orders",
    alembic_ini=Path(__file__).resolve().parents[2] / "alembic.ini",
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=[
        events.SalesOrderPlaced,
        events.SalesOrderStatusChanged,
        events.SalesOrderApproved,
        events.SalesOrderCancelled,
        events.SalesOrderLinesChanged,
        events.SalesOrderHoldChanged,
        events.ReturnAuthorized,
        events.CustomerRegistered,
        events.CustomerChanged,
    ],
    grpc_service_names=[
        orders_pb2.DESCRIPTOR.services_by_name["OrdersService"].full_name,
        customers_pb2.DESCRIPTOR.services_by_name["CustomersService"].full_name,
    ],
    wire=wire,
)
