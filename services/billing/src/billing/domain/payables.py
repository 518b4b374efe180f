"""Supplier bills matched three ways against their purchase order and the goods received. Plain
Python.

Per line: the billed quantity (with what earlier bills of the order billed) may never exceed what
was received, nor what the order still orders once it cancelled units -- that is refused
outright, by field, as bad input. Beyond that, a line that bills
more than was ordered (quantity tolerance, default 0 %) or at a unit price off the ordered one by
more than the price tolerance (default 2 %, either way) holds the bill, with the reason per
line, until finance releases it. A bill without such issues is matched and payable.

Dual control: a bill above a set amount is held as well, and released only by a finance user
other than the one who recorded it -- one person never records, releases and pays a large bill.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pricing.money import (
    LARGEST_AMOUNT,
    MAX_INTEGER_DIGITS,
    InvalidMoney,
    Money,
    Rounding,
    parse_amount,
    storable,
)
from servicekit import bounds
from servicekit.errors import PermissionDenied, Violations

MATCHED, HELD, RELEASED = "matched", "held", "released"
# A bill's payment status; "held" until released.
OPEN, PARTIALLY_PAID, PAID = "open", "partially_paid", "paid"
# Unit prices are kept to six decimals, as purchase orders state them.
PRICE_DECIMALS = 6
MAX_LINES = 1000
MAX_QUANTITY = bounds.MAX_QUANTITY


@dataclass(frozen=True)
class Tolerance:
    """How far a bill may stray from its order before it is held, in percent."""

    price_percent: Decimal = Decimal(2)
    quantity_percent: Decimal = Decimal(0)


@dataclass(frozen=True)
class OrderedLine:
    """A purchase order's product as ordered (its lines summed)."""

    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    # Where the product first appears on the purchase order.
    position: int = 0
    # Units the purchase order cancelled (PurchaseOrderReduced): never billed.
    cancelled: int = 0

    @property
    def still_ordered(self) -> int:
        return self.quantity - self.cancelled


@dataclass(frozen=True)
class LineIn:
    """A bill line as the supplier's invoice states it (unit price as sent)."""

    product_id: str
    quantity: int
    unit_price: str


@dataclass(frozen=True)
class MatchedLine:
    """A bill line beside what was ordered, received and billed before."""

    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money
    ordered_quantity: int
    received_quantity: int
    ordered_unit_price: Money
    billed_before: int
    # Why this line holds the bill; empty when it matches.
    issue: str = ""


@dataclass(frozen=True)
class Match:
    """A bill's lines as matched, and its total; held when any line has an issue."""

    lines: list[MatchedLine]
    total: Money

    @property
    def status(self) -> str:
        return HELD if any(line.issue for line in self.lines) else MATCHED

    @property
    def reason(self) -> str:
        return "; ".join(f"{x.sku or x.product_id}: {x.issue}" for x in self.lines if x.issue)


def match_bill(
    currency: str,
    ordered: Mapping[str, OrderedLine],
    received: Mapping[str, int],
    billed_before: Mapping[str, int],
    lines: Sequence[LineIn],
    tolerance: Tolerance,
) -> Match:
    """Matches each line against what was ordered, received and billed before (by product).
    Raises InvalidArgument (changing nothing) for bad input: no lines, a product not ordered or
    listed twice, a quantity that is not positive or more than was received and not billed yet,
    a unit price that is not a plain non-negative decimal."""
    problems = Violations()
    if not lines:
        problems.add("lines", "at least one line")
    if len(lines) > MAX_LINES:
        problems.add("lines", f"at most {MAX_LINES} lines")
    problems.raise_if_any()
    matched = []
    seen: set[str] = set()
    total = Money.zero(currency)
    for i, line in enumerate(lines):
        at = f"lines[{i}]"
        order_line = _on_order(problems, at, line.product_id, ordered, seen)
        if order_line is None:
            continue
        price = _price(problems, f"{at}.unit_price", line.unit_price, currency)
        got, before = received.get(line.product_id, 0), billed_before.get(line.product_id, 0)
        if order_line.cancelled:
            _not_cancelled(problems, f"{at}.quantity", line.quantity, got, before, order_line)
        else:
            _quantity(problems, f"{at}.quantity", line.quantity, got, before)
        if price is None or problems.items:
            continue
        line_total = price.times(line.quantity).rounded(Rounding.HALF_UP)
        if not storable(line_total.amount):
            problems.add(f"{at}.unit_price", f"the line's total {line_total} is beyond any bill")
            continue
        total = total + line_total
        matched.append(
            MatchedLine(
                line.product_id,
                order_line.sku,
                line.quantity,
                price,
                line_total,
                order_line.quantity,
                got,
                order_line.unit_price,
                before,
                issue_of(order_line, before + line.quantity, price, tolerance),
            )
        )
    if not problems.items and not storable(total.amount):
        problems.add("lines", f"the bill's total {total} is beyond any bill")
    problems.raise_if_any()
    return Match(matched, total)


