"""RFQ use cases: asking several suppliers, recording their proposals, comparing them and
awarding one, which becomes a draft purchase order in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from oms.procurement.v1 import procurement_pb2 as pb
from procurement.adapters.purchase_orders import PurchaseOrderRepository
from procurement.adapters.repository import SupplierRepository
from procurement.adapters.rfqs import RfqRepository
from procurement.application.changes import RFQ, proposal_fields, rfq_fields
from procurement.application.purchase_orders import add_order
from procurement.application.suppliers import utc_now
from procurement.domain.purchase_orders import PurchaseOrder, Source
from procurement.domain.rfqs import Offer, Rfq, RfqStatus, new_rfq
from servicekit.audit import AuditLog
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.idempotency import ProcessedRequests
from servicekit.paging import newest_after, newest_page, page_limit

RECORD = "record_proposal"
AWARD = "award_proposal"


@dataclass(frozen=True)
class Comparison:
    rfq: Rfq
    offers: list[Offer]
    supplier_names: dict[str, str]


async def _locked(repository: RfqRepository, rfq_id: str) -> Rfq:
    rfq = await repository.get(rfq_id, for_update=True)
    if rfq is None:
        raise NotFound(f"RFQ {rfq_id} not found")
    return rfq


class Rfqs:
    def __init__(
        self,
        database: Database,
        audit: AuditLog,
        requests: ProcessedRequests,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.audit = audit
        self.requests = requests
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
            await self.audit.record(session, RFQ, rfq.id, "created", after=rfq_fields(rfq))
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
            found = await RfqRepository(session).page(status, newest_after(token), limit + 1)
        return newest_page(found, limit)

    async def record(self, request: pb.RecordProposalRequest) -> Rfq:
        """A retry with the request's request_id records nothing again (a later proposal from
        the same supplier is not undone) and answers the RFQ as it is."""
        async with self.database.transaction() as session:
            repository = RfqRepository(session)
            if await self.requests.claim(session, RECORD, request.request_id, request):
                return await _locked(repository, request.rfq_id)
            rfq = await _locked(repository, request.rfq_id)
            before = rfq.proposals.get(request.supplier_id)
            proposal = rfq.record(request, self.clock(), current_principal().subject)
            await repository.save(rfq, proposal)
            await self.audit.record(
                session,
                RFQ,
                rfq.id,
                "proposal_recorded",
                before=proposal_fields(before) if before else None,
                after=proposal_fields(proposal),
            )
            await self.requests.complete(session, RECORD, request.request_id, rfq.id)
        return rfq

    async def compare(self, rfq_id: str) -> Comparison:
        rfq = await self.get(rfq_id)
        async with self.database.transaction() as session:
            suppliers = await SupplierRepository(session).find(rfq.supplier_ids)
        offers = rfq.offers(self.clock().date())
        return Comparison(rfq, offers, {s.id: s.name for s in suppliers})

    async def award(self, request: pb.AwardProposalRequest) -> tuple[Rfq, PurchaseOrder]:
        """A retry with the request's request_id answers the RFQ and the purchase order the
        first call made, without a second order."""
        now = self.clock()
        async with self.database.transaction() as session:
            repository = RfqRepository(session)
            if await self.requests.claim(session, AWARD, request.request_id, request):
                return await self._awarded(session, await _locked(repository, request.rfq_id))
            rfq = await _locked(repository, request.rfq_id)
            proposal = rfq.award(request.supplier_id, now.date())
            supplier = await SupplierRepository(session).get(request.supplier_id)
            content = rfq.order_content(
                proposal, supplier.payment_terms if supplier else "", now.date()
            )
            order = await add_order(
                session, self.audit, content, rfq.order_document(proposal), Source.RFQ, now, rfq.id
            )
            rfq.purchase_order_id = order.id
            rfq.updated_at = now
            await repository.save(rfq)
            awarded = {
                "status": rfq.status.value,
                "supplier_id": rfq.awarded_supplier_id,
                "purchase_order_id": order.id,
            }
            await self.audit.record(
                session, RFQ, rfq.id, "awarded", before={"status": "open"}, after=awarded
            )
            await self.requests.complete(session, AWARD, request.request_id, rfq.id)
        return rfq, order

    async def _awarded(self, session: AsyncSession, rfq: Rfq) -> tuple[Rfq, PurchaseOrder]:
        order = await PurchaseOrderRepository(session).get(rfq.purchase_order_id)
        if order is None:
            raise NotFound(f"purchase order {rfq.purchase_order_id} not found")
        return rfq, order
