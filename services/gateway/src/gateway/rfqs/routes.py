"""/rfqs (+ proposals, comparison, award). A first line of checks (the procurement service
decides): writes need the purchasing role; RFQs hold prices, so purchasing and finance read them.
Creating an RFQ, recording a proposal and awarding one pass the Idempotency-Key on as the
request_id."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from gateway.rfqs.schemas import Award, AwardIn, Comparison, ProposalIn, Rfq, RfqIn, RfqPage
from oms.procurement.v1 import procurement_pb2 as pb

router = APIRouter(prefix="/rfqs", tags=["procurement"])
routers = (router,)

WRITERS = require("purchasing")
PRICE_READERS = require("purchasing", "finance")
# The award's Location is the purchase order it made: the body's purchase_order.id.
AWARDED = located("getPurchaseOrder", "purchase_order_id", "The RFQ awarded and its order.")
AWARDED[201]["links"]["getPurchaseOrder"]["parameters"] = {
    "purchase_order_id": "$response.body#/purchase_order/id"
}


@router.post(
    "",
    operation_id="createRfq",
    summary="Create a request for quotation",
    status_code=201,
    response_model=Rfq,
    dependencies=[WRITERS],
    responses=located("getRfq", "rfq_id", "The RFQ created."),
)
async def create_rfq(body: RfqIn, request: Request, response: Response) -> Rfq:
    """Sends lines to price to several suppliers at once; the RFQ is open until awarded and
    takes proposals until its deadline. Purchasing only. Its Idempotency-Key goes on to
    procurement as the `request_id`."""
    reply = await request.app.state.clients.procurement.CreateRfq(
        body.to_proto(request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.rfq.id}"
    return Rfq.model_validate(reply.rfq)


@router.get(
    "",
    operation_id="listRfqs",
    summary="List requests for quotation",
    response_model=RfqPage,
    dependencies=[PRICE_READERS],
)
async def list_rfqs(
    request: Request,
    status: Annotated[str, Query(max_length=16, description="open or awarded")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> RfqPage:
    """RFQs, newest first; `status` narrows to open or awarded ones. Purchasing and finance may
    read them."""
    reply = await request.app.state.clients.procurement.ListRfqs(
        pb.ListRfqsRequest(status=status, page_size=page_size, page_token=page_token)
    )
    return RfqPage(
        items=[Rfq.model_validate(r) for r in reply.rfqs], next_page_token=reply.next_page_token
    )


@router.get(
    "/{rfq_id}",
    operation_id="getRfq",
    summary="Get a request for quotation",
    response_model=Rfq,
    dependencies=[PRICE_READERS],
    responses=problems(404),
)
async def get_rfq(rfq_id: IdPath, request: Request) -> Rfq:
    """One RFQ with its lines, the proposals recorded and the award. Purchasing and finance may
    read it; 404 when there is no such RFQ."""
    reply = await request.app.state.clients.procurement.GetRfq(pb.GetRfqRequest(rfq_id=rfq_id))
    return Rfq.model_validate(reply.rfq)


@router.post(
    "/{rfq_id}/proposals",
    operation_id="recordProposal",
    summary="Record a supplier's proposal",
    response_model=Rfq,
    dependencies=[WRITERS],
    responses=problems(404, 409),
)
async def record_proposal(rfq_id: IdPath, body: ProposalIn, request: Request) -> Rfq:
    """Records a supplier's proposal, replacing its earlier one (409, field `deadline`, once the
    deadline has passed or the RFQ is awarded), and answers the RFQ with it; 404 when there is no
    such RFQ. Purchasing only."""
    reply = await request.app.state.clients.procurement.RecordProposal(
        body.to_proto(rfq_id, request_id(request))
    )
    return Rfq.model_validate(reply.rfq)


@router.get(
    "/{rfq_id}/comparison",
    operation_id="compareProposals",
    summary="Compare an RFQ's proposals",
    response_model=Comparison,
    dependencies=[PRICE_READERS],
    responses=problems(404),
)
async def compare_proposals(rfq_id: IdPath, request: Request) -> Comparison:
    """The proposals side by side, totalled by the pricing engine, cheapest first and marked,
    and the suppliers that have not proposed. Not paged: one offer per supplier asked (at most
    50). Purchasing and finance may read it; 404 when there is no such RFQ."""
    reply = await request.app.state.clients.procurement.CompareProposals(
        pb.CompareProposalsRequest(rfq_id=rfq_id)
    )
    return Comparison.model_validate(reply)


@router.post(
    "/{rfq_id}/award",
    operation_id="awardProposal",
    summary="Award a supplier's proposal",
    status_code=201,
    response_model=Award,
    dependencies=[WRITERS],
    responses=AWARDED | problems(404, 409),
)
async def award_proposal(
    rfq_id: IdPath, body: AwardIn, request: Request, response: Response
) -> Award:
    """Awards a supplier's proposal: answers the RFQ, now awarded, and the draft purchase order
    made from the proposal (its URL in Location). 409 when the RFQ is awarded already or the
    proposal has expired; 404 when there is no such RFQ. Purchasing only."""
    reply = await request.app.state.clients.procurement.AwardProposal(
        pb.AwardProposalRequest(
            rfq_id=rfq_id, supplier_id=body.supplier_id, request_id=request_id(request)
        )
    )
    response.headers["Location"] = f"/api/v1/purchase-orders/{reply.purchase_order.id}"
    return Award.model_validate(reply)
