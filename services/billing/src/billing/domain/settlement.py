"""What remains to pay on an invoice: payments, credit notes and due dates. Plain Python.

An invoice's balance is its total less what was paid and what credit notes took off it. A payment
may never exceed the balance. A credit note credits goods (a cancelled order, returned units);
the part of it the balance can take is applied to the invoice, and the rest -- when the invoice
was paid already -- is `unapplied`: owed back to the customer. So the balance never goes below
zero and payments plus applied credits never exceed the total.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from pricing.money import Money, Rounding, minor_units
from servicekit.errors import Violations

OPEN, PARTIALLY_PAID, PAID, CREDITED = "open", "partially_paid", "paid", "credited"
CANCELLED, RETURNED = "cancelled", "returned"
# A credit note finance issues by hand: for part of an invoice, or a free amount (credit).
ADJUSTMENT = "adjustment"
DEFAULT_PAYMENT_DAYS = 30


@dataclass(frozen=True)
class Account:
    """An invoice's money: its total, what was paid, and what credit notes took off it."""

    total: Money
    paid: Money
    credited: Money
    status: str = OPEN

    @classmethod
    def new(cls, total: Money) -> Account:
        zero = Money.zero(total.currency)
        return cls(total, zero, zero)

    @property
    def balance(self) -> Money:
        return self.total - self.paid - self.credited

    def pay(self, amount: Money) -> Account:
        """The account once `amount` is paid; every reason to refuse it at once, by field."""
        problems = Violations()
        currency = self.total.currency
        if amount.currency != currency:
            problems.add("amount.currency", f"must be the invoice's currency, {currency}")
        elif amount.amount <= 0:
            problems.add("amount", "must be more than zero")
        elif amount.rounded() != amount:
            problems.add("amount", f"at most {minor_units(currency)} decimals in {currency}")
        elif amount.amount > self.balance.amount:
            problems.add("amount", f"exceeds the invoice's balance of {self.balance.rounded()}")
        problems.raise_if_any()
        return self._settled(replace(self, paid=self.paid + amount))

    def credit(self, amount: Money, *, cancelled: bool = False) -> tuple[Account, Money]:
        """The account once a credit note of `amount` is applied, and the part it could not
        take (unapplied). A cancellation marks the invoice credited whatever was paid."""
        applied = min(amount, self.balance) if amount.amount > 0 else amount.times(0)
        settled = self._settled(replace(self, credited=self.credited + applied))
        if cancelled:
            settled = replace(settled, status=CREDITED)
        return settled, amount - applied

    def _settled(self, account: Account) -> Account:
        return replace(account, status=status_of(account, self.status))


def status_of(account: Account, previous: str = OPEN) -> str:
    """open -> partially_paid -> paid; credited once credit notes leave nothing to pay (or the
    order was cancelled), and credited stays credited."""
    if previous == CREDITED:
        return CREDITED
    paid = account.paid.amount > 0
    if account.balance.amount <= 0:
        return PAID if paid else CREDITED
    return PARTIALLY_PAID if paid else OPEN


def credit_note_number(year: int, sequence: int) -> str:
    return f"CN-{year}-{sequence:06d}"


def payment_days(terms: str) -> int:
    """Days to pay under terms as a customer account states them: "30 days net", "net 14",
    "2/10 net 30" (30), "due on receipt" (0); 30 when empty or not understood."""
    text = terms.strip().lower()
    if not text:
        return DEFAULT_PAYMENT_DAYS
    if "receipt" in text or "immediate" in text:
        return 0
    for pattern in (r"net\s*(\d+)", r"(\d+)\s*(?:days?\b|d\b)", r"^(\d+)$"):
        found = re.search(pattern, text)
        if found and int(found.group(1)) <= 366:
            return int(found.group(1))
    return DEFAULT_PAYMENT_DAYS


def due_date(issued_on: date, terms: str) -> date:
    return issued_on + timedelta(days=payment_days(terms))


# Returns ------------------------------------------------------------------------------------


class CannotCredit(ValueError):
    """A return that does not match its order: it can never be credited."""


class NotInvoicedYet(Exception):
    """A return of units whose invoice has not been issued yet: it waits for it."""


