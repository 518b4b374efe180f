"""CreateTaxRule: a tax (code, rate) for a product tax category in a customer tax zone, dated;
kept by finance and logged."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.records import TAX_RULE, tax_rule_record
from catalog.domain.price_lists import parse_date
from catalog.domain.tax_rules import TaxRule, new_tax_rule
from servicekit.context import current_principal


@dataclass(frozen=True)
class CreateTaxRule:
    tax_category: str
    tax_zone: str
    code: str
    rate: str  # "0.19" for 19 %
    # YYYY-MM-DD, or "" for open-ended; valid_to is inclusive
    valid_from: str = ""
    valid_to: str = ""


async def create_tax_rule(units: UnitsOfWork, command: CreateTaxRule) -> TaxRule:
    rule = new_tax_rule(
        command.tax_category,
        command.tax_zone,
        command.code,
        command.rate,
        parse_date("valid_from", command.valid_from),
        parse_date("valid_to", command.valid_to),
    )
    async with units() as uow:
        await uow.tax_rules.add(rule, current_principal().subject)
        await uow.changes.record(TAX_RULE, rule.id, "created", after=tax_rule_record(rule))
    return rule
