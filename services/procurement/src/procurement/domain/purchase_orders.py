"""Purchase orders: what the company orders from a supplier, priced by the shared engine, and
their lifecycle from draft to closed as goods and the supplier's bill arrive. Plain Python.

    draft -> sent -> partially_received -> received -> billed -> closed
    draft, sent -> cancelled

Goods and bills reach the order as events from two topics, so they may come in either order: a
bill recorded before the goods it bills is kept and moves the order on once the goods are in.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from pricing.document import DocumentGroup, PricedDocument, figure_text, price_document
from procurement.domain.contracts import AgreedPrice
from procurement.domain.events import PurchaseOrderIssued, PurchaseOrderStatusChanged
from procurement.domain.order_content import REPLENISHMENT, OrderContent, replenishment_line
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument

# What a move of the order announces.
Moves = list[PurchaseOrderStatusChanged]


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

    @property
    def fully_received(self) -> bool:
        return all(self.received(line.product_id) >= line.quantity for line in self.lines)

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

    def cancel(self, reason: str, now: datetime, actor: str) -> Moves:
        if len(reason) > 2000:
            raise InvalidArgument.of("reason", "at most 2000 characters")
        self._require(Status.DRAFT, Status.SENT, doing="cancelled")
        return self._move(Status.CANCELLED, reason.strip() or "cancelled", now, actor)

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
        ordered = {line.product_id: line.quantity for line in self.lines}
        for product_id, quantity in quantities.items():
            notes = []
            if product_id not in ordered:
                notes.append("not on this purchase order")
            elif self.received(product_id) + quantity > ordered[product_id]:
                total = self.received(product_id) + quantity
                notes.append(f"over-received: {total} in all, {ordered[product_id]} ordered")
            if self.status in (Status.DRAFT, Status.CANCELLED):
                notes.append(f"the order is {self.status.value}")
            if warehouse_id and warehouse_id != self.warehouse_id:
                notes.append(f"received into warehouse {warehouse_id}, not {self.warehouse_id}")
            self.receipts.append(
                ReceiptLine(receipt_id, product_id, quantity, "; ".join(notes), now)
            )
        self.updated_at = now
        return self._advance(f"receipt {receipt_id}", now, actor)

    def record_bill(self, bill_id: str, status: str, now: datetime, actor: str) -> Moves:
        """A bill billing recorded: "matched" (payable) or "held" (a mismatch)."""
        if self.bill_status == BillStatus.PAID or status not in (
            BillStatus.MATCHED,
            BillStatus.HELD,
        ):
            return []
        self.bill_id, self.bill_status = bill_id, BillStatus(status).value
        self.updated_at = now
        return self._advance(f"bill {bill_id} {status}", now, actor)

    def bill_paid(self, bill_id: str, now: datetime, actor: str) -> Moves:
        self.bill_id, self.bill_status = bill_id, BillStatus.PAID.value
        self.updated_at = now
        return self._advance(f"bill {bill_id} paid", now, actor)

    def _advance(self, reason: str, now: datetime, actor: str) -> Moves:
        moves = []
        while (to := self._next()) is not None:
            moves += self._move(to, reason, now, actor)
        return moves

    def _next(self) -> Status | None:
        billable = self.bill_status in (BillStatus.MATCHED, BillStatus.PAID)
        if self.status in (Status.SENT, Status.PARTIALLY_RECEIVED) and self.fully_received:
            return Status.RECEIVED
        if self.status == Status.SENT and self.any_received:
            return Status.PARTIALLY_RECEIVED
        if self.status in (Status.PARTIALLY_RECEIVED, Status.RECEIVED) and billable:
            return Status.BILLED
        if self.status == Status.BILLED and self.bill_status == BillStatus.PAID:
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
