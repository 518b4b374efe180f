"""Suppliers, contracts and reorder rules in PostgreSQL (RFQs and purchase orders: see
adapters.rfqs and adapters.purchase_orders). Lists are read a page at a time, after the sort
key of the previous page's last row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Table, and_, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.adapters.tables import (
    contract_prices,
    reorder_rules,
    supplier_contracts,
    suppliers,
)
from procurement.domain.contracts import ContractPrice, SupplierContract
from procurement.domain.model import Contact, Supplier
from procurement.domain.reorder import ReorderRule


def older_than(table: Table, after: tuple[datetime, str]) -> ColumnElement[bool]:
    """Rows after `after`, the (created_at, id) of a newest-first page's last row."""
    at, last_id = after
    return or_(table.c.created_at < at, and_(table.c.created_at == at, table.c.id < last_id))


# Suppliers


def _supplier(row: Row[Any]) -> Supplier:
    return Supplier(
        row.id,
        row.name,
        row.email,
        row.currency,
        row.created_at,
        row.created_by,
        tuple(Contact(**c) for c in row.contacts),
        row.payment_terms,
        row.rating,
        row.updated_at,
    )


class SupplierRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, supplier: Supplier) -> bool:
        """False when the name is taken."""
        added = await self.session.execute(
            insert(suppliers)
            .values(
                id=supplier.id,
                name=supplier.name,
                created_at=supplier.created_at,
                created_by=supplier.created_by,
                currency=supplier.currency,
                **self._details(supplier),
            )
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(suppliers.c.id)
        )
        return added.first() is not None

    def _details(self, supplier: Supplier) -> dict[str, Any]:
        return {
            "email": supplier.email,
            "contacts": [asdict(c) for c in supplier.contacts],
            "payment_terms": supplier.payment_terms,
            "rating": supplier.rating,
            "updated_at": supplier.updated_at,
        }

    async def save(self, supplier: Supplier) -> None:
        await self.session.execute(
            suppliers.update()
            .where(suppliers.c.id == supplier.id)
            .values(**self._details(supplier))
        )

    async def find(self, supplier_ids: Iterable[str]) -> list[Supplier]:
        query = select(suppliers).where(suppliers.c.id.in_(list(supplier_ids)))
        query = query.order_by(suppliers.c.name)
        return [_supplier(row) for row in await self.session.execute(query)]

    async def page(self, after: str, limit: int) -> list[Supplier]:
        """By name (unique), after `after`, the previous page's last name."""
        query = select(suppliers).order_by(suppliers.c.name).limit(limit)
        if after:
            query = query.where(suppliers.c.name > after)
        return [_supplier(row) for row in await self.session.execute(query)]

    async def get(self, supplier_id: str, for_update: bool = False) -> Supplier | None:
        if not supplier_id:
            return None
        query = select(suppliers).where(suppliers.c.id == supplier_id)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return None if row is None else _supplier(row)


