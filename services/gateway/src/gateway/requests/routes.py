"""/requests: every incoming customer request, registered, listed, lost with a reason or quoted
in one step; /reports/lost-demand. A first line of checks (the quoting service decides, and a
salesperson works only their own requests, a manager their team's). Registering passes the
Idempotency-Key on as the request_id."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from gateway.quotes.schemas import Quote, quote_json
from gateway.requests.schemas import (
    CustomerRequest,
    CustomerRequestIn,
    CustomerRequestPage,
    LostDemandReport,
    LostIn,
    RequestQuoteIn,
    Source,
)
from oms.quoting.v1 import quoting_pb2 as pb

router = APIRouter(prefix="/requests", tags=["quoting"])
reports = APIRouter(prefix="/reports", tags=["quoting"])
routers = (router, reports)

TAKERS = require("sales", "sales-manager", "order-desk")
WORKERS = require("sales", "sales-manager")
REPORT_READERS = require("sales", "sales-manager", "order-desk", "finance")

RegisteredOn = Annotated[date | None, Query(description="YYYY-MM-DD, UTC, included")]
QUOTED = located("getQuote", "quote_id", "The quote drafted from the request.")


@router.post(
    "",
    status_code=201,
    response_model=CustomerRequest,
    dependencies=[TAKERS],
    operation_id="registerRequest",
    summary="Register a customer request",
    responses=located("getRequest", "request_id", "The request registered."),
)
async def register_request(
    body: CustomerRequestIn, request: Request, response: Response
) -> CustomerRequest:
    """Registers an incoming request (status open), numbered "REQ-2026-000001". You own it
    unless you are a sales manager or the order desk naming its `owner`. Sent again with the
    same `Idempotency-Key`, answers the first request."""
    reply = await request.app.state.clients.quoting.RegisterRequest(
        body.to_proto(request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.request.id}"
    return CustomerRequest.model_validate(reply.request)


@router.get(
    "",
    response_model=CustomerRequestPage,
    dependencies=[TAKERS],
    operation_id="listRequests",
    summary="List customer requests",
)
async def list_requests(
    request: Request,
    status: Annotated[Literal["open", "quoted", "lost"] | None, Query()] = None,
    owner: Annotated[str, Query(max_length=200, description="the salesperson responsible")] = "",
    source: Annotated[Source | None, Query(description="how requests came in")] = None,
    customer_id: IdQuery = "",
    created_from: RegisteredOn = None,
    created_to: RegisteredOn = None,
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> CustomerRequestPage:
    """The requests you may see (a salesperson: their own; a sales manager: the team's; the
    order desk: all), newest first."""
    reply = await request.app.state.clients.quoting.ListRequests(
        pb.ListRequestsRequest(
            status=status or "",
            owner=owner,
            source=source or "",
            customer_id=customer_id,
            created_from=created_from.isoformat() if created_from else "",
            created_to=created_to.isoformat() if created_to else "",
            page_size=page_size,
            page_token=page_token,
        )
    )
    return CustomerRequestPage(
        items=[CustomerRequest.model_validate(r) for r in reply.requests],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/{request_id}",
    response_model=CustomerRequest,
    dependencies=[TAKERS],
    operation_id="getRequest",
    summary="Get a customer request",
    responses=problems(404),
)
async def get_request(request_id: IdPath, request: Request) -> CustomerRequest:
    """One customer request, if it is yours (or your team's) to see."""
    reply = await request.app.state.clients.quoting.GetRequest(
        pb.GetRequestRequest(request_id=request_id)
    )
    return CustomerRequest.model_validate(reply.request)


@router.post(
    "/{request_id}/lost",
    response_model=CustomerRequest,
    dependencies=[WORKERS],
    operation_id="markRequestLost",
    summary="Mark a customer request lost",
    responses=problems(404, 409),
)
async def mark_lost(request_id: IdPath, body: LostIn, request: Request) -> CustomerRequest:
    """open -> lost, with the reason (409 unless it is open)."""
    reply = await request.app.state.clients.quoting.MarkRequestLost(
        pb.MarkRequestLostRequest(request_id=request_id, reason=body.reason, note=body.note)
    )
    return CustomerRequest.model_validate(reply.request)


@router.post(
    "/{request_id}/quote",
    status_code=201,
    response_model=Quote,
    dependencies=[WORKERS],
    operation_id="quoteRequest",
    summary="Quote a customer request",
    responses=QUOTED | problems(404, 409),
)
async def quote_request(request_id: IdPath, body: RequestQuoteIn, request: Request) -> Response:
    """Drafts a quote from an open request in one step, priced as POST /quotes prices one,
    for the request's customer and owner unless the body names others; the request becomes
    quoted with the quote's id. 422 on `customer_id` when neither the body nor the request
    names a customer; 409 unless the request is open."""
    reply = await request.app.state.clients.quoting.QuoteRequest(
        pb.QuoteRequestRequest(request_id=request_id, content=body.to_proto())
    )
    answer = Response(quote_json(reply.quote), 201, media_type="application/json")
    answer.headers["Location"] = f"/api/v1/quotes/{reply.quote.id}"
    return answer


@reports.get(
    "/lost-demand",
    response_model=LostDemandReport,
    dependencies=[REPORT_READERS],
    operation_id="getLostDemandReport",
    summary="Lost demand by period and reason",
)
async def lost_demand(
    request: Request,
    from_: Annotated[date, Query(alias="from", description="YYYY-MM-DD, UTC, included")],
    to: Annotated[date, Query(description="YYYY-MM-DD, UTC, included; not before `from`")],
    period: Annotated[Literal["month", "quarter"], Query()] = "month",
) -> LostDemandReport:
    """The requests lost (by the day they were lost) from `from` to `to`, by period and reason,
    with their number and estimated value per currency, and the totals per reason. A
    salesperson sees their own, a sales manager the team's, finance and the order desk all."""
    reply = await request.app.state.clients.quoting.LostDemandReport(
        pb.LostDemandReportRequest(
            from_date=from_.isoformat(), to_date=to.isoformat(), period=period
        )
    )
    return LostDemandReport.model_validate(reply)
