"""Which taxes a sale carries: a product's tax category x the customer's tax zone -> one or more
taxes (code and rate), each dated. Plain Python; the catalog keeps them beside the price lists,
so one service answers "what does this cost this customer, and with which taxes"."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from catalog.domain.products import TAX_CATEGORIES
from servicekit.errors import Violations

MAX_ZONE = 32
MAX_CODE = 32
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class TaxRule:
    id: str
    tax_category: str  # a product's: standard, reduced, exempt
    tax_zone: str  # a customer's, e.g. "DE"
    code: str  # e.g. "VAT"
    rate: Decimal  # 0.19 for 19 %
    valid_from: date | None
    valid_to: date | None  # inclusive

    def applies(self, tax_category: str, tax_zone: str, on: date) -> bool:
        return (
            self.tax_category == tax_category
            and self.tax_zone == tax_zone
            and (self.valid_from is None or self.valid_from <= on)
            and (self.valid_to is None or on <= self.valid_to)
        )


def new_tax_rule(
    tax_category: str,
    tax_zone: str,
    code: str,
    rate: str,
    valid_from: date | None,
    valid_to: date | None,
) -> TaxRule:
    """A rule, or InvalidArgument naming every field at fault."""
    problems = Violations()
    if tax_category not in TAX_CATEGORIES:
        problems.add("tax_category", f"one of {', '.join(TAX_CATEGORIES)}")
    for name, value, limit in (("tax_zone", tax_zone, MAX_ZONE), ("code", code, MAX_CODE)):
        if not value.strip() or len(value) > limit or value != value.strip():
            problems.add(name, f"1-{limit} characters without surrounding spaces")
    parsed = _rate(rate)
    if parsed is None:
        problems.add("rate", "a fraction between 0 and 10 with at most 6 places (0.19 = 19 %)")
    if valid_from and valid_to and valid_to < valid_from:
        problems.add("valid_to", "on or after valid_from")
    problems.raise_if_any()
    assert parsed is not None
    return TaxRule(str(uuid.uuid4()), tax_category, tax_zone, code, parsed, valid_from, valid_to)


def _rate(text: str) -> Decimal | None:
    try:
        rate = Decimal(text)
    except InvalidOperation:
        return None
    if not rate.is_finite() or not 0 <= rate < 10 or rate != rate.quantize(SIX_PLACES):
        return None
    return rate


def taxes_for(
    rules: Sequence[TaxRule], tax_category: str, tax_zone: str, on: date
) -> list[TaxRule]:
    """The rules that tax a product of `tax_category` sold into `tax_zone` on `on`, by code."""
    return sorted(
        (r for r in rules if r.applies(tax_category, tax_zone, on)), key=lambda r: (r.code, r.id)
    )
