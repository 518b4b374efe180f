"""The events billing consumes: each mapped from its protobuf message to the reaction that applies
it, in the consumer's transaction (with its inbox claim). An event that can never be applied --
a shipment or return that does not match its order, a priced document whose figures are not the
engine's, a purchase order no bill could match -- is a poison event: dead-lettered, not retried.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from billing.adapters.documents import verified_quoted
from billing.application.ports import UnitOfWork
from billing.application.reactions.on_customer_changed import on_customer_changed
from billing.application.reactions.on_customer_registered import on_customer_registered
from billing.application.reactions.on_goods_received import GoodsReceived, on_goods_received
from billing.application.reactions.on_purchase_order_issued import (
    PurchaseOrderIssued,
    on_purchase_order_issued,
)
from billing.application.reactions.on_purchase_order_reduced import (
    PurchaseOrderReduced,
    on_purchase_order_reduced,
)
from billing.application.reactions.on_quote_accepted import QuoteAccepted, on_quote_accepted
from billing.application.reactions.on_return_received import on_return_received
from billing.application.reactions.on_sales_order_cancelled import on_sales_order_cancelled
from billing.application.reactions.on_sales_order_lines_changed import (
    ChangedLine,
    on_sales_order_lines_changed,
)
from billing.application.reactions.on_sales_order_placed import (
    SalesOrderPlaced,
    on_sales_order_placed,
)
from billing.application.reactions.on_shipment_dispatched import on_shipment_dispatched
from billing.domain.bills import CannotCopy, IssuedLine
from billing.domain.customers import Customer
from billing.domain.orders import CannotInvoice, OrderLine, QuotedDocument, Shipment
from billing.domain.returns import CannotCredit, Return
from messaging.consumer import PoisonEvent, Subscription
from messaging.envelope import Envelope
from oms.events.v1 import inventory_pb2, orders_pb2, procurement_pb2, quoting_pb2
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.document import InvalidDocument
from pricing.engine import BreakdownMismatch
from pricing.money import Money
from pricing.wire import money_from_proto
from servicekit.db import Transaction

# A quote accepted to become an invoice (others become orders: not billing's business yet).
TO_INVOICE = "invoice"


def verified(document: PricedDocument, what: str) -> QuotedDocument:
    """`document` once its figures are proven to be the engine's; a poison event otherwise."""
    try:
        return verified_quoted(document)
    except (BreakdownMismatch, InvalidDocument) as error:
        raise PoisonEvent(f"{what} does not price as stated: {error}") from error


def shipment(event: inventory_pb2.ShipmentDispatched) -> Shipment:
    return Shipment(
        event.shipment_id, event.order_id, tuple((x.line_id, x.quantity) for x in event.lines)
    )


def order_lines(lines: Sequence[orders_pb2.SalesOrderLine], currency: str) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine(
            x.line_id,
            x.product_id,
            x.sku,
            x.quantity,
            Money(money_from_proto(x.unit_price).amount, currency),
        )
        for x in lines
    )


def customer(account: orders_pb2.CustomerAccount) -> Customer:
    address = None
    if account.HasField("billing_address"):
        found = account.billing_address
        address = {
            "line1": found.line1,
            "line2": found.line2,
            "city": found.city,
            "postal_code": found.postal_code,
            "country": found.country,
            "state": found.state,
        }
    return Customer(
        account.customer_id, account.name, account.payment_terms, account.tax_id, address
    )


# The unit of work of the transaction the consumer opened for an event (with its inbox claim).
Joining = Callable[[Transaction], UnitOfWork]