def _on_order(
    problems: Violations,
    at: str,
    product_id: str,
    ordered: Mapping[str, OrderedLine],
    seen: set[str],
) -> OrderedLine | None:
    """The order's line of a bill line's product, once per bill; else the fault, by field."""
    order_line = ordered.get(product_id)
    if order_line is None:
        problems.add(f"{at}.product_id", f"product {product_id!r} is not on the order")
        return None
    if product_id in seen:
        problems.add(f"{at}.product_id", f"product {product_id} is listed twice")
        return None
    seen.add(product_id)
    return order_line


def _quantity(problems: Violations, name: str, quantity: int, got: int, before: int) -> None:
    """A bill line's quantity: positive, and at most what was received and not billed yet."""
    if not 0 < quantity <= MAX_QUANTITY:
        problems.add(name, f"between 1 and {MAX_QUANTITY:,}")
    elif before + quantity > got:
        problems.add(
            name,
            f"bills {quantity}, more than the {max(got - before, 0)} received and not "
            f"billed yet ({got} received, {before} billed before)",
        )


def _not_cancelled(
    problems: Violations, name: str, quantity: int, got: int, before: int, line: OrderedLine
) -> None:
    """A line of a purchase order that cancelled units bills at most what was received and is
    still ordered: the cancelled units are never billed."""
    billable = min(got, line.still_ordered)
    if not 0 < quantity <= MAX_QUANTITY:
        problems.add(name, f"between 1 and {MAX_QUANTITY:,}")
    elif before + quantity > billable:
        problems.add(
            name,
            f"bills {quantity}, more than the {max(billable - before, 0)} received, not "
            f"cancelled and not billed yet ({line.cancelled} of {line.quantity} ordered were "
            f"cancelled, {got} received, {before} billed before)",
        )


def issue_of(ordered: OrderedLine, billed: int, price: Money, tolerance: Tolerance) -> str:
    """Why a line holds its bill, or "": billed (in all) beyond the ordered quantity, or a unit
    price beyond the tolerance of the ordered one."""
    issues = []
    allowed = Decimal(ordered.quantity) * (1 + tolerance.quantity_percent / 100)
    if billed > allowed:
        issues.append(f"billed {billed} in all, ordered {ordered.quantity}")
    expected = ordered.unit_price.amount
    if abs(price.amount - expected) > abs(expected) * tolerance.price_percent / 100:
        issues.append(
            f"unit price {price.amount.normalize():f}, ordered at "
            f"{expected.normalize():f} (more than {tolerance.price_percent.normalize():f} % off)"
        )
    return ", ".join(issues)


def _price(problems: Violations, name: str, text: str, currency: str) -> Money | None:
    try:
        value = parse_amount(text)
    except InvalidMoney as error:
        problems.add(name, str(error))
        return None
    if value < 0:
        problems.add(name, "cannot be negative")
    elif value > LARGEST_AMOUNT:  # before quantize, which cannot hold 40 digits
        problems.add(name, f"at most {MAX_INTEGER_DIGITS} digits before the point")
    elif value != value.quantize(Decimal(1).scaleb(-PRICE_DECIMALS)):
        problems.add(name, f"at most {PRICE_DECIMALS} decimals")
    else:
        return Money(value, currency)
    return None


def bill_status(total: Money, paid: Money, match_status: str) -> str:
    """held until released; then open -> partially_paid -> paid."""
    if match_status == HELD:
        return HELD
    if paid.amount >= total.amount:
        return PAID
    return PARTIALLY_PAID if paid.amount > 0 else OPEN


@dataclass(frozen=True)
class DualControl:
    """Bills above `above` need a second finance user: the one who releases them may not be the
    one who recorded them."""

    above: Money
    # How the bill was converted into the limit's currency, kept in its reason: "USD 1,000.00 at
    # USD/EUR 0.92 (from 2026-03-01) = 920.00 EUR"; empty when it was in that currency already.
    conversion: str = ""

    def applies(self, total: Money | None) -> bool:
        """Whether a bill of `total` (already converted into the limit's currency; None when no
        rate converts it) is under dual control: above the limit, or of an unknown size."""
        return total is None or total.amount > self.above.amount

    def reason(self, total: Money) -> str:
        converted = f" ({self.conversion})" if self.conversion else ""
        return (
            f"{total.rounded()}{converted} is above {self.above.rounded()} (or not convertible "
            f"into {self.above.currency}): a second finance user releases it"
        )

    @staticmethod
    def check_release(bill_id: str, recorded_by: str, releasing: str) -> None:
        """PermissionDenied when the person releasing a bill under dual control recorded it."""
        if releasing == recorded_by:
            raise PermissionDenied(
                f"bill {bill_id} is under dual control: {recorded_by} recorded it, so another "
                "finance user must release it"
            )
