"""ChangeProduct: a selling product's name, description, cost, category and tax category,
announced and logged."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.product_edits import locked_product, log_product_change
from catalog.application.reading import Shown, shown
from catalog.domain.product_changes import ProductEdit, change_details
from catalog.domain.products import Product


@dataclass(frozen=True)
class ChangeProduct:
    product_id: str
    edit: ProductEdit


async def change_product(units: UnitsOfWork, command: ChangeProduct) -> Shown[Product]:
    async with units() as uow:
        before = await locked_product(uow, command.product_id)
        category = command.edit.category_id
        known = not category or await uow.categories.get(category) is not None
        after, event = change_details(before, command.edit, known)
        await uow.products.save(after)
        await uow.publish(event)
        await log_product_change(uow, before, after, "changed")
    return shown(after)
