"""Money received from customers and where it went: a payment and its allocations onto invoices.
Plain Python.

A customer's payment reference (the bank transfer's) names one payment: money received again
under it is that payment when the request is the same, else refused on `reference`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from pricing.money import Money
from servicekit.errors import AlreadyExists, FieldViolation

# Money received ("received"), or a customer's credit applied to an invoice ("credit").
RECEIVED, CREDIT = "received", "credit"
# Where a customer's credit came from or went, in its history.
FROM_PAYMENT, FROM_CREDIT_NOTE, FROM_UNALLOCATED, APPLIED = (
    "payment",
    "credit_note",
    "unallocated",
    "applied",
)


@dataclass(frozen=True)
class PaymentAllocation:
    """Part of a payment on an invoice; taken back, it stays, stamped."""

    id: str
    invoice_id: str
    amount: Money
    position: int
    allocated_at: datetime
    unallocated_at: datetime | None = None
    unallocated_by: str = ""
    # The invoice's number, as read back for callers.
    invoice_number: str = ""

    @property
    def active(self) -> bool:
        return self.unallocated_at is None


@dataclass
class Payment:
    """Money received (or credit applied), allocated to invoices; what no invoice took is the
    payment's `unapplied` part, the customer's credit: amount = allocated + unapplied."""

    id: str
    customer_id: str
    amount: Money
    reference: str
    received_on: date
    recorded_at: datetime
    recorded_by: str
    kind: str = RECEIVED
    # The invoice it was recorded against (one invoice); empty when spread over invoices.
    invoice_id: str = ""
    unapplied: Money | None = None
    # The request that recorded money received, which a payment sent again must repeat.
    fingerprint: str | None = None
    allocations: list[PaymentAllocation] = field(default_factory=list)
    # As read back for callers: the invoice's number and order.
    invoice_number: str = ""
    order_id: str = ""

    @property
    def allocated(self) -> Money:
        total = self.amount.times(0).rounded()
        for allocation in self.allocations:
            if allocation.active:
                total = total + allocation.amount
        return total

    @property
    def created_at(self) -> datetime:
        """When it was recorded: what pages of payments are ordered by."""
        return self.recorded_at

    def allocate(self, allocation_id: str, invoice_id: str, amount: Money, at: datetime) -> None:
        self.allocations.append(
            PaymentAllocation(allocation_id, invoice_id, amount, len(self.allocations), at)
        )

    def leave_unapplied(self, amount: Money) -> None:
        self.unapplied = amount

    def active_allocations(self, allocation_id: str = "", invoice_id: str = "") -> list[str]:
        """The ids of its allocations in force (only the one named, when one is)."""
        return [
            a.id
            for a in self.allocations
            if a.active
            and (not allocation_id or a.id == allocation_id)
            and (not invoice_id or a.invoice_id == invoice_id)
        ]

    def take_back(
        self, allocation_ids: list[str], at: datetime, by: str
    ) -> list[PaymentAllocation]:
        """Stamps the allocations unallocated; gives them, in their order."""
        taken = []
        for i, allocation in enumerate(self.allocations):
            if allocation.id in allocation_ids:
                self.allocations[i] = replace(allocation, unallocated_at=at, unallocated_by=by)
                taken.append(allocation)
        return taken

    def repeats(self, fingerprint: str) -> None:
        """Money received again under this payment's reference: fine when it is the same
        request; ALREADY_EXISTS on `reference` otherwise."""
        if self.fingerprint != fingerprint:
            raise AlreadyExists(
                f"customer {self.customer_id}'s payment {self.reference!r} is recorded already",
                (FieldViolation("reference", f"already used by payment {self.id}"),),
            )

    def facts(self) -> dict[str, Any]:
        """What the change log keeps of a payment: its money and where it is allocated now."""
        unapplied = self.unapplied or self.amount.times(0)
        return {
            "kind": self.kind,
            "customer_id": self.customer_id,
            "amount": str(self.amount.trimmed()),
            "reference": self.reference,
            "received_on": self.received_on,
            "allocations": [
                {"invoice_id": a.invoice_id, "amount": str(a.amount.trimmed())}
                for a in self.allocations
                if a.active
            ],
            "unapplied": str(unapplied.trimmed()),
        }
