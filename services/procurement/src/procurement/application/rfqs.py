"""RFQ use cases: asking several suppliers, recording their proposals, comparing them and
awarding one, which becomes a draft purchase order in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from oms.procurement.v1 import procurement_pb2 as pb
from procurement.adapters.repository import RfqRepository, SupplierRepository
from procurement.application.purchase_orders import add_order
from procurement.application.suppliers import utc_now
from procurement.domain.purchase_orders import PurchaseOrder, Source
from procurement.domain.rfqs import Offer, Rfq, RfqStatus, new_rfq
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.paging import newest_page, page_after, page_limit


@dataclass(frozen=True)
class Comparison:
    rfq: Rfq
    offers: list[Offer]
    supplier_names: dict[str, str]


class Rfqs:
    def __init__(self, database: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.database = database
        self.clock = clock

    async def create(self, request: pb.CreateRfqRequest) -> Rfq:
        deadline = request.deadline.ToDatetime(tzinfo=UTC) if request.HasField("deadline") else None
        async with self.database.transaction() as session:
            known = await SupplierRepository(session).find(request.supplier_ids)
            rfq = new_rfq(
                request,
                deadline,
                {s.id for s in known},
                self.clock(),
                current_principal().subject,
            )
            await RfqRepository(session).add(rfq)
        return rfq

    async def get(self, rfq_id: str) -> Rfq:
        async with self.database.transaction() as session:
            rfq = await RfqRepository(session).get(rfq_id)
        if rfq is None:
            raise NotFound(f"RFQ {rfq_id} not found")
        return rfq

    async def page(self, status: str, page_size: int, token: str) -> tuple[list[Rfq], str]:
        limit = page_limit(page_size)
        if status and status not in set(RfqStatus):
            raise InvalidArgument.of("status", f"one of {', '.join(RfqStatus)}")
        async with self.database.transaction() as session:
            found = await RfqRepository(session).page(status, page_after(token, 2), limit + 1)
        return newest_page(found, limit)

    async def record(self, request: pb.RecordProposalRequest) -> Rfq:
        async with self.database.transaction() as session:
            repository = RfqRepository(session)
            rfq = await repository.get(request.rfq_id, for_update=True)
            if rfq is None:
                raise NotFound(f"RFQ {request.rfq_id} not found")
            proposal = rfq.record(request, self.clock(), current_principal().subject)
            await repository.save(rfq, proposal)
        return rfq

    async def compare(self, rfq_id: str) -> Comparison:
        rfq = await self.get(rfq_id)
        async with self.database.transaction() as session:
            suppliers = await SupplierRepository(session).find(rfq.supplier_ids)
        offers = rfq.offers(self.clock().date())
        return Comparison(rfq, offers, {s.id: s.name for s in suppliers})

    async def award(self, rfq_id: str, supplier_id: str) -> tuple[Rfq, PurchaseOrder]:
        now = self.clock()
        async with self.database.transaction() as session:
            repository = RfqRepository(session)
            rfq = await repository.get(rfq_id, for_update=True)
            if rfq is None:
                raise NotFound(f"RFQ {rfq_id} not found")
            proposal = rfq.award(supplier_id, now.date())
            supplier = await SupplierRepository(session).get(supplier_id)
            content = rfq.order_content(
                proposal, supplier.payment_terms if supplier else "", now.date()
            )
            order = await add_order(
                session, content, rfq.order_document(proposal), Source.RFQ, now, rfq.id
            )
            rfq.purchase_order_id = order.id
            rfq.updated_at = now
            await repository.save(rfq)
        return rfq, order
