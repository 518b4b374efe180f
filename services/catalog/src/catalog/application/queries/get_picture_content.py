"""GetPictureContent: the bytes of a product's stored picture."""

from __future__ import annotations

from catalog.application.ports import UnitsOfWork
from catalog.domain.pictures import PictureContent
from servicekit.errors import NotFound


async def get_picture_content(
    units: UnitsOfWork, product_id: str, picture_id: str
) -> PictureContent:
    async with units() as uow:
        found = await uow.products.picture_content(product_id, picture_id)
    if found is None:
        raise NotFound(f"product {product_id} has no stored picture {picture_id}")
    return found
