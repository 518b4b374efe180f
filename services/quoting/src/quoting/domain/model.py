"""A quote: lines priced by a salesperson, totalled to the cent. Plain Python."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from pricing.money import InvalidMoney, Money, check_currency
from servicekit.errors import Violations

MAX_LINES = 1000


@dataclass(frozen=True)
class QuoteLine:
    description: str
    quantity: int
    unit_price: Money

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity).rounded()


@dataclass(frozen=True)
class Quote:
    id: str
    customer_id: str
    salesperson: str
    currency: str
    lines: list[QuoteLine]
    status: str
    created_at: datetime
    created_by: str

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.total
        return total


@dataclass(frozen=True)
class QuoteRequest:
    customer_id: str
    salesperson: str
    currency: str
    lines: list[tuple[str, int, str, str]]  # description, quantity, amount, currency


def draft(request: QuoteRequest, now: datetime, actor: str) -> Quote:
    """A draft quote, or InvalidArgument naming every field at fault."""
    problems = Violations()
    if not request.customer_id.strip():
        problems.add("customer_id", "required")
    if not request.salesperson.strip():
        problems.add("salesperson", "required")
    try:
        check_currency(request.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    if not 1 <= len(request.lines) <= MAX_LINES:
        problems.add("lines", f"between 1 and {MAX_LINES} lines")
    lines = []
    for i, (description, quantity, amount, currency) in enumerate(request.lines[:MAX_LINES]):
        if not description.strip():
            problems.add(f"lines[{i}].description", "required")
        if quantity <= 0:
            problems.add(f"lines[{i}].quantity", "must be greater than 0")
        try:
            price = Money.of(amount, currency)
        except InvalidMoney as error:
            problems.add(f"lines[{i}].unit_price", str(error))
            continue
        if price.amount < 0:
            problems.add(f"lines[{i}].unit_price", "must not be negative")
        if currency != request.currency:
            problems.add(f"lines[{i}].unit_price", f"must be in {request.currency}")
        lines.append(QuoteLine(description.strip(), quantity, price))
    problems.raise_if_any()
    return Quote(
        str(uuid.uuid4()),
        request.customer_id.strip(),
        request.salesperson.strip(),
        request.currency,
        lines,
        "draft",
        now,
        actor,
    )
