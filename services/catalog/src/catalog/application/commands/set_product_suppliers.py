"""SetProductSuppliers: a product's suppliers, replaced as a whole and logged (nobody else is
told: suppliers and their costs are the buyers' business)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.product_edits import locked_product, log_product_change
from catalog.application.reading import Shown, shown
from catalog.domain.product_changes import set_suppliers
from catalog.domain.products import NewSupplier, Product


@dataclass(frozen=True)
class SetProductSuppliers:
    product_id: str
    suppliers: Sequence[NewSupplier]


async def set_product_suppliers(units: UnitsOfWork, command: SetProductSuppliers) -> Shown[Product]:
    async with units() as uow:
        before = await locked_product(uow, command.product_id)
        after = set_suppliers(before, command.suppliers)
        await uow.products.replace_suppliers(after)
        await log_product_change(uow, before, after, "suppliers_set")
    return shown(after)
