"""A sales order and its order-to-cash journey through its type's pipeline.

Plain Python. The order is the saga's persisted state: every event from inventory and billing is
applied here, and what each step changed is collected (`changes`, `notes`, `announce`) so the
caller journals and publishes it in the same transaction. An event that arrives late or twice
changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from oms.types.v1 import pricing_pb2 as pricing
from orders.domain import pipeline as stages
from orders.domain.pipeline import Pipeline
from pricing.documents import priced
from pricing.engine import total_of
from pricing.money import InvalidMoney, Money, check_currency, parse_amount
from servicekit.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    PermissionDenied,
    Violations,
)

MAX_LINES = 500
ORDER_TYPES = ("standard", "contract")
COST_KINDS = ("goods", "shipping", "service", "other")


class StockStatus:
    PENDING = "pending"
    RESERVED = "reserved"
    BACKORDERED = "backordered"
    REJECTED = "rejected"
    RELEASED = "released"


@dataclass(frozen=True)
class Move:
    """A stage change, as journalled and announced."""

    from_status: str
    to_status: str
    reason: str = ""


@dataclass(frozen=True)
class CatalogProduct:
    """What the catalog says about a product at the moment of ordering."""

    id: str
    sku: str
    price: Money
    active: bool
    cost: Decimal | None = None
    category_id: str = ""
    # For a kit: what one kit holds, as (product id, sku, units).
    components: tuple[tuple[str, str, int], ...] = ()


@dataclass
class Line:
    id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    shipped: int = 0
    needed_by: date | None = None
    unit_cost: Decimal | None = None
    category_id: str = ""
    reserved: int = 0
    backordered: int = 0
    returned: int = 0

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity).rounded()


@dataclass(frozen=True)
class Exposure:
    """What a customer owes and has on order, against the limit of credit it has."""

    limit: Money | None
    open_balance: Money
    open_orders: Money

    def refuses(self, order_total: Money) -> str:
        """Why `order_total` more is too much, with the figures; empty when it is not."""
        if self.limit is None:
            return ""
        exposure = self.open_balance + self.open_orders + order_total
        if exposure.amount <= self.limit.amount:
            return ""
        limit, balance, on_order = (
            m.trimmed() for m in (self.limit, self.open_balance, self.open_orders)
        )
        return (
            f"credit limit {limit} exceeded: exposure would be {exposure.trimmed()} (open invoices"
            f" {balance}, open orders {on_order}, this order {order_total.trimmed()})"
        )


@dataclass(frozen=True)
class ReturnRequest:
    id: str
    lines: dict[str, int]  # order line id -> units
    reason: str


@dataclass
class SalesOrder:
    id: str
    customer_id: str
    currency: str
    channel: str
    lines: list[Line]
    created_at: datetime
    created_by: str
    status: str = stages.REQUEST
    status_reason: str = ""
    order_type: str = "standard"
    salesperson: str = ""
    contract_number: str = ""
    payment_terms: str = ""
    shipping_address: dict[str, str] | None = None
    stock_status: str = StockStatus.PENDING
    credit_hold: str = ""
    estimated_cost: Decimal | None = None
    shipments: int = 0
    invoices: int = 0
    invoices_paid: int = 0
    invoiced_in_full: bool = False
    version: int = 0
    updated_at: datetime | None = None
    document: pricing.PricedDocument | None = None
    quote_id: str = ""
    # What this unit of work changed, for the journal and the outbox.
    changes: list[Move] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    announce: list[str] = field(default_factory=list)  # "approved", "cancelled", "lines_changed"
    changed: bool = False

    @property
    def total(self) -> Money:
        if self.document is not None:
            return Money(parse_amount(self.document.breakdown.total), self.currency)
        lines = [(Decimal(x.quantity), x.unit_price.amount) for x in self.lines]
        return Money(total_of(self.currency, lines), self.currency)

    @property
    def backordered(self) -> int:
        return sum(line.backordered for line in self.lines)

    def _present(self) -> dict[str, bool]:
        return {
            "contract_number": bool(self.contract_number),
            "payment_terms": bool(self.payment_terms),
            "shipping_address": bool(self.shipping_address),
            "salesperson": bool(self.salesperson),
        }

    def _move(self, to: str, reason: str = "") -> None:
        self.changed = True
        self.changes.append(Move(self.status, to, reason))
        self.status = to
        self.status_reason = reason
        if to == stages.EXECUTION:
            self.credit_hold = ""
            self.estimated_cost = self.cost_estimate()
            self.announce.append("approved")
        if to == stages.CANCELLED:
            self.announce.append("cancelled")

    def note(self, text: str) -> None:
        self.changed = True
        self.notes.append(text)

    def cost_estimate(self) -> Decimal | None:
        """Goods at cost, when the catalog knew every line's cost."""
        if any(line.unit_cost is None for line in self.lines):
            return None
        return sum(
            (line.unit_cost * line.quantity for line in self.lines if line.unit_cost), Decimal(0)
        )

    # -- the pipeline --------------------------------------------------------------------------

    def advance(self, pipeline: Pipeline, exposure: Exposure | None) -> None:
        """Makes every automatic move open to the order now; stops at approval, with the
        figures, when the order would take its customer over the credit limit."""
        while (move := pipeline.auto_from(self.status)) is not None:
            if move.target == stages.EXECUTION:
                refused = exposure.refuses(self.total) if exposure else ""
                if refused:
                    if refused != self.credit_hold:
                        self.credit_hold = refused
                        self.note(f"credit hold: {refused}")
                    return
            self._move(move.target, "automatic")

    def transition(
        self,
        pipeline: Pipeline,
        target: str,
        roles: Sequence[str],
        fields: Mapping[str, str],
        reason: str,
        release_credit_hold: bool,
        exposure: Exposure | None,
    ) -> None:
        """A person's move; refused whole (nothing changes) when the pipeline, the roles, the
        required fields or the customer's credit do not allow it."""
        unknown = [name for name in fields if name not in ("contract_number", "payment_terms")]
        if unknown:
            raise InvalidArgument.of(f"fields.{unknown[0]}", "only contract_number, payment_terms")
        present = self._present() | {name: bool(value) for name, value in fields.items()}
        pipeline.check_move(self.status, target, roles, present)
        if target == stages.EXECUTION:
            refused = exposure.refuses(self.total) if exposure else ""
            if refused and not release_credit_hold:
                raise FailedPrecondition(
                    f"order {self.id} is on credit hold: {refused}",
                    (FieldViolation("release_credit_hold", refused),),
                )
            if refused and "finance" not in roles and "admin" not in roles:
                raise PermissionDenied("releasing a credit hold needs the finance role")
            if refused:
                self.note(f"credit hold released: {refused}")
        self.contract_number = fields.get("contract_number", self.contract_number)
        self.payment_terms = fields.get("payment_terms", self.payment_terms)
        self._move(target, reason)
        self.advance(pipeline, exposure)

    def _system_move(self, pipeline: Pipeline, target: str, reason: str = "") -> None:
        """A milestone an event reached. From a stage the pipeline has no path for (goods shipped
        before approval, say) the move is still made -- the goods did leave -- and noted."""
        if self.status == target:
            return
        if pipeline.transition(self.status, target) is None:
            self.note(f"{target} while {self.status}: recorded as it happened")
        self._move(target, reason)
        self.advance(pipeline, None)

    # -- stock ---------------------------------------------------------------------------------

    def _line(self, line_id: str) -> Line:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise ValueError(f"order {self.id} has no line {line_id}")

    def stock_reserved(self, reserved: Mapping[str, int], backordered: Mapping[str, int]) -> None:
        """Inventory's answer to the order: what it holds per line and what waits."""
        for line in self.lines:
            line.reserved = reserved.get(line.id, 0)
            line.backordered = backordered.get(line.id, 0)
        self._stock_status(StockStatus.BACKORDERED if self.backordered else StockStatus.RESERVED)

    def backorder_allocated(self, allocated: Mapping[str, int], complete: bool) -> None:
        for line_id, quantity in allocated.items():
            line = self._line(line_id)
            moved = min(quantity, line.backordered)
            line.reserved += quantity
            line.backordered -= moved
        if complete:
            for line in self.lines:
                line.backordered = 0
        self._stock_status(StockStatus.BACKORDERED if self.backordered else StockStatus.RESERVED)

    def reservation_released(self, reason: str) -> None:
        for line in self.lines:
            line.reserved = line.backordered = 0
        self._stock_status(StockStatus.RELEASED, reason)

    def stock_rejected(self, pipeline: Pipeline, reason: str) -> None:
        self._stock_status(StockStatus.REJECTED, reason)
        if pipeline.stage(self.status).open and self.shipments == 0:
            self._system_move(pipeline, stages.CANCELLED, reason)

    def _stock_status(self, status: str, why: str = "") -> None:
        if status != self.stock_status:
            self.note(f"stock {status}" + (f": {why}" if why else ""))
            self.stock_status = status
        self.changed = True

    # -- fulfilment, billing -------------------------------------------------------------------

    def shipped(
        self, pipeline: Pipeline, quantities: Mapping[str, int]
    ) -> list[tuple[str, Decimal]]:
        """Records one shipment's quantities per line id; returns the goods cost it carried."""
        if self.status == stages.CANCELLED:
            raise ValueError(f"order {self.id} was cancelled; it cannot ship")
        for line_id, quantity in quantities.items():
            line = self._line(line_id)
            if line.shipped + quantity > line.quantity:
                raise ValueError(f"shipment exceeds what order {self.id} ordered on line {line_id}")
        costs = []
        for line_id, quantity in quantities.items():
            line = self._line(line_id)
            line.shipped += quantity
            line.reserved = max(0, line.reserved - quantity)
            if line.unit_cost is not None:
                costs.append((f"{quantity} x {line.sku} at cost", line.unit_cost * quantity))
        self.shipments += 1
        everything = all(line.shipped == line.quantity for line in self.lines)
        self._system_move(pipeline, stages.SHIPPED if everything else stages.PARTIALLY_SHIPPED)
        self._settle(pipeline)
        return costs

    def invoiced(self, pipeline: Pipeline, covers_order: bool = False) -> None:
        """Records one invoice: billing issues one per shipment, or one for the whole order."""
        self.invoices += 1
        self.invoiced_in_full |= covers_order
        self.changed = True
        self._settle(pipeline)

    def invoice_paid(self, pipeline: Pipeline) -> None:
        self.invoices_paid += 1
        self.changed = True
        self._settle(pipeline)

    def _settle(self, pipeline: Pipeline) -> None:
        # Invoices, payments and shipments travel on different topics: whichever comes last
        # settles.
        if self.status == stages.SHIPPED and (
            self.invoiced_in_full or self.invoices >= self.shipments
        ):
            self._system_move(pipeline, stages.INVOICED)
        if self.status == stages.INVOICED and self.invoices_paid >= self.invoices:
            self._system_move(pipeline, stages.PAID)

    # -- exceptions ----------------------------------------------------------------------------

    def cancel(self, pipeline: Pipeline, roles: Sequence[str], reason: str) -> None:
        if not reason.strip():
            raise InvalidArgument.of("reason", "required")
        pipeline.check_move(self.status, stages.CANCELLED, roles, self._present())
        self._move(stages.CANCELLED, reason.strip())

    def change(
        self, quantities: Mapping[str, int], shipping_address: dict[str, str] | None
    ) -> None:
        """New quantities (0 drops a line) or a new address, before what they touch has shipped."""
        if not stages_open(self.status) or self.status == stages.SHIPPED:
            raise FailedPrecondition(f"order {self.id} is {self.status}; it can no longer change")
        if quantities and self.document is not None:
            raise FailedPrecondition(
                f"order {self.id} was made from quote {self.quote_id}: revise the quote instead"
            )
        problems = Violations()
        for line_id, quantity in quantities.items():
            at = f"lines[{line_id}].quantity"
            line = next((x for x in self.lines if x.id == line_id), None)
            if line is None:
                problems.add(f"lines[{line_id}]", "no such line on the order")
            elif quantity < line.shipped or (quantity == 0 and line.shipped):
                problems.add(at, f"{line.shipped} already shipped")
            elif quantity < 0:
                problems.add(at, "must not be negative")
        if quantities and all(quantities.get(x.id, x.quantity) == 0 for x in self.lines):
            problems.add("lines", "an order keeps at least one line; cancel it instead")
        problems.raise_if_any()
        for line_id, quantity in quantities.items():
            line = self._line(line_id)
            if quantity != line.quantity:
                self.note(f"line {line.sku}: quantity {line.quantity} -> {quantity}")
                line.quantity = quantity
        self.lines = [line for line in self.lines if line.quantity > 0]
        if quantities:
            self.announce.append("lines_changed")
        if shipping_address is not None and shipping_address != self.shipping_address:
            self.shipping_address = shipping_address
            self.note("shipping address changed")

    def authorize_return(
        self, quantities: Mapping[str, int], reason: str, returned_before: Mapping[str, int]
    ) -> ReturnRequest:
        """A return authorisation for shipped goods not yet returned or authorised."""
        problems = Violations()
        if not quantities:
            problems.add("lines", "at least one line")
        if not reason.strip():
            problems.add("reason", "required")
        for line_id, quantity in quantities.items():
            line = next((x for x in self.lines if x.id == line_id), None)
            room = 0 if line is None else line.shipped - returned_before.get(line_id, 0)
            if line is None:
                problems.add(f"lines[{line_id}]", "no such line on the order")
            elif not 0 < quantity <= room:
                problems.add(
                    f"lines[{line_id}].quantity", f"between 1 and {room} (shipped, not returned)"
                )
        problems.raise_if_any()
        authorised = ReturnRequest(str(uuid.uuid4()), dict(quantities), reason.strip())
        self.note(f"return {authorised.id[:8]} authorised: {authorised.reason}")
        return authorised

    def return_received(self, return_id: str, quantities: Mapping[str, int]) -> None:
        for line_id, quantity in quantities.items():
            self._line(line_id).returned += quantity
        self.note(f"return {return_id[:8]} received: {sum(quantities.values())} units back")


