"""The lines a sales channel says it refunded (a WooCommerce refund), as a credit note's lines:
each checked field by field (amounts in the credit's currency, taxes with their rates), together
at most the credit's amount."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from billing.application.fields import MAX_ID, Amount, money_in
from billing.domain.credit_notes import CreditLine
from billing.domain.taxes import LineTax
from pricing.money import Money
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import Violations


@dataclass(frozen=True)
class RefundedTax:
    code: str
    rate: str  # 0.19 = 19 %
    amount: Amount


@dataclass(frozen=True)
class RefundedLine:
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Amount
    # Taxes included.
    line_total: Amount
    taxes: tuple[RefundedTax, ...] = ()


def credit_lines(
    problems: Violations, lines: Sequence[RefundedLine], total: Money | None
) -> list[CreditLine]:
    """The lines as credit lines; faults added to `problems` under `lines[i]....`."""
    found: list[CreditLine] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        at = f"lines[{i}]"
        for name, limit in (("order_line_id", 36), ("product_id", 64), ("sku", 64)):
            if len(getattr(line, name)) > limit:
                problems.add(f"{at}.{name}", f"at most {limit} characters")
        if not line.order_line_id or line.order_line_id in seen:
            problems.add(f"{at}.order_line_id", "required, once per credit note")
        seen.add(line.order_line_id)
        if not 0 <= line.quantity <= MAX_QUANTITY:
            problems.add(f"{at}.quantity", f"between 0 and {MAX_QUANTITY}")
        unit = money_in(problems, f"{at}.unit_price", line.unit_price)
        amount = money_in(problems, f"{at}.line_total", line.line_total)
        taxes = [_tax(problems, f"{at}.taxes[{j}]", t) for j, t in enumerate(line.taxes)]
        if unit is None or amount is None or None in taxes:
            continue
        if total is not None and amount.currency != total.currency:
            problems.add(f"{at}.line_total", f"must be in {total.currency}")
            continue
        found.append(
            CreditLine(
                "",
                line.order_line_id,
                line.product_id,
                line.sku,
                line.quantity,
                unit,
                amount,
                tuple(t for t in taxes if t is not None),
            )
        )
    if total is not None and found and not problems.items:
        credited = sum((x.amount.amount for x in found), Decimal(0))
        if credited > total.amount:
            problems.add("lines", f"come to {credited}, more than the amount {total.amount}")
    return found


def _tax(problems: Violations, at: str, tax: RefundedTax) -> LineTax | None:
    amount = money_in(problems, f"{at}.amount", tax.amount)
    try:
        rate = Decimal(tax.rate)
    except InvalidOperation:
        problems.add(f"{at}.rate", "a decimal, 0.19 for 19 %")
        return None
    if not tax.code.strip() or len(tax.code) > MAX_ID:
        problems.add(f"{at}.code", f"required, at most {MAX_ID} characters")
        return None
    return None if amount is None else LineTax(tax.code, rate, amount)
