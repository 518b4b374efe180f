"""AddPicture: one more picture of a product, linked by URL or stored from its bytes; logged."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.product_edits import locked_product, log_product_change
from catalog.application.reading import Shown, shown
from catalog.domain import product_changes
from catalog.domain.products import Product


@dataclass(frozen=True)
class AddPicture:
    product_id: str
    # either a link or the picture's bytes
    url: str = ""
    content: bytes = b""
    content_type: str = ""
    alt_text: str = ""


async def add_picture(units: UnitsOfWork, command: AddPicture) -> Shown[Product]:
    async with units() as uow:
        before = await locked_product(uow, command.product_id)
        after, picture, stored = product_changes.add_picture(
            before, command.url, command.content, command.content_type, command.alt_text
        )
        await uow.products.add_picture(command.product_id, picture, stored)
        await log_product_change(uow, before, after, "picture_added")
    return shown(after)
