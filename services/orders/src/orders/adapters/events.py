"""The domain's events as the outbox publishes them (oms.events.v1), each keyed by its aggregate:
a sales order's on its order id, a customer's on its customer id. Events only the order's
journal or costs keep are not published."""

from __future__ import annotations

from collections.abc import Sequence

from google.protobuf.message import Message

from oms.events.v1 import orders_pb2 as pb
from orders.domain.customers import Customer
from orders.domain.events import (
    CostIncurred,
    CustomerChanged,
    CustomerRegistered,
    DomainEvent,
    OrderedLine,
    ReturnAuthorized,
    SalesOrderApproved,
    SalesOrderCancelled,
    SalesOrderHoldChanged,
    SalesOrderLinesChanged,
    SalesOrderNoted,
    SalesOrderPlaced,
    SalesOrderStallCleared,
    SalesOrderStalled,
    SalesOrderStatusChanged,
)
from pricing.wire import document_to_proto, money_to_proto

PUBLISHED: list[type[Message]] = [
    pb.SalesOrderPlaced,
    pb.SalesOrderStatusChanged,
    pb.SalesOrderApproved,
    pb.SalesOrderCancelled,
    pb.SalesOrderLinesChanged,
    pb.SalesOrderHoldChanged,
    pb.ReturnAuthorized,
    pb.CustomerRegistered,
    pb.CustomerChanged,
    pb.SalesOrderStalled,
    pb.SalesOrderStallCleared,
]


def to_message(event: DomainEvent) -> tuple[Message, str] | None:
    """The event's protobuf and its key; None for an event nobody else hears of."""
    match event:
        case SalesOrderPlaced():
            return _placed(event), event.order_id
        case SalesOrderStatusChanged(order_id, from_status, to_status, reason, channel):
            changed = pb.SalesOrderStatusChanged(
                order_id=order_id,
                from_status=from_status,
                to_status=to_status,
                reason=reason,
                channel=channel,
            )
            return changed, order_id
        case SalesOrderApproved(order_id):
            return pb.SalesOrderApproved(order_id=order_id), order_id
        case SalesOrderHoldChanged(order_id, on_hold, reason):
            held = pb.SalesOrderHoldChanged(order_id=order_id, on_hold=on_hold, reason=reason)
            return held, order_id
        case SalesOrderCancelled(order_id, reason):
            return pb.SalesOrderCancelled(order_id=order_id, reason=reason), order_id
        case SalesOrderLinesChanged(order_id, lines, document):
            resized = pb.SalesOrderLinesChanged(order_id=order_id, lines=_lines(lines))
            if document is not None:
                resized.document.CopyFrom(document_to_proto(document))
            return resized, order_id
        case ReturnAuthorized():
            return _return(event), event.order_id
        case CustomerRegistered(customer):
            return pb.CustomerRegistered(customer=account_of(customer)), customer.id
        case CustomerChanged(customer):
            return pb.CustomerChanged(customer=account_of(customer)), customer.id
        case SalesOrderStalled(order_id, quote_id, step, reason):
            stalled = pb.SalesOrderStalled(
                order_id=order_id, quote_id=quote_id, step=step, reason=reason
            )
            return stalled, order_id
        case SalesOrderStallCleared(order_id, quote_id):
            return pb.SalesOrderStallCleared(order_id=order_id, quote_id=quote_id), order_id
        case SalesOrderNoted() | CostIncurred():
            return None


def _lines(lines: Sequence[OrderedLine]) -> list[pb.SalesOrderLine]:
    return [
        pb.SalesOrderLine(
            line_id=line.line_id,
            product_id=line.product_id,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=money_to_proto(line.unit_price),
        )
        for line in lines
    ]


def _placed(event: SalesOrderPlaced) -> pb.SalesOrderPlaced:
    return pb.SalesOrderPlaced(
        order_id=event.order_id,
        customer_id=event.customer_id,
        currency=event.currency,
        channel=event.channel,
        total=money_to_proto(event.total),
        document=None if event.document is None else document_to_proto(event.document),
        quote_id=event.quote_id,
        lines=_lines(event.lines),
    )


def _return(event: ReturnAuthorized) -> pb.ReturnAuthorized:
    return pb.ReturnAuthorized(
        return_id=event.return_id,
        order_id=event.order_id,
        reason=event.reason,
        lines=[
            pb.ReturnLine(line_id=line.line_id, product_id=line.product_id, quantity=line.quantity)
            for line in event.lines
        ],
    )


def account_of(customer: Customer) -> pb.CustomerAccount:
    """The account as other services keep a copy of it."""
    details = customer.details
    account = pb.CustomerAccount(
        customer_id=customer.id,
        name=details.name,
        kind=details.kind,
        customer_group=details.customer_group,
        currency=details.currency,
        payment_terms=details.payment_terms,
        tax_id=details.tax_id,
        email=details.email,
        tax_zone=details.tax_zone,
        tax_exemption=details.tax_exemption,
    )
    if details.credit_limit is not None:
        account.credit_limit.CopyFrom(money_to_proto(details.credit_limit))
    if details.billing_address is not None:
        account.billing_address.CopyFrom(pb.BillingAddress(**details.billing_address.as_dict()))
    return account
