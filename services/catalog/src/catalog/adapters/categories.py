"""Categories in PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from catalog.adapters.tables import categories
from catalog.domain.categories import Category
from servicekit.db import Transaction


class SqlCategoryRepository:
    def __init__(self, session: Transaction) -> None:
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

    async def page(self, after_path: str, limit: int) -> list[Category]:
        """Categories by path (so parents before children), after `after_path`."""
        query = select(categories).where(categories.c.path > after_path)
        rows = await self.session.execute(query.order_by(categories.c.path).limit(limit))
        return [Category(r.id, r.name, r.parent_id, r.path) for r in rows]