# Contracts


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, contract: SupplierContract) -> None:
        await self.session.execute(
            supplier_contracts.insert().values(
                id=contract.id,
                supplier_id=contract.supplier_id,
                reference=contract.reference,
                currency=contract.currency,
                valid_from=contract.valid_from,
                valid_to=contract.valid_to,
                created_at=contract.created_at,
                created_by=contract.created_by,
            )
        )
        await self.session.execute(
            contract_prices.insert(),
            [
                {
                    "contract_id": contract.id,
                    "product_id": p.product_id,
                    "sku": p.sku,
                    "unit_price": p.unit_price,
                }
                for p in contract.prices
            ],
        )

    async def find(self, supplier_id: str, active_on: date) -> list[SupplierContract]:
        """The supplier's contracts covering `active_on`."""
        return await self._load(_contracts_query(supplier_id, "", active_on))

    async def get(self, contract_id: str) -> SupplierContract | None:
        query = select(supplier_contracts).where(supplier_contracts.c.id == contract_id)
        found = await self._load(query)
        return found[0] if found else None

    async def page(
        self,
        supplier_id: str,
        product_id: str,
        active_on: date | None,
        after: tuple[date, datetime, str] | None,
        limit: int,
    ) -> list[SupplierContract]:
        """Newest period first (then newest made), after `after`, the (valid_from, created_at,
        id) of the previous page's last contract; with `product_id`, those pricing it."""
        c = supplier_contracts.c
        query = _contracts_query(supplier_id, product_id, active_on)
        if after is not None:
            query = query.where(tuple_(c.valid_from, c.created_at, c.id) < tuple_(*after))
        return await self._load(
            query.order_by(c.valid_from.desc(), c.created_at.desc(), c.id.desc()).limit(limit)
        )

    async def _load(self, query: Select[Any]) -> list[SupplierContract]:
        heads = (await self.session.execute(query)).all()
        prices: dict[str, list[ContractPrice]] = {row.id: [] for row in heads}
        if heads:
            rows = await self.session.execute(
                select(contract_prices)
                .where(contract_prices.c.contract_id.in_(list(prices)))
                .order_by(contract_prices.c.product_id)
            )
            for row in rows:
                prices[row.contract_id].append(
                    ContractPrice(row.product_id, row.sku, row.unit_price)
                )
        return [
            SupplierContract(
                row.id,
                row.supplier_id,
                row.reference,
                row.currency,
                row.valid_from,
                row.valid_to,
                tuple(prices[row.id]),
                row.created_at,
                row.created_by,
            )
            for row in heads
        ]


def _contracts_query(supplier_id: str, product_id: str, active_on: date | None) -> Select[Any]:
    c = supplier_contracts.c
    query = select(supplier_contracts)
    if supplier_id:
        query = query.where(c.supplier_id == supplier_id)
    if active_on is not None:
        query = query.where(c.valid_from <= active_on, c.valid_to >= active_on)
    if product_id:
        pricing_it = select(contract_prices.c.contract_id).where(
            contract_prices.c.product_id == product_id
        )
        query = query.where(c.id.in_(pricing_it))
    return query


# Reorder rules


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


class RuleRepository:
    def __init__(self, session: AsyncSession) -> None:
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
        self, product_id: str, warehouse_id: str, for_update: bool = False
    ) -> ReorderRule | None:
        query = select(reorder_rules).where(
            reorder_rules.c.product_id == product_id,
            reorder_rules.c.warehouse_id == warehouse_id,
        )
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return None if row is None else _rule(row)

    async def page(
        self, filters: Mapping[str, str], after: tuple[str, str] | None, limit: int
    ) -> list[ReorderRule]:
        """By warehouse and product, after `after`, the previous page's last (warehouse_id,
        product_id); `filters` by column (warehouse_id, product_id, supplier_id)."""
        c = reorder_rules.c
        query = select(reorder_rules)
        for name, wanted in filters.items():
            if wanted:
                query = query.where(c[name] == wanted)
        if after is not None:
            query = query.where(tuple_(c.warehouse_id, c.product_id) > tuple_(*after))
        query = query.order_by(c.warehouse_id, c.product_id).limit(limit)
        return [_rule(row) for row in await self.session.execute(query)]

    async def learn_prices(
        self,
        supplier_id: str,
        currency: str,
        prices: Mapping[str, Decimal],
        at: datetime,
        by: str,
    ) -> list[tuple[ReorderRule, ReorderRule]]:
        """The supplier's latest prices become its rules' last known prices; the rules whose
        price changed, before and after."""
        c = reorder_rules.c
        query = (
            select(reorder_rules)
            .where(
                c.supplier_id == supplier_id,
                c.currency == currency,
                c.product_id.in_(list(prices)),
            )
            .order_by(c.warehouse_id, c.product_id)
            .with_for_update()
        )
        changed = []
        for rule in [_rule(row) for row in await self.session.execute(query)]:
            price = prices[rule.product_id]
            if rule.unit_price != price:
                learnt = replace(rule, unit_price=price, updated_at=at, updated_by=by)
                await self.put(learnt)
                changed.append((rule, learnt))
        return changed
