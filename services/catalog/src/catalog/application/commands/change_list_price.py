"""ChangeListPrice: a selling product's list price, in its own currency, announced (old and new)
and logged."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.product_edits import locked_product, log_product_change
from catalog.application.reading import Shown, shown
from catalog.domain.product_changes import change_price
from catalog.domain.products import Product


@dataclass(frozen=True)
class ChangeListPrice:
    product_id: str
    amount: str
    currency: str


async def change_list_price(units: UnitsOfWork, command: ChangeListPrice) -> Shown[Product]:
    async with units() as uow:
        before = await locked_product(uow, command.product_id)
        after, event = change_price(before, command.amount, command.currency)
        await uow.products.save(after)
        await uow.publish(event)
        await log_product_change(uow, before, after, "list_price_changed")
    return shown(after)
