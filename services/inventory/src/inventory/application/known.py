"""What must exist before stock moves: the products (the catalog keeps them) and the warehouses."""

from __future__ import annotations

from collections.abc import Mapping

from inventory.application.ports import Catalog, UnitOfWork
from servicekit.errors import NotFound, Violations


async def require_products(catalog: Catalog, named: Mapping[str, str]) -> None:
    """Stock is kept only for products that exist: InvalidArgument naming each field (field ->
    product id) whose product the catalog does not know. Asked before any transaction opens."""
    unknown = set(await catalog.unknown(sorted(set(named.values()))))
    problems = Violations()
    for field, product_id in named.items():
        if product_id in unknown:
            problems.add(field, f"no product {product_id} in the catalog")
    problems.raise_if_any()


async def require_warehouses(uow: UnitOfWork, *warehouse_ids: str) -> None:
    """NotFound naming the first of `warehouse_ids` (in id order) that does not exist."""
    missing = await uow.warehouses.missing(warehouse_ids)
    if missing:
        raise NotFound(f"warehouse {missing[0]} not found")
