"""Money sent to suppliers: allocated to their payable bills like customer payments to invoices,
the rest an advance to the supplier, applied by hand to later bills. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pricing.money import Money
from servicekit.errors import InvalidArgument


@dataclass(frozen=True)
class SupplierAllocation:
    """Part of a payment sent on one bill."""

    bill_id: str
    amount: Money
    position: int
    allocated_at: datetime
    # The bill's supplier reference, as read back for callers.
    supplier_reference: str = ""


@dataclass
class SupplierPayment:
    """A payment sent: amount = what its bills took + `unapplied` (an advance)."""

    id: str
    supplier_id: str
    amount: Money
    reference: str
    paid_on: date
    unapplied: Money
    recorded_at: datetime
    recorded_by: str
    allocations: list[SupplierAllocation] = field(default_factory=list)

    @property
    def created_at(self) -> datetime:
        """When it was recorded: what pages of payments sent are ordered by."""
        return self.recorded_at

    def allocate(self, bill_id: str, amount: Money, at: datetime) -> None:
        self.allocations.append(SupplierAllocation(bill_id, amount, len(self.allocations), at))

    def apply_advance(self, bill_id: str, amount: Money, at: datetime) -> SupplierAllocation:
        """Part of the advance (what no bill took) onto a later bill; InvalidArgument on
        `amount` beyond the advance left or not positive, on `bill_id` for a bill the payment
        paid already (a payment goes onto a bill once)."""
        if any(a.bill_id == bill_id for a in self.allocations):
            raise InvalidArgument.of("bill_id", f"payment {self.id} paid part of it already")
        if amount.currency != self.unapplied.currency:
            raise InvalidArgument.of("amount.currency", f"must be {self.unapplied.currency}")
        if not 0 < amount.amount <= self.unapplied.amount:
            raise InvalidArgument.of(
                "amount", f"between 0.01 and the advance left, {self.unapplied.rounded()}"
            )
        self.unapplied = (self.unapplied - amount).rounded()
        self.allocate(bill_id, amount, at)
        return self.allocations[-1]

    def facts(self) -> dict[str, Any]:
        """What the change log keeps of a payment sent."""
        return {
            "supplier_id": self.supplier_id,
            "amount": str(self.amount.trimmed()),
            "reference": self.reference,
            "paid_on": self.paid_on,
            "allocations": [
                {"bill_id": a.bill_id, "amount": str(a.amount.trimmed())} for a in self.allocations
            ],
            "unapplied": str(self.unapplied.trimmed()),
        }
