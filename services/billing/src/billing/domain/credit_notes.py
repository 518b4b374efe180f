"""Credit notes: numbered without gaps per year in their own series, against an invoice (a
cancelled order, returned goods, an adjustment) or a free amount for a customer. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from billing.domain.events import CreditNoteIssued, DomainEvent
from billing.domain.taxes import Buyer, LineTax, TaxTotal, tax_totals
from pricing.money import Money

CANCELLED, RETURNED = "cancelled", "returned"
# A credit note finance issues by hand: for part of an invoice, or a free amount (credit).
ADJUSTMENT = "adjustment"
MAX_MEMO = 500


def credit_note_number(year: int, sequence: int) -> str:
    """The credit note number of the year's `sequence`th: "CN-2026-000001"."""
    return f"CN-{year}-{sequence:06d}"


@dataclass(frozen=True)
class CreditLine:
    """Units of an invoice line a credit note credits, and what for."""

    invoice_id: str
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    # What is credited, taxes included.
    amount: Money
    # The taxes credited, mirroring the invoice line's; empty for an untaxed line.
    taxes: tuple[LineTax, ...] = ()

    @property
    def net(self) -> Money:
        return self.amount - sum((t.amount for t in self.taxes), self.amount.times(0))


@dataclass
class CreditNote:
    """What a credit note credits, and the part of it (`unapplied`) its invoice's balance could
    not take: that part is the customer's credit."""

    id: str
    number: str
    customer_id: str
    total: Money
    unapplied: Money
    reason: str
    issued_at: datetime
    created_by: str
    # Empty for a free credit to a customer (no invoice, no order).
    invoice_id: str = ""
    order_id: str = ""
    return_id: str = ""
    memo: str = ""
    lines: list[CreditLine] = field(default_factory=list)
    # The invoice's number, as read back for callers.
    invoice_number: str = ""
    # The buyer as the credit note names them (None before issue 11).
    buyer: Buyer | None = None

    @property
    def taxes(self) -> list[TaxTotal]:
        """The tax breakdown per (code, rate) of what it credits."""
        return tax_totals(((x.net, x.taxes) for x in self.lines), self.total.currency)

    @classmethod
    def issue(
        cls,
        credit_note_id: str,
        number: str,
        customer_id: str,
        total: Money,
        unapplied: Money,
        reason: str,
        *,
        issued_at: datetime,
        created_by: str,
        invoice_id: str = "",
        order_id: str = "",
        return_id: str = "",
        memo: str = "",
        lines: list[CreditLine] | None = None,
        buyer: Buyer | None = None,
    ) -> tuple[CreditNote, list[DomainEvent]]:
        note = cls(
            credit_note_id,
            number,
            customer_id,
            total,
            unapplied,
            reason,
            issued_at,
            created_by,
            invoice_id,
            order_id,
            return_id,
            memo,
            list(lines or []),
            buyer=buyer,
        )
        issued = CreditNoteIssued(
            credit_note_id,
            number,
            invoice_id,
            order_id,
            customer_id,
            total,
            reason,
            return_id,
        )
        return note, [issued]

    def facts(self) -> dict[str, str]:
        """What the change log keeps of it when it is issued."""
        return {
            "customer_id": self.customer_id,
            "invoice_id": self.invoice_id,
            "total": str(self.total),
            "unapplied": str(self.unapplied),
            "reason": self.reason,
            "return_id": self.return_id,
            "memo": self.memo,
            "number": self.number,
        }
