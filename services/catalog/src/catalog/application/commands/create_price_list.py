"""CreatePriceList: prices for a customer group (or everyone) in one currency, with quantity
breaks and validity dates, for products the catalog has; logged. A request sent again with the
same id returns the first list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.records import PRICE_LIST, price_list_record
from catalog.domain.price_lists import PriceList, new_price_list, parse_date
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument

# The operation whose request ids the catalog keeps.
OPERATION = "create_price_list"


@dataclass(frozen=True)
class CreatePriceList:
    name: str
    currency: str
    # "" prices for every customer
    customer_group: str
    # YYYY-MM-DD, or "" for open-ended; valid_to is inclusive
    valid_from: str
    valid_to: str
    # (product id, minimum quantity, unit price)
    breaks: Sequence[tuple[str, int, str]]
    # The client's id for this request ("" for none), and a fingerprint of what it asked.
    request_id: str = ""
    fingerprint: str = ""


async def create_price_list(units: UnitsOfWork, command: CreatePriceList) -> PriceList:
    """The new list; for a `request_id` seen before, the list that request created (what it
    asked, the fingerprint, must then be the same)."""
    price_list = new_price_list(
        command.name,
        command.currency,
        command.customer_group,
        parse_date("valid_from", command.valid_from),
        parse_date("valid_to", command.valid_to),
        command.breaks,
    )
    async with units() as uow:
        done = await uow.requests.claim(OPERATION, command.request_id, command.fingerprint)
        if done is not None:
            first = await uow.price_lists.get(done)
            assert first is not None  # price lists are never deleted
            return first
        ids = sorted({b.product_id for b in price_list.breaks})
        known = {p.id for p in await uow.products.get_many(ids)}
        unknown = [i for i, b in enumerate(command.breaks) if b[0] not in known]
        if unknown:
            raise InvalidArgument.of(f"breaks[{unknown[0]}].product_id", "unknown product")
        await uow.price_lists.add(price_list, current_principal().subject)
        await uow.changes.record(
            PRICE_LIST, price_list.id, "created", after=price_list_record(price_list)
        )
        await uow.requests.complete(OPERATION, command.request_id, price_list.id)
    return price_list
