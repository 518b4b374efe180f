"""DiscontinueProduct: a product is no longer sold, announced and logged; once only."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.product_edits import locked_product, log_product_change
from catalog.application.reading import Shown, shown
from catalog.domain.product_changes import discontinue
from catalog.domain.products import Product


@dataclass(frozen=True)
class DiscontinueProduct:
    product_id: str


async def discontinue_product(units: UnitsOfWork, command: DiscontinueProduct) -> Shown[Product]:
    async with units() as uow:
        before = await locked_product(uow, command.product_id)
        after, event = discontinue(before)
        await uow.products.save(after)
        await uow.publish(event)
        await log_product_change(uow, before, after, "discontinued")
    return shown(after)
