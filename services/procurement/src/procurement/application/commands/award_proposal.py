"""An RFQ awarded to one supplier's proposal: in the same transaction, a draft purchase order
at the proposal's prices, terms and lead time."""

from __future__ import annotations

from dataclasses import dataclass, field

from procurement.application.changes import RFQ
from procurement.application.lookups import found_order, found_rfq
from procurement.application.order_changes import add_order
from procurement.application.ports import Ports, RequestKey
from procurement.domain.purchase_orders import PurchaseOrder, Source
from procurement.domain.rfqs import Rfq

AWARD = "award_proposal"


@dataclass(frozen=True)
class AwardProposal:
    rfq_id: str
    supplier_id: str
    request: RequestKey = field(default_factory=RequestKey)


async def award_proposal(ports: Ports, command: AwardProposal) -> tuple[Rfq, PurchaseOrder]:
    """A retry with the command's request id answers the RFQ and the purchase order the first
    call made, without a second order."""
    key = command.request
    now = ports.clock.now()
    async with ports.uow() as uow:
        if await uow.requests.claim(AWARD, key.request_id, key.fingerprint):
            rfq = await found_rfq(uow, command.rfq_id, for_update=True)
            return rfq, await found_order(uow, rfq.purchase_order_id)
        rfq = await found_rfq(uow, command.rfq_id, for_update=True)
        proposal = rfq.award(command.supplier_id, now.date())
        supplier = await uow.suppliers.get(command.supplier_id)
        content = rfq.order_content(
            proposal, supplier.payment_terms if supplier else "", now.date()
        )
        document = rfq.order_document(proposal)
        order = await add_order(uow, content, document, Source.RFQ, now, rfq.id)
        rfq.ordered(order.id, now)
        await uow.rfqs.save(rfq)
        awarded = {
            "status": rfq.status.value,
            "supplier_id": rfq.awarded_supplier_id,
            "purchase_order_id": order.id,
        }
        await uow.changes.record(RFQ, rfq.id, "awarded", before={"status": "open"}, after=awarded)
        await uow.requests.complete(AWARD, key.request_id, rfq.id)
    return rfq, order
