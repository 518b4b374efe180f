"""Suppliers' bills and what they are matched against: billing's copy of each purchase order (from
PurchaseOrderIssued) and of the goods received against it (GoodsReceived); a bill recorded,
held or matched, released and paid. Plain Python; the matching rules are billing.domain.payables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from billing.domain.events import BillPaid, BillRecorded, BillReleased, DomainEvent
from billing.domain.invoices import due_date
from billing.domain.payables import (
    HELD,
    PAID,
    RELEASED,
    DualControl,
    Match,
    MatchedLine,
    OrderedLine,
    bill_status,
)
from billing.domain.receivables import OpenItem
from pricing.money import InvalidMoney, Money
from servicekit.errors import FailedPrecondition


class CannotCopy(ValueError):
    """A purchase order billing cannot keep: it could never be billed against."""


@dataclass(frozen=True)
class IssuedLine:
    """A purchase order's line as issued, its unit price as sent."""

    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: str
    price_currency: str


@dataclass
class PurchaseOrderCopy:
    """What billing knows of a purchase order: its lines summed by product."""

    purchase_order_id: str
    number: str
    supplier_id: str
    currency: str
    payment_terms: str
    lines: dict[str, OrderedLine] = field(default_factory=dict)

    @classmethod
    def issued(
        cls,
        purchase_order_id: str,
        number: str,
        supplier_id: str,
        currency: str,
        payment_terms: str,
        lines: Sequence[IssuedLine],
    ) -> PurchaseOrderCopy:
        """Keeps the order's lines by product (the contract promises one line per product;
        should a product come twice, its quantities add up at the first line's price)."""
        copy = cls(purchase_order_id, number, supplier_id, currency, payment_terms)
        for position, line in enumerate(lines):
            try:
                price = Money.of(line.unit_price, line.price_currency)
            except InvalidMoney as error:
                raise CannotCopy(f"purchase order {purchase_order_id}: {error}") from error
            if price.currency != currency or line.quantity <= 0:
                raise CannotCopy(
                    f"purchase order {purchase_order_id}: line {line.line_id} has "
                    f"{line.quantity} at {price}, the order is in {currency}"
                )
            known = copy.lines.get(line.product_id)
            copy.lines[line.product_id] = (
                OrderedLine(line.product_id, line.sku, line.quantity, price, position)
                if known is None
                else OrderedLine(
                    known.product_id,
                    known.sku,
                    known.quantity + line.quantity,
                    known.unit_price,
                    known.position,
                )
            )
        return copy

    def reduce(self, cancelled: Mapping[str, int]) -> None:
        """The units the purchase order cancelled per product (totals, as announced)."""
        for product_id, units in cancelled.items():
            line = self.lines.get(product_id)
            if line is not None:
                self.lines[product_id] = replace(line, cancelled=min(units, line.quantity))


@dataclass(frozen=True)
class Receipt:
    """Goods received against a purchase order, summed by product."""

    receipt_id: str
    purchase_order_id: str
    quantities: dict[str, int]

    @classmethod
    def of(
        cls, receipt_id: str, purchase_order_id: str, lines: Sequence[tuple[str, int]]
    ) -> Receipt | None:
        """None for a receipt that is not against a purchase order, or receives nothing."""
        if not purchase_order_id:
            return None
        quantities: dict[str, int] = {}
        for product_id, quantity in lines:
            quantities[product_id] = quantities.get(product_id, 0) + quantity
        return cls(receipt_id, purchase_order_id, quantities) if quantities else None


@dataclass
class Bill:
    """A supplier's bill as recorded: matched three ways (or held, with the reason), then
    released and paid."""

    id: str
    purchase_order_id: str
    supplier_id: str
    supplier_reference: str
    lines: list[MatchedLine]
    total: Money
    # "held", "open", "partially_paid", "paid".
    status: str
    # "matched", "held", "released".
    match_status: str
    reason: str
    amount_paid: Money
    due_date: date
    recorded_at: datetime
    recorded_by: str
    released_at: datetime | None = None
    released_by: str = ""
    release_note: str = ""
    # Above the dual-control amount: a finance user other than recorded_by releases it.
    dual_control: bool = False
    # The purchase order's number, as read back for callers.
    purchase_order_number: str = ""

    @classmethod
    def record(
        cls,
        bill_id: str,
        order: PurchaseOrderCopy,
        reference: str,
        match: Match,
        dual_control: DualControl | None,
        *,
        recorded_at: datetime,
        recorded_by: str,
    ) -> tuple[Bill, list[DomainEvent]]:
        """Held for a mismatch, or for a second person when `dual_control` applies to it."""
        status = HELD if dual_control else match.status
        reasons = [match.reason, dual_control.reason(match.total) if dual_control else ""]
        reason = "; ".join(r for r in reasons if r)
        bill = cls(
            bill_id,
            order.purchase_order_id,
            order.supplier_id,
            reference,
            list(match.lines),
            match.total,
            bill_status(match.total, Money.zero(order.currency), status),
            status,
            reason,
            Money.zero(order.currency),
            due_date(recorded_at.date(), order.payment_terms),
            recorded_at,
            recorded_by,
            dual_control=dual_control is not None,
        )
        units = tuple((x.product_id, x.quantity) for x in match.lines)
        recorded = BillRecorded(
            bill_id, order.purchase_order_id, order.supplier_id, match.total, status, reason, units
        )
        return bill, [recorded]

    @property
    def currency(self) -> str:
        return self.total.currency

    @property
    def balance(self) -> Money:
        return (self.total - self.amount_paid).rounded()

    @property
    def created_at(self) -> datetime:
        """When it was recorded: what pages of bills are ordered by."""
        return self.recorded_at

    def release(self, releasing: str, note: str, at: datetime) -> list[DomainEvent]:
        """Finance lets a held bill be paid; under dual control, only someone other than the
        one who recorded it (PermissionDenied, with the reason, otherwise)."""
        if self.match_status != HELD:
            raise FailedPrecondition(
                f"bill {self.id} is {self.match_status}: only a held bill can be released"
            )
        if self.dual_control:
            DualControl.check_release(self.id, self.recorded_by, releasing)
        self.match_status = RELEASED
        self.status = bill_status(self.total, self.amount_paid, RELEASED)
        self.released_at, self.released_by, self.release_note = at, releasing, note.strip()
        return [BillReleased(self.id, self.purchase_order_id)]

    def open_item(self) -> OpenItem:
        """The bill as a payment sent can be allocated to it (not while it is held)."""
        return OpenItem(
            self.id,
            self.supplier_id,
            self.due_date,
            (self.total - self.amount_paid).rounded(),
            self.supplier_reference,
            self.status != HELD,
        )

    def pay(self, amount: Money) -> list[DomainEvent]:
        """`amount` of a payment sent onto the bill; BillPaid once it is paid off."""
        self.amount_paid = self.amount_paid + amount
        self.status = bill_status(self.total, self.amount_paid, self.match_status)
        if self.status == PAID:
            return [BillPaid(self.id, self.purchase_order_id, self.supplier_id)]
        return []

    def facts(self) -> dict[str, Any]:
        """What the change log keeps of a bill: its money, its state and the people on it."""
        return {
            "supplier_id": self.supplier_id,
            "supplier_reference": self.supplier_reference,
            "purchase_order_id": self.purchase_order_id,
            "total": str(self.total.trimmed()),
            "status": self.status,
            "match_status": self.match_status,
            "reason": self.reason,
            "dual_control": self.dual_control,
            "recorded_by": self.recorded_by,
            "released_by": self.released_by,
            "release_note": self.release_note,
        }
