"""A sales order's lines: what each holds, ships and returns, and the checks on a person's change
of quantities or request to return goods. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from orders.domain.bounds import check_address, check_total
from pricing.engine import total_of
from pricing.money import Money
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import Violations


class StockStatus:
    PENDING = "pending"
    RESERVED = "reserved"
    BACKORDERED = "backordered"
    REJECTED = "rejected"
    RELEASED = "released"


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


def _find(lines: Sequence[Line], line_id: str) -> Line | None:
    return next((x for x in lines if x.id == line_id), None)


def check_change(
    lines: Sequence[Line],
    currency: str,
    quantities: Mapping[str, int],
    shipping_address: Mapping[str, str] | None,
) -> None:
    """New quantities (0 drops a line) stay above what shipped and within bounds, keep a line and
    a total a column can keep; InvalidArgument names every field at fault."""
    problems = Violations()
    for line_id, quantity in quantities.items():
        at = f"lines[{line_id}].quantity"
        line = _find(lines, line_id)
        if line is None:
            problems.add(f"lines[{line_id}]", "no such line on the order")
        elif quantity < line.shipped or (quantity == 0 and line.shipped):
            problems.add(at, f"{line.shipped} already shipped")
        elif not 0 <= quantity <= MAX_QUANTITY:
            problems.add(at, f"between 0 and {MAX_QUANTITY}")
    if quantities and all(quantities.get(x.id, x.quantity) == 0 for x in lines):
        problems.add("lines", "an order keeps at least one line; cancel it instead")
    check_address(problems, "shipping_address", shipping_address)
    problems.raise_if_any()
    new = [(Decimal(quantities.get(x.id, x.quantity)), x.unit_price.amount) for x in lines]
    check_total(total_of(currency, new))


def check_return(
    lines: Sequence[Line],
    quantities: Mapping[str, int],
    reason: str,
    returned_before: Mapping[str, int],
) -> None:
    """Returned units are shipped units not yet returned or under another authorisation."""
    problems = Violations()
    if not quantities:
        problems.add("lines", "at least one line")
    if not reason.strip():
        problems.add("reason", "required")
    for line_id, quantity in quantities.items():
        line = _find(lines, line_id)
        room = 0 if line is None else line.shipped - returned_before.get(line_id, 0)
        if line is None:
            problems.add(f"lines[{line_id}]", "no such line on the order")
        elif not 0 < quantity <= room:
            problems.add(
                f"lines[{line_id}].quantity", f"between 1 and {room} (shipped, not returned)"
            )
    problems.raise_if_any()
