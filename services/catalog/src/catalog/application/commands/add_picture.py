"""AddPicture: one more picture of a product, linked by URL or stored from its bytes; logged. A
request sent again with the same id adds no second picture."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.product_edits import locked_product, log_product_change
from catalog.application.reading import Shown, shown
from catalog.domain import product_changes
from catalog.domain.products import Product

# The operation whose request ids the catalog keeps.
OPERATION = "add_picture"


@dataclass(frozen=True)
class AddPicture:
    product_id: str
    # either a link or the picture's bytes
    url: str = ""
    content: bytes = b""
    content_type: str = ""
    alt_text: str = ""
    # The client's id for this request ("" for none), and a fingerprint of what it asked.
    request_id: str = ""
    fingerprint: str = ""


async def add_picture(units: UnitsOfWork, command: AddPicture) -> Shown[Product]:
    """The product with its new picture; for a `request_id` seen before (what it asked, the
    fingerprint, must then be the same), the product as it is now, without a second picture."""
    async with units() as uow:
        done = await uow.requests.claim(OPERATION, command.request_id, command.fingerprint)
        if done is not None:
            # the claim keeps the product's id: a replay answers the product, not the picture
            (product,) = await uow.products.get_many([done])
            return shown(product)
        before = await locked_product(uow, command.product_id)
        after, picture, stored = product_changes.add_picture(
            before, command.url, command.content, command.content_type, command.alt_text
        )
        await uow.products.add_picture(command.product_id, picture, stored)
        await log_product_change(uow, before, after, "picture_added")
        await uow.requests.complete(OPERATION, command.request_id, after.id)
    return shown(after)
