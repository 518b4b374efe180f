"""RFQs, one or a page at a time newest first, and one RFQ's proposals side by side."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.lookups import found_rfq
from procurement.application.ports import Ports
from procurement.domain.rfqs import Offer, Rfq, RfqStatus
from servicekit.errors import InvalidArgument
from servicekit.paging import newest_after, newest_page, page_limit


@dataclass(frozen=True)
class Comparison:
    rfq: Rfq
    # Cheapest first, expired ones last (Rfq.offers).
    offers: list[Offer]
    supplier_names: dict[str, str]


async def get_rfq(ports: Ports, rfq_id: str) -> Rfq:
    async with ports.uow() as uow:
        return await found_rfq(uow, rfq_id)


async def list_rfqs(
    ports: Ports, status: str, page_size: int, page_token: str
) -> tuple[list[Rfq], str]:
    """Newest first, of `status` when given; the next page's token (empty on the last)."""
    limit = page_limit(page_size)
    if status and status not in set(RfqStatus):
        raise InvalidArgument.of("status", f"one of {', '.join(RfqStatus)}")
    after = newest_after(page_token)
    async with ports.uow() as uow:
        found = await uow.rfqs.page(status, after, limit + 1)
    return newest_page(found, limit)


async def compare_proposals(ports: Ports, rfq_id: str) -> Comparison:
    """Every proposal at the RFQ's quantities, priced by the engine, and who made it."""
    async with ports.uow() as uow:
        rfq = await found_rfq(uow, rfq_id)
        suppliers = await uow.suppliers.find(rfq.supplier_ids)
    offers = rfq.offers(ports.clock.now().date())
    return Comparison(rfq, offers, {s.id: s.name for s in suppliers})
