"""Products in PostgreSQL: rows to domain objects and back."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.adapters.tables import categories, products
from catalog.domain.model import Category, Product, ProductId, Search, text_query
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
        category_id=m["category_id"],
        attributes=m["attributes"],
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
                category_id=product.category_id,
                attributes=dict(product.attributes),
            )
            .on_conflict_do_nothing(index_elements=["sku"])
            .returning(products.c.id)
        )
        return (await self.session.execute(statement)).first() is not None

    async def get_for_update(self, product_id: str) -> Product | None:
        query = select(products).where(products.c.id == product_id).with_for_update()
        row = (await self.session.execute(query)).first()
        return _product(row) if row else None

    async def save(self, product: Product) -> None:
        """Writes what a change may touch: name, description, list price, active."""
        await self.session.execute(
            products.update()
            .where(products.c.id == product.id)
            .values(
                name=product.name,
                description=product.description,
                list_price=product.list_price.amount,
                active=product.active,
            )
        )

    async def get_many(self, ids: Sequence[str]) -> list[Product]:
        rows = await self.session.execute(select(products).where(products.c.id.in_(list(ids))))
        return [_product(row) for row in rows]

    async def page(self, after_sku: str, limit: int) -> list[Product]:
        rows = await self.session.execute(
            select(products).where(products.c.sku > after_sku).order_by(products.c.sku).limit(limit)
        )
        return [_product(row) for row in rows]

    async def search(self, search: Search, after_sku: str, limit: int) -> list[Product]:
        """Products matching every criterion, by SKU. Each criterion has an index to use: the
        name's tsvector and the attributes (GIN), the category path prefix, price, SKU."""
        query = select(products).where(products.c.sku > after_sku)
        if search.text and (words := text_query(search.text)):
            query = query.where(products.c.name_search.op("@@")(func.to_tsquery("simple", words)))
        if search.sku:
            query = query.where(products.c.sku == search.sku)
        if search.category_id:
            branch = select(categories.c.path).where(categories.c.id == search.category_id)
            inside = select(categories.c.id).where(
                categories.c.path.startswith(branch.scalar_subquery(), autoescape=False)
            )
            query = query.where(products.c.category_id.in_(inside))
        if search.attributes:
            query = query.where(products.c.attributes.contains(dict(search.attributes)))
        if search.min_price is not None:
            query = query.where(products.c.list_price >= search.min_price)
        if search.max_price is not None:
            query = query.where(products.c.list_price <= search.max_price)
        rows = await self.session.execute(query.order_by(products.c.sku).limit(limit))
        return [_product(row) for row in rows]


class CategoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, category_id: str) -> Category | None:
        row = (
            await self.session.execute(select(categories).where(categories.c.id == category_id))
        ).first()
        return Category(row.id, row.name, row.parent_id, row.path) if row else None

    async def add(self, category: Category, created_by: str) -> None:
        await self.session.execute(
            categories.insert().values(
                id=category.id,
                name=category.name,
                parent_id=category.parent_id,
                path=category.path,
                created_by=created_by,
            )
        )

    async def all(self) -> list[Category]:
        rows = await self.session.execute(select(categories).order_by(categories.c.path))
        return [Category(r.id, r.name, r.parent_id, r.path) for r in rows]
