"""Tax rules in PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select

from catalog.adapters.tables import tax_rules
from catalog.domain.tax_rules import TaxRule
from servicekit.db import Transaction


def _rule(row: Row[Any]) -> TaxRule:
    return TaxRule(
        row.id, row.tax_category, row.tax_zone, row.code, row.rate, row.valid_from, row.valid_to
    )


class SqlTaxRuleRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, rule: TaxRule, created_by: str) -> None:
        await self.session.execute(
            tax_rules.insert().values(
                id=rule.id,
                tax_category=rule.tax_category,
                tax_zone=rule.tax_zone,
                code=rule.code,
                rate=rule.rate,
                valid_from=rule.valid_from,
                valid_to=rule.valid_to,
                created_by=created_by,
            )
        )

    async def in_zone(self, tax_zone: str) -> list[TaxRule]:
        query = select(tax_rules).order_by(
            tax_rules.c.tax_zone, tax_rules.c.tax_category, tax_rules.c.code, tax_rules.c.id
        )
        if tax_zone:
            query = query.where(tax_rules.c.tax_zone == tax_zone)
        return [_rule(r) for r in await self.session.execute(query)]
