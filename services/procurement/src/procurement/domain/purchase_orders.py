"""Purchase orders: what the company orders from a supplier, priced by the shared engine, and
their lifecycle from draft to closed as goods and the supplier's bill arrive. Plain Python.

    draft -> sent -> partially_received -> received -> billed -> closed
    draft, sent -> cancelled
    partially_received -> (cancel: the rest is cancelled) received -> billed -> closed

Goods and bills reach the order as events from two topics, so they may come in either order: a
bill recorded before the goods it bills is kept and moves the order on once the goods are in.
It closes once settled: nothing left to arrive, all billed and paid (domain.settlement).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from pricing.document import DocumentGroup, PricedDocument, figure_text, price_document
from procurement.domain.contracts import AgreedPrice
from procurement.domain.events import (
    PurchaseOrderIssued,
    PurchaseOrderReduced,
    PurchaseOrderStatusChanged,
)
from procurement.domain.order_content import REPLENISHMENT, OrderContent, replenishment_line
from procurement.domain.settlement import (
    BillRef,
    LineState,
    beyond_order,
    billed_units,
    cancelled_units,
    check_reason,
    check_reduction,
    settled,
)
from servicekit.errors import FailedPrecondition, FieldViolation

# What a move of the order announces.
Moves = list[PurchaseOrderStatusChanged]
# What a cancellation or reduction announces.
Cuts = list[PurchaseOrderStatusChanged | PurchaseOrderReduced]


class Status(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    BILLED = "billed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Source(StrEnum):
    MANUAL = "manual"
    RFQ = "rfq"
    REORDER = "reorder"


class BillStatus(StrEnum):
    MATCHED = "matched"
    HELD = "held"
    PAID = "paid"


def purchase_order_number(year: int, sequence: int) -> str:
    return f"PO-{year}-{sequence:06d}"


@dataclass(frozen=True)
class StatusChange:
    from_status: str
    to_status: str
    reason: str
    at: datetime
    by: str


@dataclass(frozen=True)
class ReceiptLine:
    """Units of one product that one receipt brought in against the order."""

    receipt_id: str
    product_id: str
    quantity: int
    note: str
    received_at: datetime


@dataclass(frozen=True)
class OrderLine:
    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: str
    price_rule: str


@dataclass
class PurchaseOrder:
    id: str
    number: str
    supplier_id: str
    warehouse_id: str
    currency: str
    status: Status
    document: PricedDocument
    expected_on: date
    payment_terms: str
    notes: str
    source: Source
    created_at: datetime
    created_by: str
    updated_at: datetime
    rfq_id: str = ""
    bill_id: str = ""
    bill_status: str = ""
    receipts: list[ReceiptLine] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)
    # Every bill billing reported for the order (bill_id/bill_status: the latest).
    bills: list[BillRef] = field(default_factory=list)
    # product id -> units cancelled (never received nor billed)
    cancelled: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> str:
        return figure_text(self.document.total.amount)

    @property
    def lines(self) -> list[OrderLine]:
        return [
            OrderLine(
                line.line_id,
                line.product_id,
                line.sku,
                line.units,
                line.unit_price,
                line.price_rule,
            )
            for line in self.document.lines
        ]

    def received(self, product_id: str) -> int:
        return sum(r.quantity for r in self.receipts if r.product_id == product_id)

    def billed(self, product_id: str) -> int:
        return billed_units(self.bills, product_id)

    def line_states(self) -> dict[str, LineState]:
        return {
            line.product_id: LineState(
                line.quantity,
                self.cancelled.get(line.product_id, 0),
                self.received(line.product_id),
                self.billed(line.product_id),
            )
            for line in self.lines
        }

    @property
    def fully_received(self) -> bool:
        """Nothing left to arrive: every line in full or its rest cancelled."""
        return all(x.due == 0 for x in self.line_states().values())

    @property
    def any_received(self) -> bool:
        return any(self.received(line.product_id) > 0 for line in self.lines)

    def require_draft(self, doing: str) -> None:
        self._require(Status.DRAFT, doing=doing)

    def _require(self, *allowed: Status, doing: str) -> None:
        if self.status not in allowed:
            names = " or ".join(s.value for s in allowed)
            raise FailedPrecondition(
                f"purchase order {self.number} is {self.status.value}; "
                f"only a {names} order can be {doing}",
                (FieldViolation("status", f"is {self.status.value}"),),
            )

    def _move(self, to: Status, reason: str, now: datetime, actor: str) -> Moves:
        change = StatusChange(self.status.value, to.value, reason, now, actor)
        self.status = to
        self.history.append(change)
        self.updated_at = now
        return [PurchaseOrderStatusChanged(self.id, change.from_status, change.to_status, reason)]

    # Commands

    def revise(self, content: OrderContent, document: PricedDocument) -> None:
        """Replaces a draft's content with `content` as priced in `document`."""
        self._require(Status.DRAFT, doing="changed")
        self.supplier_id = content.supplier_id
        self.warehouse_id = content.warehouse_id
        self.currency = content.currency
        self.expected_on = date.fromisoformat(content.expected_on)
        self.payment_terms = content.payment_terms
        self.notes = content.notes
        self.document = document

    def send(
        self, today: date, now: datetime, actor: str
    ) -> list[PurchaseOrderIssued | PurchaseOrderStatusChanged]:
        """To the supplier: the order is issued (inventory and billing expect it) and sent."""
        self._require(Status.DRAFT, doing="sent")
        if self.expected_on < today:
            raise FailedPrecondition(
                f"purchase order {self.number} expects its goods on "
                f"{self.expected_on.isoformat()}, which has passed",
                (FieldViolation("expected_on", "must be today or later"),),
            )
        issued = PurchaseOrderIssued(
            self.id,
            self.number,
            self.supplier_id,
            self.warehouse_id,
            self.currency,
            self.document,
            self.expected_on,
            self.payment_terms,
        )
        return [issued, *self._move(Status.SENT, "sent to the supplier", now, actor)]

    def cancel(self, reason: str, now: datetime, actor: str) -> Cuts:
        """A draft is cancelled. A sent or partially received one cancels what has not arrived
        (PurchaseOrderReduced); with part received it goes on as received, billed, paid."""
        check_reason(reason)
        self._require(Status.DRAFT, Status.SENT, Status.PARTIALLY_RECEIVED, doing="cancelled")
        why = reason.strip() or "cancelled"
        if self.status == Status.DRAFT:
            return list(self._move(Status.CANCELLED, why, now, actor))
        for product_id, line in self.line_states().items():
            self.cancelled[product_id] = line.cancelled + line.due
        events: Cuts = [self._reduced(why, not self.any_received)]
        if not self.any_received:
            return [*events, *self._move(Status.CANCELLED, why, now, actor)]
        return [*events, *self._advance(f"rest cancelled: {why}", now, actor)]

    def reduce(self, product_id: str, units: int, reason: str, now: datetime, by: str) -> Cuts:
        """Lowers a sent or partially received order's line to `units` (fewer than it orders
        now, at least what arrived); the rest of the line is cancelled."""
        check_reason(reason)
        self._require(Status.SENT, Status.PARTIALLY_RECEIVED, doing="reduced")
        line = check_reduction(self.line_states(), product_id, units)
        self.cancelled[product_id] = line.ordered - units
        why = reason.strip() or f"line reduced to {units}"
        left = (x.ordered - x.cancelled for x in self.line_states().values())
        nothing_left = not self.any_received and not any(left)
        events: Cuts = [self._reduced(why, nothing_left)]
        if nothing_left:
            return [*events, *self._move(Status.CANCELLED, why, now, by)]
        return [*events, *self._advance(why, now, by)]

    def _reduced(self, reason: str, order_cancelled: bool) -> PurchaseOrderReduced:
        lines = tuple(cancelled_units(self.line_states()))
        return PurchaseOrderReduced(self.id, self.warehouse_id, lines, reason, order_cancelled)

    def replenish(self, product_id: str, sku: str, quantity: int, price: AgreedPrice) -> bool:
        """Orders `quantity` units of the product on this draft: raises its line to that many or
        adds a line. False when the draft orders as many already (a repeated low-stock alert)."""
        self._require(Status.DRAFT, doing="extended")
        groups = list(self.document.groups)
        for g, group in enumerate(groups):
            for i, line in enumerate(group.lines):
                if line.product_id == product_id:
                    if line.units >= quantity:
                        return False
                    raised = replace(line, quantity=str(quantity))
                    lines = (*group.lines[:i], raised, *group.lines[i + 1 :])
                    groups[g] = replace(group, lines=lines)
                    self._reprice(groups)
                    return True
        added = replenishment_line(product_id, sku, quantity, price, self.currency)
        for g, group in enumerate(groups):
            if group.name == REPLENISHMENT:
                groups[g] = replace(group, lines=(*group.lines, added))
                break
        else:
            groups.append(DocumentGroup(REPLENISHMENT, (added,)))
        self._reprice(groups)
        return True

    def _reprice(self, groups: list[DocumentGroup]) -> None:
        self.document = price_document(replace(self.document, groups=tuple(groups)))

    # What other services report

    def receive(
        self,
        receipt_id: str,
        warehouse_id: str,
        quantities: Mapping[str, int],
        now: datetime,
        actor: str,
    ) -> Moves:
        """Records a receipt, product by product, noting what does not match the order; moves
        the order on. A receipt already recorded changes nothing."""
        if any(r.receipt_id == receipt_id for r in self.receipts):
            return []
        lines = self.line_states()
        for product_id, quantity in quantities.items():
            line = lines.get(product_id)
            notes = [beyond_order(line, quantity) if line else "not on this purchase order"]
            if self.status in (Status.DRAFT, Status.CANCELLED):
                notes.append(f"the order is {self.status.value}")
            if warehouse_id and warehouse_id != self.warehouse_id:
                notes.append(f"received into warehouse {warehouse_id}, not {self.warehouse_id}")
            self.receipts.append(
                ReceiptLine(receipt_id, product_id, quantity, "; ".join(n for n in notes if n), now)
            )
        self.updated_at = now
        return self._advance(f"receipt {receipt_id}", now, actor)

    def record_bill(
        self,
        bill_id: str,
        status: str,
        now: datetime,
        actor: str,
        quantities: Mapping[str, int] | None = None,
    ) -> Moves:
        """A bill billing recorded: "matched" (payable) or "held" (a mismatch), with the units
        it bills per product (None: as reported before, for a release)."""
        bill = self._bill(bill_id)
        if bill.status == BillStatus.PAID or status not in (BillStatus.MATCHED, BillStatus.HELD):
            return []
        bill.status = BillStatus(status).value
        if quantities is not None:
            bill.quantities = {p: q for p, q in quantities.items() if q > 0}
        self.bill_id, self.bill_status = bill_id, bill.status
        self.updated_at = now
        return self._advance(f"bill {bill_id} {status}", now, actor)

    def bill_paid(self, bill_id: str, now: datetime, actor: str) -> Moves:
        self._bill(bill_id).status = BillStatus.PAID.value
        self.bill_id, self.bill_status = bill_id, BillStatus.PAID.value
        self.updated_at = now
        return self._advance(f"bill {bill_id} paid", now, actor)

    def _bill(self, bill_id: str) -> BillRef:
        for bill in self.bills:
            if bill.bill_id == bill_id:
                return bill
        bill = BillRef(bill_id, "")
        self.bills.append(bill)
        return bill

    def _advance(self, reason: str, now: datetime, actor: str) -> Moves:
        moves = []
        while (to := self._next()) is not None:
            moves += self._move(to, reason, now, actor)
        return moves

    def _next(self) -> Status | None:
        billable = any(b.status in (BillStatus.MATCHED, BillStatus.PAID) for b in self.bills)
        arrived = self.any_received
        if self.status in (Status.SENT, Status.PARTIALLY_RECEIVED) and self.fully_received:
            return Status.RECEIVED if arrived else None
        if self.status == Status.SENT and arrived:
            return Status.PARTIALLY_RECEIVED
        if self.status in (Status.PARTIALLY_RECEIVED, Status.RECEIVED) and billable:
            return Status.BILLED
        if self.status == Status.BILLED and settled(self.line_states(), self.bills):
            return Status.CLOSED
        return None


def new_purchase_order(
    number: str,
    content: OrderContent,
    document: PricedDocument,
    source: Source,
    now: datetime,
    actor: str,
    rfq_id: str = "",
) -> PurchaseOrder:
    return PurchaseOrder(
        id=str(uuid.uuid4()),
        number=number,
        supplier_id=content.supplier_id,
        warehouse_id=content.warehouse_id,
        currency=content.currency,
        status=Status.DRAFT,
        document=document,
        expected_on=date.fromisoformat(content.expected_on),
        payment_terms=content.payment_terms,
        notes=content.notes,
        source=source,
        created_at=now,
        created_by=actor,
        updated_at=now,
        rfq_id=rfq_id,
    )
