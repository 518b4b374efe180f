"""CreateCategory: a category, at the root or under a known parent; logged."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.records import CATEGORY, category_record
from catalog.domain.categories import Category, new_category
from servicekit.context import current_principal
from servicekit.errors import NotFound


@dataclass(frozen=True)
class CreateCategory:
    name: str
    # "" for a root category
    parent_id: str = ""


async def create_category(units: UnitsOfWork, command: CreateCategory) -> Category:
    parent_id = command.parent_id
    async with units() as uow:
        parent = await uow.categories.get(parent_id) if parent_id else None
        if parent_id and parent is None:
            raise NotFound(f"category {parent_id} not found")
        category = new_category(command.name, parent)
        await uow.categories.add(category, current_principal().subject)
        await uow.changes.record(CATEGORY, category.id, "created", after=category_record(category))
    return category
