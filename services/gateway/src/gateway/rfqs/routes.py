"""/rfqs (+ proposals, comparison, award). A first line of checks (the procurement service
decides): writes need the purchasing role; RFQs hold prices, so purchasing and finance read them.
Recording a proposal and awarding one pass the Idempotency-Key on as the request_id."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.rfqs.schemas import Award, AwardIn, Comparison, ProposalIn, Rfq, RfqIn, RfqPage
from oms.procurement.v1 import procurement_pb2 as pb

router = APIRouter(prefix="/rfqs", tags=["procurement"])
routers = (router,)

WRITERS = require("purchasing")
PRICE_READERS = require("purchasing", "finance")


@router.post("", status_code=201, response_model=Rfq, dependencies=[WRITERS])
async def create_rfq(body: RfqIn, request: Request, response: Response) -> Rfq:
    """Sends lines to price to several suppliers at once; open until awarded."""
    reply = await request.app.state.clients.procurement.CreateRfq(body.to_proto())
    response.headers["Location"] = f"{request.url.path}/{reply.rfq.id}"
    return Rfq.model_validate(reply.rfq)


@router.get("", response_model=RfqPage, dependencies=[PRICE_READERS])
async def list_rfqs(
    request: Request,
    status: Annotated[str, Query(max_length=16, description="open or awarded")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> RfqPage:
    """RFQs, newest first."""
    reply = await request.app.state.clients.procurement.ListRfqs(
        pb.ListRfqsRequest(status=status, page_size=page_size, page_token=page_token)
    )
    return RfqPage(
        items=[Rfq.model_validate(r) for r in reply.rfqs], next_page_token=reply.next_page_token
    )


@router.get("/{rfq_id}", response_model=Rfq, dependencies=[PRICE_READERS])
async def get_rfq(rfq_id: IdPath, request: Request) -> Rfq:
    reply = await request.app.state.clients.procurement.GetRfq(pb.GetRfqRequest(rfq_id=rfq_id))
    return Rfq.model_validate(reply.rfq)


@router.post("/{rfq_id}/proposals", response_model=Rfq, dependencies=[WRITERS])
async def record_proposal(rfq_id: IdPath, body: ProposalIn, request: Request) -> Rfq:
    """Records a supplier's proposal, replacing its earlier one (409, field `deadline`, once the
    deadline has passed)."""
    reply = await request.app.state.clients.procurement.RecordProposal(
        body.to_proto(rfq_id, request_id(request))
    )
    return Rfq.model_validate(reply.rfq)


@router.get("/{rfq_id}/comparison", response_model=Comparison, dependencies=[PRICE_READERS])
async def compare_proposals(rfq_id: IdPath, request: Request) -> Comparison:
    """The proposals side by side, totalled by the pricing engine, cheapest first and marked."""
    reply = await request.app.state.clients.procurement.CompareProposals(
        pb.CompareProposalsRequest(rfq_id=rfq_id)
    )
    return Comparison.model_validate(reply)


@router.post("/{rfq_id}/award", status_code=201, response_model=Award, dependencies=[WRITERS])
async def award_proposal(
    rfq_id: IdPath, body: AwardIn, request: Request, response: Response
) -> Award:
    """Awards a supplier's proposal; answers with the draft purchase order made from it."""
    reply = await request.app.state.clients.procurement.AwardProposal(
        pb.AwardProposalRequest(
            rfq_id=rfq_id, supplier_id=body.supplier_id, request_id=request_id(request)
        )
    )
    response.headers["Location"] = f"/api/v1/purchase-orders/{reply.purchase_order.id}"
    return Award.model_validate(reply)
