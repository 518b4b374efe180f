"""Reorder rules: keep a product's stock in a warehouse between a minimum and a maximum by
ordering from a preferred supplier. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from procurement.domain import limits
from procurement.domain.limits import MAX_QUANTITY, EnteredMoney
from procurement.domain.order_content import DEFAULT_LEAD_TIME_DAYS
from procurement.domain.suppliers import Supplier
from servicekit.errors import Violations


@dataclass(frozen=True)
class RuleInput:
    """A rule as the buyer enters it; `unit_price` is required, 0 lead time days is 14."""

    product_id: str
    warehouse_id: str
    supplier_id: str
    minimum: int = 0
    maximum: int = 0
    unit_price: EnteredMoney | None = None
    sku: str = ""
    lead_time_days: int = 0


@dataclass(frozen=True)
class ReorderRule:
    product_id: str
    warehouse_id: str
    sku: str
    minimum: int
    maximum: int
    supplier_id: str
    # The last known unit price from the supplier, in its currency.
    unit_price: Decimal
    currency: str
    lead_time_days: int
    updated_at: datetime
    updated_by: str

    @property
    def price_rule(self) -> str:
        return "reorder rule's last known price"

    def quantity_for(self, available: int) -> int:
        """Units to order when `available` units are left: up to the maximum once at or below
        the minimum, none otherwise."""
        if available > self.minimum:
            return 0
        return max(0, self.maximum - available)

    def learn(self, unit_price: Decimal, now: datetime, actor: str) -> ReorderRule | None:
        """The rule with the supplier's latest price as its last known one; None when that is
        the price it knows."""
        if self.unit_price == unit_price:
            return None
        return replace(self, unit_price=unit_price, updated_at=now, updated_by=actor)


def new_rule(
    request: RuleInput, supplier: Supplier | None, now: datetime, actor: str
) -> ReorderRule:
    """The rule, or InvalidArgument naming every field at fault."""
    problems = Violations()
    for name in ("product_id", "warehouse_id"):
        limits.text(getattr(request, name).strip(), name, limits.MAX_CODE, problems, required=True)
    limits.text(request.sku.strip(), "sku", limits.MAX_CODE, problems)
    # The maximum is what one reorder orders at most: a line's quantity.
    if not 0 <= request.minimum < MAX_QUANTITY:
        problems.add("minimum", f"between 0 and {MAX_QUANTITY - 1}")
    if not request.minimum < request.maximum <= MAX_QUANTITY:
        problems.add("maximum", f"greater than the minimum, at most {MAX_QUANTITY}")
    if not request.supplier_id:
        problems.add("supplier_id", "required")
    elif supplier is None:
        problems.add("supplier_id", f"no supplier {request.supplier_id}")
    amount = _last_price(request.unit_price, supplier, problems)
    if not 0 <= request.lead_time_days <= 3650:
        problems.add("lead_time_days", "between 0 and 3650 (0: 14 days)")
    problems.raise_if_any()
    assert supplier is not None
    return ReorderRule(
        product_id=request.product_id.strip(),
        warehouse_id=request.warehouse_id.strip(),
        sku=request.sku.strip(),
        minimum=request.minimum,
        maximum=request.maximum,
        supplier_id=supplier.id,
        unit_price=amount,
        currency=supplier.currency,
        lead_time_days=request.lead_time_days or DEFAULT_LEAD_TIME_DAYS,
        updated_at=now,
        updated_by=actor,
    )


def _last_price(
    entered: EnteredMoney | None, supplier: Supplier | None, problems: Violations
) -> Decimal:
    """The supplier's last known unit price, in its currency; required."""
    if entered is None:
        problems.add("unit_price", "required: the last known price from the supplier")
        return Decimal(0)
    amount = limits.amount(entered.amount, "unit_price.amount", problems)
    if supplier is not None and entered.currency != supplier.currency:
        problems.add("unit_price.currency", f"must be the supplier's currency, {supplier.currency}")
    return amount
