"""An order's costs: estimated when it is approved, actual as they occur. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pricing.money import InvalidMoney, parse_input_amount
from servicekit.errors import InvalidArgument

COST_KINDS = ("goods", "shipping", "service", "other")
MAX_DESCRIPTION = 2000


@dataclass(frozen=True)
class CostItem:
    kind: str
    amount: Decimal
    description: str


@dataclass(frozen=True)
class OrderCosts:
    """Estimate against actual costs, for the cost report."""

    order_id: str
    currency: str
    # Goods at cost, fixed at approval; None when a line's cost was unknown.
    estimated: Decimal | None
    items: tuple[CostItem, ...]

    @property
    def actual(self) -> Decimal:
        return sum((item.amount for item in self.items), Decimal(0))

    @property
    def variance(self) -> Decimal | None:
        return None if self.estimated is None else self.actual - self.estimated


def check_cost(kind: str, amount: str, description: str) -> Decimal:
    """The amount of a cost a person records; InvalidArgument names each field at fault."""
    if kind not in COST_KINDS:
        raise InvalidArgument.of("kind", f"one of {', '.join(COST_KINDS)}")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidArgument.of("description", f"at most {MAX_DESCRIPTION} characters")
    try:
        value = parse_input_amount(amount)
    except InvalidMoney as error:
        raise InvalidArgument.of("amount", str(error)) from error
    if value <= 0:
        raise InvalidArgument.of("amount", "must be greater than 0")
    return value
