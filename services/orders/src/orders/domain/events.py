"""What happened to a sales order or a customer, as the transitions that cause it return it.

Plain Python. Most are published (adapters/events.py maps each to its protobuf on the outbox);
`SalesOrderNoted` only goes into the order's journal, and `CostIncurred` into its costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from orders.domain.customer_input import Details
from pricing.document import PricedDocument
from pricing.money import Money

if TYPE_CHECKING:  # the customer module returns these events
    from orders.domain.customers import Customer


@dataclass(frozen=True)
class OrderedLine:
    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money


@dataclass(frozen=True)
class SalesOrderPlaced:
    order_id: str
    customer_id: str
    currency: str
    channel: str
    total: Money
    document: PricedDocument | None
    quote_id: str
    lines: tuple[OrderedLine, ...]
    # The stage it starts in, before any automatic move.
    status: str
    salesperson: str
    external_reference: str


@dataclass(frozen=True)
class SalesOrderStatusChanged:
    order_id: str
    from_status: str
    to_status: str
    reason: str
    # the order's channel, so a consumer that cares for one skips the others unread
    channel: str = ""


@dataclass(frozen=True)
class SalesOrderApproved:
    """The order entered execution: inventory may ship it."""

    order_id: str


@dataclass(frozen=True)
class SalesOrderHoldChanged:
    order_id: str
    on_hold: bool
    # The credit figures when held; how it was released when not.
    reason: str


@dataclass(frozen=True)
class SalesOrderCancelled:
    order_id: str
    reason: str


@dataclass(frozen=True)
class SalesOrderLinesChanged:
    order_id: str
    lines: tuple[OrderedLine, ...]
    # The order's document repriced for the new quantities; None for an order without one.
    document: PricedDocument | None = None


@dataclass(frozen=True)
class SalesOrderNoted:
    """A change that is not a move (stock, a quantity, a shipment's status), for the journal."""

    order_id: str
    note: str


@dataclass(frozen=True)
class CostIncurred:
    """An actual cost of the order: goods at cost as a shipment carries them, or a person's."""

    order_id: str
    kind: str
    amount: Decimal
    description: str
    # What caused it (a shipment), so a redelivered cause records nothing twice; None: a person.
    source: str | None = None


@dataclass(frozen=True)
class ReturnedLine:
    line_id: str
    product_id: str
    quantity: int


@dataclass(frozen=True)
class ReturnAuthorized:
    return_id: str
    order_id: str
    reason: str
    lines: tuple[ReturnedLine, ...]


@dataclass(frozen=True)
class CustomerRegistered:
    customer: Customer


@dataclass(frozen=True)
class CustomerChanged:
    customer: Customer
    before: Details


SalesOrderEvent = (
    SalesOrderPlaced
    | SalesOrderStatusChanged
    | SalesOrderApproved
    | SalesOrderHoldChanged
    | SalesOrderCancelled
    | SalesOrderLinesChanged
    | SalesOrderNoted
    | CostIncurred
    | ReturnAuthorized
)
CustomerEvent = CustomerRegistered | CustomerChanged


@dataclass(frozen=True)
class SalesOrderStalled:
    """A saga step of the order stalled (for an accepted quote's order: it was never made)."""

    order_id: str
    quote_id: str
    step: str
    reason: str


@dataclass(frozen=True)
class SalesOrderStallCleared:
    """The order's stalled steps went through on a person's retry."""

    order_id: str
    quote_id: str


SagaEvent = SalesOrderStalled | SalesOrderStallCleared
DomainEvent = SalesOrderEvent | CustomerEvent | SagaEvent
