"""GetAvailability: units that can be sold now, per warehouse. A kit's are the whole kits its
components make up there, as the catalog keeps them (asked on inventory's own account)."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.application.ports import Catalog, UnitOfWork
from inventory.domain.availability import sellable
from inventory.domain.checks import check_product_id
from servicekit.errors import NotFound


@dataclass(frozen=True)
class Availability:
    product_id: str
    # The catalog's kind: "stocked", "service" or "kit".
    kind: str
    # (warehouse id, units) for every warehouse holding the product or a component, by id.
    warehouses: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(units for _, units in self.warehouses)


async def get_availability(uow: UnitOfWork, catalog: Catalog, product_id: str) -> Availability:
    """NotFound for a product the catalog does not have."""
    check_product_id(product_id)
    product = await catalog.product(product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    per_unit = dict(product.components) if product.kind == "kit" else {product.id: 1}
    async with uow:
        stock = await uow.levels.availability(per_unit)
    return Availability(product.id, product.kind, sellable(per_unit, stock))
