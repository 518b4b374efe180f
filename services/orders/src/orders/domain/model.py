"""A sales order and its journey: placed -> reserved | rejected -> (partially) shipped -> invoiced.

Plain Python. Each transition returns what it changed, so the caller can journal it and announce
it in the same transaction; an event that arrives late or twice changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from oms.types.v1 import pricing_pb2 as pricing
from pricing.money import InvalidMoney, Money, check_currency, parse_amount
from servicekit.errors import InvalidArgument, Violations

MAX_LINES = 500


class Status(StrEnum):
    PLACED = "placed"
    RESERVED = "reserved"
    REJECTED = "rejected"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    INVOICED = "invoiced"


@dataclass(frozen=True)
class Transition:
    """A status change, as journalled and announced."""

    from_status: Status
    to_status: Status
    reason: str = ""


@dataclass(frozen=True)
class CatalogProduct:
    """What the catalog says about a product at the moment of ordering."""

    id: str
    sku: str
    price: Money
    active: bool


@dataclass
class Line:
    id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    shipped: int = 0

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity).rounded()


@dataclass
class SalesOrder:
    id: str
    customer_id: str
    currency: str
    channel: str
    lines: list[Line]
    created_at: datetime
    created_by: str
    status: Status = Status.PLACED
    status_reason: str = ""
    shipments: int = 0
    invoices: int = 0
    version: int = 0
    updated_at: datetime | None = None
    changes: list[Transition] = field(default_factory=list)
    # True once anything was recorded, a status move or not (an early invoice must be saved too).
    changed: bool = False
    # An order made from a quote carries the quote's priced document; its total is the document's.
    document: pricing.PricedDocument | None = None
    quote_id: str = ""
    invoiced_in_full: bool = False

    @property
    def total(self) -> Money:
        if self.document is not None:
            return Money(parse_amount(self.document.breakdown.total), self.currency)
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.total
        return total

    def _move(self, to: Status, reason: str = "") -> None:
        self.changed = True
        self.changes.append(Transition(self.status, to, reason))
        self.status = to
        self.status_reason = reason

    def stock_reserved(self) -> None:
        if self.status is Status.PLACED:
            self._move(Status.RESERVED)

    def stock_rejected(self, reason: str) -> None:
        if self.status is Status.PLACED:
            self._move(Status.REJECTED, reason)

    def shipped(self, quantities: Mapping[str, int]) -> None:
        """Records one shipment's quantities per line id."""
        if self.status is Status.REJECTED:
            raise ValueError(f"order {self.id} was rejected; it cannot ship")
        by_id = {line.id: line for line in self.lines}
        for line_id, quantity in quantities.items():
            line = by_id.get(line_id)
            if line is None or line.shipped + quantity > line.quantity:
                raise ValueError(f"shipment exceeds what order {self.id} ordered on line {line_id}")
        for line_id, quantity in quantities.items():
            by_id[line_id].shipped += quantity
        self.shipments += 1
        everything = all(line.shipped == line.quantity for line in self.lines)
        self._move(Status.SHIPPED if everything else Status.PARTIALLY_SHIPPED)
        self._settle()

    def invoiced(self, covers_order: bool = False) -> None:
        """Records one invoice: billing issues one per shipment, or one for the whole order."""
        self.invoices += 1
        self.invoiced_in_full |= covers_order
        self.changed = True
        self._settle()

    def _settle(self) -> None:
        # Invoices and shipments arrive on different topics: whichever comes last settles.
        if self.status is Status.SHIPPED and (
            self.invoiced_in_full or self.invoices >= self.shipments
        ):
            self._move(Status.INVOICED)


@dataclass(frozen=True)
class OrderRequest:
    customer_id: str
    currency: str
    lines: list[tuple[str, int]]  # (product id, quantity)
    channel: str


def check_request(request: OrderRequest) -> None:
    """Every fault in the request at once, before anything is looked up."""
    problems = Violations()
    if not request.customer_id.strip():
        problems.add("customer_id", "required")
    try:
        check_currency(request.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    if not 1 <= len(request.lines) <= MAX_LINES:
        problems.add("lines", f"between 1 and {MAX_LINES} lines")
    seen: set[str] = set()
    for i, (product_id, quantity) in enumerate(request.lines):
        if not product_id:
            problems.add(f"lines[{i}].product_id", "required")
        elif product_id in seen:
            problems.add(f"lines[{i}].product_id", "this product is already on another line")
        seen.add(product_id)
        if quantity <= 0:
            problems.add(f"lines[{i}].quantity", "must be greater than 0")
    problems.raise_if_any()


def place(
    request: OrderRequest, catalog: Mapping[str, CatalogProduct], now: datetime, actor: str
) -> SalesOrder:
    """A new order priced at the catalog's list prices; refuses unknown or mispriced products."""
    problems = Violations()
    for i, (product_id, _) in enumerate(request.lines):
        product = catalog.get(product_id)
        if product is None:
            problems.add(f"lines[{i}].product_id", "unknown product")
        elif not product.active:
            problems.add(f"lines[{i}].product_id", f"{product.sku} is discontinued")
        elif product.price.currency != request.currency:
            problems.add("currency", f"{product.sku} is priced in {product.price.currency}")
    problems.raise_if_any()
    lines = [
        Line(str(uuid.uuid4()), pid, catalog[pid].sku, quantity, catalog[pid].price)
        for pid, quantity in request.lines
    ]
    if any(line.total.amount > Money.of("999999999999", request.currency).amount for line in lines):
        raise InvalidArgument.of("lines", "a line total is too large")
    return SalesOrder(
        id=str(uuid.uuid4()),
        customer_id=request.customer_id.strip(),
        currency=request.currency,
        channel=request.channel or "direct",
        lines=lines,
        created_at=now,
        created_by=actor,
    )


def picking_lines(document: pricing.PricedDocument) -> list[Line]:
    """What is to be picked for a priced document: each stocked product line, and a kit's parts in
    place of the kit. Service and free-text lines are not picked."""
    lines = []
    for group in document.groups:
        for line in group.lines:
            quantity = int(line.quantity)
            unit_price = Money(parse_amount(line.unit_price), document.currency)
            if line.kit_parts:
                lines += [
                    Line(
                        str(uuid.uuid5(uuid.NAMESPACE_URL, f"{line.line_id}/{part.product_id}")),
                        part.product_id,
                        part.sku,
                        quantity * part.quantity,
                        Money.zero(document.currency),  # the kit's line carries the price
                    )
                    for part in line.kit_parts
                ]
            elif line.product_id and line.kind != "service":
                lines.append(Line(line.line_id, line.product_id, line.sku, quantity, unit_price))
    return lines


def from_quote(
    order_id: str,
    quote_id: str,
    customer_id: str,
    document: pricing.PricedDocument,
    now: datetime,
    actor: str,
) -> SalesOrder:
    """The sales order an accepted quote becomes: the same document, to be picked line by line.

    The caller has verified the document's figures."""
    return SalesOrder(
        id=order_id,
        customer_id=customer_id,
        currency=document.currency,
        channel="quote",
        lines=picking_lines(document),
        created_at=now,
        created_by=actor,
        document=document,
        quote_id=quote_id,
    )
