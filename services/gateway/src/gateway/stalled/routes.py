"""The saga steps that stalled (an event orders could not apply, an answer awaited past the
deadline), for the order desk, and its retry once the cause is fixed. `GET /sales-orders?
status=stalled` lists the existing orders among them; this list also has the accepted quotes
whose order was never made. Registered before /sales-orders/{id}, so "stalled" is no order id."""

from fastapi import APIRouter, Request

from gateway.bodies import IdPath, PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.openapi import problems
from gateway.stalled.schemas import StalledStep, StalledStepList
from oms.orders.v1 import orders_pb2 as pb

router = APIRouter(prefix="/sales-orders", tags=["orders"])
routers = (router,)
DESK = require("order-desk")


@router.get(
    "/stalled",
    response_model=StalledStepList,
    dependencies=[DESK],
    operation_id="listStalledSteps",
    summary="List stalled saga steps",
)
async def stalled_steps(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> StalledStepList:
    """Steps still stalled, oldest first, with the reason."""
    reply = await request.app.state.clients.orders.ListStalledSteps(
        pb.ListStalledStepsRequest(page_size=page_size, page_token=page_token)
    )
    return StalledStepList(
        items=[StalledStep.model_validate(s) for s in reply.steps],
        next_page_token=reply.next_page_token,
    )


@router.post(
    "/{order_id}/retry",
    response_model=list[StalledStep],
    dependencies=[DESK],
    operation_id="retryStalledSteps",
    summary="Retry an order's stalled steps",
    responses=problems(404),
)
async def retry(order_id: IdPath, request: Request) -> list[StalledStep]:
    """Re-drives the order's stalled steps (idempotent): each is resolved, or still stalled with
    the new reason."""
    reply = await request.app.state.clients.orders.RetryStalledSteps(
        pb.RetryStalledStepsRequest(order_id=order_id)
    )
    return [StalledStep.model_validate(s) for s in reply.steps]
