"""orders and billing over mutual TLS with the connector's own certificate: customers opened,
sales orders placed (with the store's priced document), read and cancelled, refunds credited,
what the store collected recorded as payments on the invoices.
Transport trouble is SalesUnavailable (tried again), a refusal SalesRefused (kept for a person)."""

from __future__ import annotations

from collections.abc import Awaitable
from decimal import Decimal
from typing import TypeVar

import grpc

from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.orders.v1 import customers_pb2, customers_pb2_grpc, orders_pb2, orders_pb2_grpc
from oms.types.v1 import types_pb2
from pricing.document import figure_text
from pricing.wire import document_to_proto
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles
from woocommerce.application.sales_ports import SalesRefused, SalesStatus, SalesUnavailable
from woocommerce.domain.sales_orders import CHANNEL, NewCustomer, Placement, RefundCredit
from woocommerce.domain.store_payments import StorePayment

TIMEOUT = 10.0
TRANSIENT = (
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
)
Reply = TypeVar("Reply")


async def _call(what: str, call: Awaitable[Reply]) -> Reply:
    try:
        return await call
    except grpc.aio.AioRpcError as error:
        text = f"{what}: {error.code().name} {error.details()}"
        if error.code() in TRANSIENT:
            raise SalesUnavailable(text) from error
        raise SalesRefused(text) from error


class GrpcSalesChannel:
    def __init__(self, orders_target: str, billing_target: str, tls: TlsFiles) -> None:
        orders = open_channel(orders_target, tls)
        self.orders = orders_pb2_grpc.OrdersServiceStub(orders)
        self.customers = customers_pb2_grpc.CustomersServiceStub(orders)
        self.billing = billing_pb2_grpc.BillingServiceStub(open_channel(billing_target, tls))

    async def open_customer(self, customer: NewCustomer) -> str:
        request = customers_pb2.CreateCustomerRequest(
            customer=customers_pb2.CustomerInput(
                name=customer.name,
                kind=customer.kind,
                email=customer.email,
                currency=customer.currency,
            )
        )
        reply = await _call(
            "CreateCustomer", self.customers.CreateCustomer(request, timeout=TIMEOUT)
        )
        return str(reply.customer.id)

    async def place(self, placement: Placement) -> str:
        request = orders_pb2.PlaceSalesOrderRequest(
            customer_id=placement.customer_id,
            currency=placement.document.currency,
            lines=[
                orders_pb2.PlaceSalesOrderLine(product_id=p, quantity=q) for p, q in placement.lines
            ],
            channel=CHANNEL,
            shipping_address=dict(placement.shipping_address),
            request_id=f"woocommerce:{placement.external_reference}",
            external_reference=placement.external_reference,
            document=document_to_proto(placement.document),
            needs_review=bool(placement.review_note),
            review_note=placement.review_note,
        )
        reply = await _call(
            "PlaceSalesOrder", self.orders.PlaceSalesOrder(request, timeout=TIMEOUT)
        )
        return str(reply.order.id)

    async def status(self, sales_order_id: str) -> SalesStatus:
        request = orders_pb2.GetSalesOrderRequest(order_id=sales_order_id)
        reply = await _call("GetSalesOrder", self.orders.GetSalesOrder(request, timeout=TIMEOUT))
        order = reply.order
        shipped = any(line.shipped for line in order.lines)
        total = Decimal(order.total.amount) if order.total.amount else None
        return SalesStatus(order.status, shipped, total)

    async def cancel(self, sales_order_id: str, reason: str) -> None:
        request = orders_pb2.CancelSalesOrderRequest(order_id=sales_order_id, reason=reason)
        await _call("CancelSalesOrder", self.orders.CancelSalesOrder(request, timeout=TIMEOUT))

    async def credit(self, credit: RefundCredit) -> str:
        def money(amount: object) -> types_pb2.Money:
            return types_pb2.Money(amount=str(amount), currency=credit.currency)

        request = billing_pb2.IssueCreditNoteRequest(
            customer_id=credit.customer_id,
            amount=money(figure_text(credit.amount)),
            memo=credit.memo,
            request_id=credit.request_id,
            order_id=credit.sales_order_id,
            paid_back=True,  # the store gave the money back
            lines=[
                billing_pb2.CreditNoteLine(
                    order_line_id=x.order_line_id,
                    product_id=x.product_id,
                    sku=x.sku,
                    quantity=x.quantity,
                    unit_price=money(figure_text(x.unit_price)),
                    line_total=money(figure_text(x.line_total)),
                    taxes=[
                        billing_pb2.LineTax(
                            code=t.code,
                            rate=figure_text(t.rate),
                            amount=money(figure_text(t.amount)),
                        )
                        for t in x.taxes
                    ],
                )
                for x in credit.lines
            ],
        )
        reply = await _call(
            "IssueCreditNote", self.billing.IssueCreditNote(request, timeout=TIMEOUT)
        )
        return str(reply.credit_note.id)

    async def pay(self, payment: StorePayment) -> str:
        request = billing_pb2.RecordCustomerPaymentRequest(
            invoice_id=payment.invoice_id,
            amount=types_pb2.Money(amount=figure_text(payment.amount), currency=payment.currency),
            reference=payment.reference,
            received_on=payment.received_on,
            request_id=payment.request_id,
        )
        reply = await _call(
            "RecordCustomerPayment", self.billing.RecordCustomerPayment(request, timeout=TIMEOUT)
        )
        return str(reply.payment.id)


class UnconnectedSalesChannel:
    """orders or billing not configured: orders wait (mapped, sync due) until they are."""

    def _missing(self) -> SalesUnavailable:
        return SalesUnavailable(
            "orders and billing are not configured (WOOCOMMERCE_ORDERS_TARGET, "
            "WOOCOMMERCE_BILLING_TARGET)"
        )

    async def open_customer(self, customer: NewCustomer) -> str:
        raise self._missing()

    async def place(self, placement: Placement) -> str:
        raise self._missing()

    async def status(self, sales_order_id: str) -> SalesStatus:
        raise self._missing()

    async def cancel(self, sales_order_id: str, reason: str) -> None:
        raise self._missing()

    async def credit(self, credit: RefundCredit) -> str:
        raise self._missing()

    async def pay(self, payment: StorePayment) -> str:
        raise self._missing()
