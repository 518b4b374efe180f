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
from orders.domain.credit import Exposure
from orders.domain.pipeline import Pipeline
from pricing.engine import total_of
from pricing.money import LARGEST_AMOUNT, Money, parse_amount, storable
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    PermissionDenied,
    Violations,
)

COST_KINDS = ("goods", "shipping", "service", "other")
# Bounds of the columns a person's input is kept in.
MAX_ADDRESS_ENTRIES = 20
MAX_ADDRESS_KEY = 50
MAX_ADDRESS_VALUE = 200
MAX_CONTRACT_NUMBER = 100
MAX_PAYMENT_TERMS = 200


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
    external_reference: str = ""
    team: str = ""
    # What this unit of work changed, for the journal and the outbox.
    changes: list[Move] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # "approved", "cancelled", "lines_changed", "held", "released"
    announce: list[str] = field(default_factory=list)
    # How a credit hold this unit of work ended was released.
    released: str = ""
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
            if self.credit_hold:
                self.released = self.released or "in credit"
                self.announce.append("released")
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
        """Makes every automatic move open to the order now; stops at approval on credit hold,
        with the reason, when credit control refuses the order. Without an `exposure` (after a
        milestone an event reached) no automatic move enters execution."""
        while (move := pipeline.auto_from(self.status)) is not None:
            if move.target == stages.EXECUTION:
                if exposure is None:
                    return
                refused = exposure.refuses(self.total)
                if refused:
                    self._hold(refused)
                    return
            self._move(move.target, "automatic")

    def _hold(self, reason: str) -> None:
        if reason != self.credit_hold:
            self.credit_hold = reason
            self.note(f"credit hold: {reason}")
            self.announce.append("held")

    def transition(
        self,
        pipeline: Pipeline,
        target: str,
        roles: Sequence[str],
        fields: Mapping[str, str],
        reason: str,
        release_credit_hold: bool,
        exposure: Exposure,
    ) -> None:
        """A person's move; refused whole (nothing changes) when the pipeline, the roles, the
        required fields or the customer's credit do not allow it. Finance releases a credit hold
        by moving the order on with `release_credit_hold`, whoever else the pipeline lets move
        it."""
        _check_fields(fields)
        present = self._present() | {name: bool(value) for name, value in fields.items()}
        refused = exposure.refuses(self.total) if target == stages.EXECUTION else ""
        releasing = bool(refused) and release_credit_hold
        if releasing and not {"finance", "admin"} & set(roles):
            raise PermissionDenied("releasing a credit hold needs the finance role")
        pipeline.check_move(self.status, target, roles, present, releasing)
        if refused and not releasing:
            raise FailedPrecondition(
                f"order {self.id} is on credit hold: {refused}",
                (FieldViolation("release_credit_hold", refused),),
            )
        if releasing:
            self.note(f"credit hold released: {refused}")
            self.released = "released by finance" + (f": {reason.strip()}" if reason else "")
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
            elif not 0 <= quantity <= MAX_QUANTITY:
                problems.add(at, f"between 0 and {MAX_QUANTITY}")
        if quantities and all(quantities.get(x.id, x.quantity) == 0 for x in self.lines):
            problems.add("lines", "an order keeps at least one line; cancel it instead")
        check_address(problems, "shipping_address", shipping_address)
        problems.raise_if_any()
        new = [(Decimal(quantities.get(x.id, x.quantity)), x.unit_price.amount) for x in self.lines]
        check_total(total_of(self.currency, new))
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


def _check_fields(fields: Mapping[str, str]) -> None:
    problems = Violations()
    for name, value in fields.items():
        limit = {"contract_number": MAX_CONTRACT_NUMBER, "payment_terms": MAX_PAYMENT_TERMS}
        if name not in limit:
            problems.add(f"fields.{name}", "only contract_number, payment_terms")
        elif len(value) > limit[name]:
            problems.add(f"fields.{name}", f"at most {limit[name]} characters")
    problems.raise_if_any()


def check_address(problems: Violations, at: str, address: Mapping[str, str] | None) -> None:
    """A shipping address (free keys) small enough to keep."""
    if not address:
        return
    if len(address) > MAX_ADDRESS_ENTRIES:
        problems.add(at, f"at most {MAX_ADDRESS_ENTRIES} entries")
    for key, value in address.items():
        if not 0 < len(key) <= MAX_ADDRESS_KEY:
            problems.add(at, f"keys of 1 to {MAX_ADDRESS_KEY} characters")
        elif len(value) > MAX_ADDRESS_VALUE:
            problems.add(f"{at}.{key}", f"at most {MAX_ADDRESS_VALUE} characters")


def check_total(total: Decimal) -> None:
    """InvalidArgument on `lines` for an order whose total no column can keep."""
    if not storable(total):
        raise InvalidArgument.of("lines", f"the order's total would exceed {LARGEST_AMOUNT:f}")


def stages_open(status: str) -> bool:
    return status in (
        stages.REQUEST,
        stages.APPROVAL,
        stages.EXECUTION,
        stages.PARTIALLY_SHIPPED,
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
