"""Price lists in PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.adapters.tables import price_breaks, price_lists
from catalog.domain.pricing_rules import PriceBreak, PriceList


class PriceListRepository:
    def __init__(self, session: AsyncSession) -> None:
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

    async def for_product(self, product_id: str, currency: str) -> list[PriceList]:
        """The lists in `currency` that price `product_id`, each with that product's breaks."""
        rows = await self.session.execute(
            select(price_lists, price_breaks.c.min_quantity, price_breaks.c.unit_price)
            .join(price_breaks, price_breaks.c.price_list_id == price_lists.c.id)
            .where(price_breaks.c.product_id == product_id, price_lists.c.currency == currency)
        )
        found: dict[str, PriceList] = {}
        for r in rows:
            current = found.get(r.id) or PriceList(
                r.id, r.name, r.currency, r.customer_group, r.valid_from, r.valid_to, ()
            )
            brk = PriceBreak(product_id, r.min_quantity, r.unit_price)
            found[r.id] = PriceList(
                current.id,
                current.name,
                current.currency,
                current.customer_group,
                current.valid_from,
                current.valid_to,
                (*current.breaks, brk),
            )
        return list(found.values())
