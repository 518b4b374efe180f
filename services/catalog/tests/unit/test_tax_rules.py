"""Tax rules: a product tax category x a customer tax zone -> taxes, dated, kept by finance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from catalog.application.commands.create_tax_rule import CreateTaxRule, create_tax_rule
from catalog.application.queries.tax_rules import ResolveTaxes, list_tax_rules, resolve_taxes
from catalog.domain.tax_rules import new_tax_rule, taxes_for
from servicekit.context import Principal, acting
from servicekit.errors import InvalidArgument
from services.catalog.tests.unit.fakes import FakeCatalog

FINANCE = Principal("fay", ("finance",))


def test_a_rule_applies_to_its_category_and_zone_within_its_dates() -> None:
    old = new_tax_rule("standard", "DE", "VAT", "0.16", date(2020, 7, 1), date(2020, 12, 31))
    now = new_tax_rule("standard", "DE", "VAT", "0.19", date(2021, 1, 1), None)
    books = new_tax_rule("reduced", "DE", "VAT", "0.07", None, None)
    rules = [old, now, books]
    assert taxes_for(rules, "standard", "DE", date(2020, 8, 1)) == [old]
    assert taxes_for(rules, "standard", "DE", date(2026, 1, 1)) == [now]
    assert taxes_for(rules, "reduced", "DE", date(2026, 1, 1)) == [books]
    assert taxes_for(rules, "standard", "FR", date(2026, 1, 1)) == []


def test_a_rule_names_every_field_at_fault() -> None:
    with pytest.raises(InvalidArgument) as caught:
        new_tax_rule("luxury", " ", "", "0.1234567", date(2026, 2, 1), date(2026, 1, 1))
    assert [v.field for v in caught.value.violations] == [
        "tax_category",
        "tax_zone",
        "code",
        "rate",
        "valid_to",
    ]


async def test_rules_are_kept_logged_and_resolved_per_category_for_a_zone() -> None:
    catalog = FakeCatalog()
    with acting(FINANCE):
        standard = await create_tax_rule(catalog, CreateTaxRule("standard", "DE", "VAT", "0.19"))
        await create_tax_rule(catalog, CreateTaxRule("reduced", "DE", "VAT", "0.07"))
        await create_tax_rule(catalog, CreateTaxRule("standard", "AT", "USt", "0.20"))
    assert catalog.state.created_by[standard.id] == "fay"
    assert [c.action for c in catalog.state.changes] == ["created"] * 3
    assert [r.code for r in await list_tax_rules(catalog, "AT")] == ["USt"]
    found = await resolve_taxes(
        catalog, ResolveTaxes("DE", ["standard", "reduced", "exempt", "standard"], "2026-05-01")
    )
    assert {c: [(r.code, r.rate) for r in rules] for c, rules in found.items()} == {
        "standard": [("VAT", Decimal("0.19"))],
        "reduced": [("VAT", Decimal("0.07"))],
        "exempt": [],
    }
    with pytest.raises(InvalidArgument):
        await resolve_taxes(catalog, ResolveTaxes("", ["standard"]))
