"""Reorder rules in PostgreSQL: one per product and warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from procurement.adapters.tables import reorder_rules
from procurement.application.ports import RuleFilter
from procurement.domain.reorder import ReorderRule
from servicekit.db import Transaction


def _rule(row: Row[Any]) -> ReorderRule:
    return ReorderRule(
        product_id=row.product_id,
        warehouse_id=row.warehouse_id,
        sku=row.sku,
        minimum=row.minimum,
        maximum=row.maximum,
        supplier_id=row.supplier_id,
        unit_price=row.unit_price,
        currency=row.currency,
        lead_time_days=row.lead_time_days,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


class SqlReorderRuleRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def put(self, rule: ReorderRule) -> None:
        values = {
            "sku": rule.sku,
            "minimum": rule.minimum,
            "maximum": rule.maximum,
            "supplier_id": rule.supplier_id,
            "unit_price": rule.unit_price,
            "currency": rule.currency,
            "lead_time_days": rule.lead_time_days,
            "updated_at": rule.updated_at,
            "updated_by": rule.updated_by,
        }
        await self.session.execute(
            insert(reorder_rules)
            .values(product_id=rule.product_id, warehouse_id=rule.warehouse_id, **values)
            .on_conflict_do_update(index_elements=["product_id", "warehouse_id"], set_=values)
        )

    async def get(
        self, product_id: str, warehouse_id: str, *, for_update: bool = False
    ) -> ReorderRule | None:
        query = select(reorder_rules).where(
            reorder_rules.c.product_id == product_id,
            reorder_rules.c.warehouse_id == warehouse_id,
        )
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return None if row is None else _rule(row)

    async def page(
        self, wanted: RuleFilter, after: tuple[str, str] | None, limit: int
    ) -> list[ReorderRule]:
        c = reorder_rules.c
        query = select(reorder_rules)
        for column, value in (
            (c.warehouse_id, wanted.warehouse_id),
            (c.product_id, wanted.product_id),
            (c.supplier_id, wanted.supplier_id),
        ):
            if value:
                query = query.where(column == value)
        if after is not None:
            query = query.where(tuple_(c.warehouse_id, c.product_id) > tuple_(*after))
        query = query.order_by(c.warehouse_id, c.product_id).limit(limit)
        return [_rule(row) for row in await self.session.execute(query)]

    async def of_supplier(
        self, supplier_id: str, currency: str, product_ids: Sequence[str]
    ) -> list[ReorderRule]:
        c = reorder_rules.c
        query = (
            select(reorder_rules)
            .where(
                c.supplier_id == supplier_id,
                c.currency == currency,
                c.product_id.in_(list(product_ids)),
            )
            .order_by(c.warehouse_id, c.product_id)
            .with_for_update()
        )
        return [_rule(row) for row in await self.session.execute(query)]
