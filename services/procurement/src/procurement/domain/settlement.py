"""What is left of a purchase order to receive, bill and pay: the supplier's bills as billing
reports them (units per product, matched, held or paid) and the units cancelled (the order
cancelled after part arrived, or a line reduced). Plain Python.

An order is settled -- and closes -- once nothing is left to arrive (every line received in
full or its rest cancelled), every unit due is billed (received, up to what was ordered and
not cancelled: units delivered beyond the order are the supplier's mistake, never owed) and
every bill is paid.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from procurement.domain.events import CancelledUnits
from servicekit.errors import InvalidArgument

MATCHED, HELD, PAID = "matched", "held", "paid"


@dataclass
class BillRef:
    """One of the supplier's bills for the order, as billing reported it."""

    bill_id: str
    status: str
    # product id -> units billed
    quantities: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"bill_id": self.bill_id, "status": self.status, "quantities": self.quantities}

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> BillRef:
        quantities = raw.get("quantities") or {}
        assert isinstance(quantities, dict)
        return cls(
            str(raw["bill_id"]),
            str(raw["status"]),
            {str(k): int(v) for k, v in quantities.items()},
        )


@dataclass(frozen=True)
class LineState:
    """One product of the order: ordered, cancelled, received and billed units."""

    ordered: int
    cancelled: int
    received: int
    billed: int

    @property
    def due(self) -> int:
        """Units still to arrive."""
        return max(self.ordered - self.cancelled - self.received, 0)

    @property
    def billable(self) -> int:
        """Units the supplier may bill in all: received, up to what is still ordered."""
        return min(self.received, self.ordered - self.cancelled)


def beyond_order(line: LineState, units: int) -> str:
    """What a receipt of `units` more has beyond the order ("" when nothing)."""
    total, still = line.received + units, line.ordered - line.cancelled
    if total <= still:
        return ""
    if line.cancelled:
        cut = line.cancelled
        return f"beyond what is still ordered: {total} in all, {still} ordered, {cut} cancelled"
    return f"over-received: {total} in all, {line.ordered} ordered"


def settled(lines: Mapping[str, LineState], bills: list[BillRef]) -> bool:
    """Nothing left to arrive, every billable unit billed, every bill paid."""
    if not bills or any(bill.status != PAID for bill in bills):
        return False
    return all(x.due == 0 and x.billed >= x.billable for x in lines.values())


def billed_units(bills: list[BillRef], product_id: str) -> int:
    return sum(bill.quantities.get(product_id, 0) for bill in bills)


def cancelled_units(lines: Mapping[str, LineState]) -> Iterator[CancelledUnits]:
    """The lines with units cancelled: what each still orders and what it cancelled in all."""
    for product_id, x in lines.items():
        if x.cancelled:
            yield CancelledUnits(product_id, x.ordered - x.cancelled, x.cancelled)


def check_reduction(lines: Mapping[str, LineState], product_id: str, quantity: int) -> LineState:
    """The line a reduction to `quantity` units lowers; InvalidArgument by field when there is
    no such line, or the quantity is not below what it orders now or is below what arrived."""
    line = lines.get(product_id)
    if line is None:
        raise InvalidArgument.of("product_id", f"product {product_id!r} is not on the order")
    still = line.ordered - line.cancelled
    if not line.received <= quantity < still:
        raise InvalidArgument.of(
            "quantity", f"between {line.received} (received) and {still - 1} (ordered less one)"
        )
    return line


def check_reason(reason: str) -> None:
    if len(reason) > 2000:
        raise InvalidArgument.of("reason", "at most 2000 characters")