def stages_open(status: str) -> bool:
    return status in (
        stages.REQUEST,
        stages.APPROVAL,
        stages.EXECUTION,
        stages.PARTIALLY_SHIPPED,
    )


@dataclass(frozen=True)
class OrderRequest:
    customer_id: str
    currency: str
    lines: list[tuple[str, int, str]]  # (product id, quantity, needed by: ISO date or "")
    channel: str
    order_type: str = "standard"
    salesperson: str = ""
    shipping_address: dict[str, str] | None = None


def check_request(request: OrderRequest) -> None:
    """Every fault in the request at once, before anything is looked up."""
    problems = Violations()
    if not request.customer_id.strip():
        problems.add("customer_id", "required")
    try:
        check_currency(request.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    if request.order_type not in ORDER_TYPES:
        problems.add("order_type", f"one of {', '.join(ORDER_TYPES)}")
    if not 1 <= len(request.lines) <= MAX_LINES:
        problems.add("lines", f"between 1 and {MAX_LINES} lines")
    seen: set[str] = set()
    for i, (product_id, quantity, needed_by) in enumerate(request.lines):
        if not product_id:
            problems.add(f"lines[{i}].product_id", "required")
        elif product_id in seen:
            problems.add(f"lines[{i}].product_id", "this product is already on another line")
        seen.add(product_id)
        if quantity <= 0:
            problems.add(f"lines[{i}].quantity", "must be greater than 0")
        if needed_by:
            try:
                date.fromisoformat(needed_by)
            except ValueError:
                problems.add(f"lines[{i}].needed_by", "a date as YYYY-MM-DD")
    problems.raise_if_any()


def place(
    request: OrderRequest, catalog: Mapping[str, CatalogProduct], now: datetime, actor: str
) -> SalesOrder:
    """A new order (a request, at first) priced at the catalog's list prices; refuses unknown
    or mispriced products."""
    problems = Violations()
    for i, (product_id, _, _) in enumerate(request.lines):
        product = catalog.get(product_id)
        if product is None:
            problems.add(f"lines[{i}].product_id", "unknown product")
        elif not product.active:
            problems.add(f"lines[{i}].product_id", f"{product.sku} is discontinued")
        elif product.price.currency != request.currency:
            problems.add("currency", f"{product.sku} is priced in {product.price.currency}")
    problems.raise_if_any()
    lines = [
        Line(
            str(uuid.uuid4()),
            pid,
            catalog[pid].sku,
            quantity,
            catalog[pid].price,
            needed_by=date.fromisoformat(needed_by) if needed_by else None,
            unit_cost=catalog[pid].cost,
            category_id=catalog[pid].category_id,
        )
        for pid, quantity, needed_by in request.lines
    ]
    if any(line.total.amount > Money.of("999999999999", request.currency).amount for line in lines):
        raise InvalidArgument.of("lines", "a line total is too large")
    document = _kit_document(request, catalog, lines)
    if document is not None:
        lines = picking_lines(document)
    return SalesOrder(
        id=str(uuid.uuid4()),
        customer_id=request.customer_id.strip(),
        currency=request.currency,
        channel=request.channel or "direct",
        lines=lines,
        created_at=now,
        created_by=actor,
        order_type=request.order_type,
        salesperson=request.salesperson.strip() or actor,
        shipping_address=request.shipping_address,
        document=document,
    )


def _kit_document(
    request: OrderRequest, catalog: Mapping[str, CatalogProduct], lines: Sequence[Line]
) -> pricing.PricedDocument | None:
    """An order with a kit is a priced document: the kit is sold as one line at its own price
    and picked by its components (as an order made from a quote is); None without kits."""
    if not any(catalog[line.product_id].components for line in lines):
        return None
    return priced(
        pricing.PricedDocument(
            currency=request.currency,
            groups=[
                pricing.DocumentGroup(
                    name="Items",
                    lines=[
                        pricing.DocumentLine(
                            line_id=line.id,
                            product_id=line.product_id,
                            sku=line.sku,
                            description=line.sku,
                            quantity=str(line.quantity),
                            unit_price=str(line.unit_price.amount),
                            price_rule="list price",
                            kind="kit" if catalog[line.product_id].components else "stocked",
                            kit_parts=[
                                pricing.KitPart(product_id=p, sku=s, quantity=q)
                                for p, s, q in catalog[line.product_id].components
                            ],
                        )
                        for line in lines
                    ],
                )
            ],
        )
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
    salesperson: str,
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
        salesperson=salesperson or actor,
        document=document,
        quote_id=quote_id,
    )


def forecast(
    orders: Sequence[tuple[Money, str, date]], pipelines: Mapping[str, Pipeline]
) -> dict[tuple[str, str], Decimal]:
    """Expected revenue per (month "YYYY-MM", currency): each open order's total weighted by its
    stage's win probability, in the month it is needed (or was placed). `orders` are
    (total, "order_type:stage", month date)."""
    expected: dict[tuple[str, str], Decimal] = {}
    for total, where, month in orders:
        order_type, stage = where.split(":", 1)
        pipeline = pipelines.get(order_type, stages.STANDARD)
        probability = pipeline.stage(stage).probability if stage in _names(pipeline) else Decimal(0)
        key = (f"{month:%Y-%m}", total.currency)
        expected[key] = expected.get(key, Decimal(0)) + total.amount * probability
    return expected


def _names(pipeline: Pipeline) -> set[str]:
    return {s.name for s in pipeline.stages}


def as_dict(address: Any) -> dict[str, str] | None:
    return None if address is None else {str(k): str(v) for k, v in dict(address).items()}
