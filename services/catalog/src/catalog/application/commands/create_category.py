"""CreateCategory: a category, at the root or under a known parent; logged. A request sent again
with the same id returns the first category."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.records import CATEGORY, category_record
from catalog.domain.categories import Category, new_category
from servicekit.context import current_principal
from servicekit.errors import NotFound

# The operation whose request ids the catalog keeps.
OPERATION = "create_category"


@dataclass(frozen=True)
class CreateCategory:
    name: str
    # "" for a root category
    parent_id: str = ""
    # The client's id for this request ("" for none), and a fingerprint of what it asked.
    request_id: str = ""
    fingerprint: str = ""


async def create_category(units: UnitsOfWork, command: CreateCategory) -> Category:
    """The new category; for a `request_id` seen before, the category that request created (what
    it asked, the fingerprint, must then be the same)."""
    parent_id = command.parent_id
    async with units() as uow:
        done = await uow.requests.claim(OPERATION, command.request_id, command.fingerprint)
        if done is not None:
            first = await uow.categories.get(done)
            assert first is not None  # categories are never deleted
            return first
        parent = await uow.categories.get(parent_id) if parent_id else None
        if parent_id and parent is None:
            raise NotFound(f"category {parent_id} not found")
        category = new_category(command.name, parent)
        await uow.categories.add(category, current_principal().subject)
        await uow.changes.record(CATEGORY, category.id, "created", after=category_record(category))
        await uow.requests.complete(OPERATION, command.request_id, category.id)
    return category
