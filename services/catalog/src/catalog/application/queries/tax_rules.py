"""ListTaxRules and ResolveTaxes: a zone's rules, and the taxes each tax category carries in a
zone on a date (one call for a whole order)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from catalog.application.ports import UnitsOfWork
from catalog.domain.price_lists import parse_date
from catalog.domain.tax_rules import TaxRule, taxes_for
from servicekit.errors import InvalidArgument


async def list_tax_rules(units: UnitsOfWork, tax_zone: str) -> list[TaxRule]:
    async with units() as uow:
        return await uow.tax_rules.in_zone(tax_zone)


@dataclass(frozen=True)
class ResolveTaxes:
    tax_zone: str
    tax_categories: Sequence[str]
    date: str = ""  # YYYY-MM-DD; "" for today


async def resolve_taxes(units: UnitsOfWork, query: ResolveTaxes) -> dict[str, list[TaxRule]]:
    """Per tax category asked, the rules that tax it (none: untaxed in the zone)."""
    if not query.tax_zone:
        raise InvalidArgument.of("tax_zone", "required")
    on = parse_date("date", query.date) or datetime.now(UTC).date()
    async with units() as uow:
        rules = await uow.tax_rules.in_zone(query.tax_zone)
    return {c: taxes_for(rules, c, query.tax_zone, on) for c in dict.fromkeys(query.tax_categories)}