@dataclass(frozen=True)
class BilledLine:
    """An invoice line as a return can credit it."""

    invoice_id: str
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    line_total: Money
    # The price credited per unit returned.
    unit_credit: Money
    returned: int = 0
    credited: Money | None = None

    @property
    def open_quantity(self) -> int:
        return self.quantity - self.returned

    def credit_for(self, quantity: int) -> Money:
        """What `quantity` more units returned are worth: at the unit credit, rounded half up,
        never more than is left of the line; the last units take exactly what is left, so the
        credits of a line returned in full add up to its total."""
        left = (self.line_total - (self.credited or self.line_total.times(0))).rounded()
        if quantity >= self.open_quantity:
            return left
        return min(self.unit_credit.times(quantity).rounded(Rounding.HALF_UP), left)


def unit_net(net: Money, quantity: int) -> Money:
    """A priced document line's net per unit, rounded half up to the currency's minor unit."""
    return Money(net.amount / Decimal(quantity), net.currency).rounded(Rounding.HALF_UP)


@dataclass(frozen=True)
class CreditLine:
    invoice_id: str
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    amount: Money


def credit_return(
    billed: Sequence[BilledLine],
    returned: Sequence[tuple[str, int]],
    ordered: Mapping[str, int],
) -> list[CreditLine]:
    """Credit lines for returned units, each allocated to the invoice lines that billed it in
    the order given (oldest invoice first). Raises CannotCredit for a line not on the order or
    more units than were ordered and not returned yet, NotInvoicedYet when some of them are not
    invoiced yet."""
    wanted: dict[str, int] = {}
    for line_id, quantity in returned:
        if line_id not in ordered:
            raise CannotCredit(f"returned line {line_id} is not on the order")
        if quantity <= 0:
            raise CannotCredit(f"returned {quantity} of line {line_id}")
        wanted[line_id] = wanted.get(line_id, 0) + quantity
    for line_id, quantity in wanted.items():
        lines = [b for b in billed if b.order_line_id == line_id]
        already = sum(b.returned for b in lines)
        if quantity > ordered[line_id] - already:
            raise CannotCredit(
                f"returned {quantity} more of line {line_id}, ordered {ordered[line_id]}, "
                f"returned {already} before"
            )
        if quantity > sum(b.open_quantity for b in lines):
            raise NotInvoicedYet(f"line {line_id} is not invoiced in full yet")
    credits = []
    for line_id, quantity in wanted.items():
        for line in (b for b in billed if b.order_line_id == line_id):
            taken = min(quantity, line.open_quantity)
            if taken == 0:
                continue
            credits.append(
                CreditLine(
                    line.invoice_id,
                    line_id,
                    line.product_id,
                    line.sku,
                    taken,
                    line.unit_credit,
                    line.credit_for(taken),
                )
            )
            quantity -= taken
            if quantity == 0:
                break
    return credits


def kit_part_line_id(kit_line_id: str, product_id: str) -> str:
    """The order line a kit's part is picked on, as the orders service names it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kit_line_id}/{product_id}"))


@dataclass(frozen=True)
class KitPart:
    """A kit's part as it was picked: its own order line, so many per kit."""

    part_line_id: str
    kit_line_id: str
    per_kit: int
    # Units picked (kits ordered x per kit) and returned so far.
    picked: int
    returned: int = 0


def kits_returned(
    parts: Sequence[KitPart], returned: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """Kits a return completes: a kit is credited once all its parts are back, in whole kits.
    Gives the kits newly complete per kit line, and each part's returned count afterwards."""
    counts = {p.part_line_id: p.returned + returned.get(p.part_line_id, 0) for p in parts}
    for part in parts:
        if counts[part.part_line_id] > part.picked:
            raise CannotCredit(
                f"returned {counts[part.part_line_id]} of kit part {part.part_line_id} in all, "
                f"picked {part.picked}"
            )
    kits: dict[str, list[KitPart]] = {}
    for part in parts:
        kits.setdefault(part.kit_line_id, []).append(part)
    complete = {}
    for kit_line_id, its_parts in kits.items():
        before = min(p.returned // p.per_kit for p in its_parts)
        after = min(counts[p.part_line_id] // p.per_kit for p in its_parts)
        if after > before:
            complete[kit_line_id] = after - before
    return complete, counts
