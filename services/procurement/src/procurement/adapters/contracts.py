"""Supplier contracts and their prices in PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select, tuple_

from procurement.adapters.tables import contract_prices, supplier_contracts
from procurement.application.ports import ContractFilter
from procurement.domain.contracts import ContractPrice, SupplierContract
from servicekit.db import Transaction


def _query(wanted: ContractFilter) -> Select[Any]:
    c = supplier_contracts.c
    query = select(supplier_contracts)
    if wanted.supplier_id:
        query = query.where(c.supplier_id == wanted.supplier_id)
    if wanted.active_on is not None:
        query = query.where(c.valid_from <= wanted.active_on, c.valid_to >= wanted.active_on)
    if wanted.product_id:
        pricing_it = select(contract_prices.c.contract_id).where(
            contract_prices.c.product_id == wanted.product_id
        )
        query = query.where(c.id.in_(pricing_it))
    return query


class SqlContractRepository:
    def __init__(self, session: Transaction) -> None:
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

    async def covering(self, supplier_id: str, day: date) -> list[SupplierContract]:
        return await self._load(_query(ContractFilter(supplier_id=supplier_id, active_on=day)))

    async def get(self, contract_id: str) -> SupplierContract | None:
        query = select(supplier_contracts).where(supplier_contracts.c.id == contract_id)
        found = await self._load(query)
        return found[0] if found else None

    async def page(
        self, wanted: ContractFilter, after: tuple[date, datetime, str] | None, limit: int
    ) -> list[SupplierContract]:
        c = supplier_contracts.c
        query = _query(wanted)
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