class Reactions:
    """The subscriptions' handlers: (session, message, envelope) -> the reaction."""

    def __init__(self, joining: Joining) -> None:
        self.uow = joining

    async def sales_order_placed(
        self, session: Transaction, event: orders_pb2.SalesOrderPlaced, envelope: Envelope
    ) -> None:
        document = None
        if event.HasField("document"):
            document = verified(event.document, f"order {event.order_id}")
        lines = order_lines(event.lines, event.currency)
        placed = SalesOrderPlaced(
            event.order_id,
            event.customer_id,
            event.currency,
            lines,
            document,
            event.channel,
            event.quote_id,
        )
        try:
            await on_sales_order_placed(self.uow(session), placed)
        except CannotInvoice as error:
            raise PoisonEvent(str(error)) from error

    async def sales_order_lines_changed(
        self, session: Transaction, event: orders_pb2.SalesOrderLinesChanged, envelope: Envelope
    ) -> None:
        document = None
        if event.HasField("document"):
            document = verified(event.document, f"order {event.order_id}")
        lines = [
            ChangedLine(
                x.line_id,
                x.product_id,
                x.sku,
                x.quantity,
                money_from_proto(x.unit_price).amount if x.HasField("unit_price") else Decimal(0),
            )
            for x in event.lines
        ]
        await on_sales_order_lines_changed(self.uow(session), event.order_id, lines, document)

    async def shipment_dispatched(
        self, session: Transaction, event: inventory_pb2.ShipmentDispatched, envelope: Envelope
    ) -> None:
        try:
            await on_shipment_dispatched(self.uow(session), shipment(event))
        except CannotInvoice as error:
            raise PoisonEvent(str(error)) from error

    async def quote_accepted(
        self, session: Transaction, event: quoting_pb2.QuoteAccepted, envelope: Envelope
    ) -> None:
        if event.convert_to != TO_INVOICE:
            return
        document = verified(event.document, f"quote {event.quote_id}")
        accepted = QuoteAccepted(event.quote_id, event.customer_id, event.target_id, document)
        await on_quote_accepted(self.uow(session), accepted)

    async def sales_order_cancelled(
        self, session: Transaction, event: orders_pb2.SalesOrderCancelled, envelope: Envelope
    ) -> None:
        await on_sales_order_cancelled(self.uow(session), event.order_id)

    async def return_received(
        self, session: Transaction, event: inventory_pb2.ReturnReceived, envelope: Envelope
    ) -> None:
        lines = tuple((x.line_id, x.quantity) for x in event.lines)
        try:
            await on_return_received(
                self.uow(session), Return(event.return_id, event.order_id, lines)
            )
        except CannotCredit as error:
            raise PoisonEvent(f"return {event.return_id}: {error}") from error

    async def customer_registered(
        self, session: Transaction, event: orders_pb2.CustomerRegistered, envelope: Envelope
    ) -> None:
        await on_customer_registered(self.uow(session), customer(event.customer))

    async def customer_changed(
        self, session: Transaction, event: orders_pb2.CustomerChanged, envelope: Envelope
    ) -> None:
        await on_customer_changed(self.uow(session), customer(event.customer))

    async def purchase_order_issued(
        self,
        session: Transaction,
        event: procurement_pb2.PurchaseOrderIssued,
        envelope: Envelope,
    ) -> None:
        lines = tuple(
            IssuedLine(
                x.line_id,
                x.product_id,
                x.sku,
                x.quantity,
                x.unit_price.amount,
                x.unit_price.currency,
            )
            for x in event.lines
        )
        issued = PurchaseOrderIssued(
            event.purchase_order_id,
            event.number,
            event.supplier_id,
            event.currency,
            event.payment_terms,
            lines,
        )
        try:
            await on_purchase_order_issued(self.uow(session), issued)
        except CannotCopy as error:
            raise PoisonEvent(str(error)) from error

    async def purchase_order_reduced(
        self,
        session: Transaction,
        event: procurement_pb2.PurchaseOrderReduced,
        envelope: Envelope,
    ) -> None:
        cancelled = tuple((x.product_id, x.cancelled) for x in event.lines)
        reduced = PurchaseOrderReduced(event.purchase_order_id, cancelled)
        await on_purchase_order_reduced(self.uow(session), reduced)

    async def goods_received(
        self, session: Transaction, event: inventory_pb2.GoodsReceived, envelope: Envelope
    ) -> None:
        lines = tuple((x.product_id, x.quantity) for x in event.lines)
        received = GoodsReceived(event.receipt_id, event.purchase_order_id, lines)
        await on_goods_received(self.uow(session), received)


def subscriptions(joining: Joining) -> list[Subscription[Any]]:
    """What billing consumes, and which reaction applies it."""
    on = Reactions(joining)
    return [
        Subscription(orders_pb2.SalesOrderPlaced, on.sales_order_placed),
        Subscription(orders_pb2.SalesOrderLinesChanged, on.sales_order_lines_changed),
        Subscription(inventory_pb2.ShipmentDispatched, on.shipment_dispatched),
        Subscription(quoting_pb2.QuoteAccepted, on.quote_accepted),
        Subscription(orders_pb2.SalesOrderCancelled, on.sales_order_cancelled),
        Subscription(inventory_pb2.ReturnReceived, on.return_received),
        Subscription(orders_pb2.CustomerRegistered, on.customer_registered),
        Subscription(orders_pb2.CustomerChanged, on.customer_changed),
        Subscription(procurement_pb2.PurchaseOrderIssued, on.purchase_order_issued),
        Subscription(procurement_pb2.PurchaseOrderReduced, on.purchase_order_reduced),
        Subscription(inventory_pb2.GoodsReceived, on.goods_received),
    ]
