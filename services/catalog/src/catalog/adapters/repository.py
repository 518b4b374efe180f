"""Products in PostgreSQL: rows to domain objects and back."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.adapters.tables import products
from catalog.domain.model import Product, ProductId
from pricing.money import Money


def _product(row: Row[tuple[object, ...]]) -> Product:
    m = row._mapping
    return Product(
        id=ProductId(m["id"]),
        sku=m["sku"],
        name=m["name"],
        description=m["description"],
        list_price=Money(m["list_price"], m["currency"]).trimmed(),
        active=m["active"],
        created_at=m["created_at"],
        created_by=m["created_by"],
    )


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, product: Product) -> bool:
        """False when the SKU is taken (nothing is written)."""
        statement = (
            insert(products)
            .values(
                id=product.id,
                sku=product.sku,
                name=product.name,
                description=product.description,
                list_price=product.list_price.amount,
                currency=product.list_price.currency,
                active=product.active,
                created_at=product.created_at,
                created_by=product.created_by,
            )
            .on_conflict_do_nothing(index_elements=["sku"])
            .returning(products.c.id)
        )
        return (await self.session.execute(statement)).first() is not None

    async def get_many(self, ids: Sequence[str]) -> list[Product]:
        rows = await self.session.execute(select(products).where(products.c.id.in_(list(ids))))
        return [_product(row) for row in rows]

    async def page(self, after_sku: str, limit: int) -> list[Product]:
        rows = await self.session.execute(
            select(products).where(products.c.sku > after_sku).order_by(products.c.sku).limit(limit)
        )
        return [_product(row) for row in rows]
