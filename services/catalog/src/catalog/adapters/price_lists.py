"""Price lists in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import bindparam, func, select, tuple_

from catalog.adapters.products import IDS
from catalog.adapters.tables import price_breaks, price_lists
from catalog.domain.price_lists import PriceBreak, PriceList
from servicekit.db import Columns, DriverStatement, Transaction


def _price_list(row: Columns, breaks: tuple[PriceBreak, ...] = ()) -> PriceList:
    return PriceList(
        row["id"],
        row["name"],
        row["currency"],
        row["customer_group"],
        row["valid_from"],
        row["valid_to"],
        breaks,
    )


# Compiled once and sent on the driver: every order's placement prices its products (a statement
# built per call cost more CPU, its cache key, than its round trip; SQLAlchemy's execution, and
# the BEGIN and ROLLBACK it adds to a reading, about as much again).
_FOR_PRODUCTS = DriverStatement(
    select(
        price_lists,
        price_breaks.c.product_id,
        price_breaks.c.min_quantity,
        price_breaks.c.unit_price,
    )
    .join(price_breaks, price_breaks.c.price_list_id == price_lists.c.id)
    .where(price_breaks.c.product_id == IDS, price_lists.c.currency == bindparam("b_currency"))
)


class SqlPriceListRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, price_list: PriceList, created_by: str) -> None:
        await self.session.execute(
            price_lists.insert().values(
                id=price_list.id,
                name=price_list.name,
                currency=price_list.currency,
                customer_group=price_list.customer_group,
                valid_from=price_list.valid_from,
                valid_to=price_list.valid_to,
                created_by=created_by,
            )
        )
        await self.session.execute(
            price_breaks.insert(),
            [
                {
                    "price_list_id": price_list.id,
                    "product_id": b.product_id,
                    "min_quantity": b.min_quantity,
                    "unit_price": b.unit_price,
                }
                for b in price_list.breaks
            ],
        )

    async def for_products(
        self, product_ids: Sequence[str], currency: str
    ) -> dict[str, list[PriceList]]:
        """Per product, the lists in `currency` that price it, each with that product's breaks."""
        rows = await _FOR_PRODUCTS.fetch(
            self.session, {"b_ids": list(product_ids), "b_currency": currency}
        )
        found: dict[tuple[str, str], PriceList] = {}
        for r in rows:
            key = (r["product_id"], r["id"])
            current = found.get(key) or _price_list(r)
            brk = PriceBreak(r["product_id"], r["min_quantity"], r["unit_price"])
            found[key] = replace(current, breaks=(*current.breaks, brk))
        by_product: dict[str, list[PriceList]] = {}
        for (product_id, _), price_list in found.items():
            by_product.setdefault(product_id, []).append(price_list)
        return by_product

    async def get(self, price_list_id: str) -> PriceList | None:
        row = (
            await self.session.execute(select(price_lists).where(price_lists.c.id == price_list_id))
        ).first()
        if row is None:
            return None
        breaks = await self.session.execute(
            select(price_breaks)
            .where(price_breaks.c.price_list_id == price_list_id)
            .order_by(price_breaks.c.product_id, price_breaks.c.min_quantity)
        )
        return _price_list(
            row._mapping,
            tuple(PriceBreak(b.product_id, b.min_quantity, b.unit_price) for b in breaks),
        )

    async def page(
        self, customer_group: str, currency: str, after: tuple[str, str] | None, limit: int
    ) -> list[tuple[PriceList, int]]:
        """Lists by name and id, after `after`, each without its breaks but with their count."""
        count = (
            select(func.count())
            .where(price_breaks.c.price_list_id == price_lists.c.id)
            .scalar_subquery()
        )
        query = select(price_lists, count.label("break_count"))
        if customer_group:
            query = query.where(price_lists.c.customer_group == customer_group)
        if currency:
            query = query.where(price_lists.c.currency == currency)
        if after is not None:
            query = query.where(tuple_(price_lists.c.name, price_lists.c.id) > after)
        query = query.order_by(price_lists.c.name, price_lists.c.id).limit(limit)
        return [(_price_list(r._mapping), r.break_count) for r in await self.session.execute(query)]
