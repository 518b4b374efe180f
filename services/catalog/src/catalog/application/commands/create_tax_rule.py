"""CreateTaxRule: a tax (code, rate) for a product tax category in a customer tax zone, dated;
kept by finance and logged. A request sent again with the same id returns the first rule."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitOfWork, UnitsOfWork
from catalog.application.records import TAX_RULE, tax_rule_record
from catalog.domain.price_lists import parse_date
from catalog.domain.tax_rules import TaxRule, new_tax_rule
from servicekit.context import current_principal

# The operation whose request ids the catalog keeps.
OPERATION = "create_tax_rule"


@dataclass(frozen=True)
class CreateTaxRule:
    tax_category: str
    tax_zone: str
    code: str
    rate: str  # "0.19" for 19 %
    # YYYY-MM-DD, or "" for open-ended; valid_to is inclusive
    valid_from: str = ""
    valid_to: str = ""
    # The client's id for this request ("" for none), and a fingerprint of what it asked.
    request_id: str = ""
    fingerprint: str = ""


async def create_tax_rule(units: UnitsOfWork, command: CreateTaxRule) -> TaxRule:
    """The new rule; for a `request_id` seen before, the rule that request created (what it
    asked, the fingerprint, must then be the same)."""
    rule = new_tax_rule(
        command.tax_category,
        command.tax_zone,
        command.code,
        command.rate,
        parse_date("valid_from", command.valid_from),
        parse_date("valid_to", command.valid_to),
    )
    async with units() as uow:
        done = await uow.requests.claim(OPERATION, command.request_id, command.fingerprint)
        if done is not None:
            return await _first(uow, rule.tax_zone, done)
        await uow.tax_rules.add(rule, current_principal().subject)
        await uow.changes.record(TAX_RULE, rule.id, "created", after=tax_rule_record(rule))
        await uow.requests.complete(OPERATION, command.request_id, rule.id)
    return rule


async def _first(uow: UnitOfWork, tax_zone: str, rule_id: str) -> TaxRule:
    """The rule the first call created: in the same zone, since the retry asks the same."""
    (first,) = [r for r in await uow.tax_rules.in_zone(tax_zone) if r.id == rule_id]
    return first
