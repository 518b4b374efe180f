"""Money sent to suppliers: allocated to their payable bills like customer payments to invoices,
the rest an advance to the supplier. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pricing.money import Money


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
