"""/sales-orders, and the composed order summary. The role checks here are a first line; the
orders service decides again, and also whose orders each person reaches and which figures they
see. POSTs that place an order, authorize a return or record a cost pass the Idempotency-Key on
as `request_id`."""

import asyncio
import logging
from collections.abc import Awaitable
from typing import Annotated, TypeVar

import grpc
from fastapi import APIRouter, Path, Query, Request, Response

from gateway.billing.schemas import Invoice
from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import AnyUser, require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from gateway.inventory.schemas import OrderShipment
from gateway.orders import planning
from gateway.orders.schemas import (
    CancelIn,
    CostIn,
    History,
    HistoryEntry,
    MissingPart,
    OrderChangeIn,
    OrderSummary,
    OrderTotals,
    ReturnAuthorised,
    ReturnIn,
    SalesOrder,
    SalesOrderIn,
    SalesOrderPage,
    Timeline,
    TimelineEntry,
    TransitionIn,
)
from oms.billing.v1 import billing_pb2
from oms.inventory.v1 import inventory_pb2
from oms.orders.v1 import orders_pb2 as pb
from servicekit.context import Principal

router = APIRouter(prefix="/sales-orders", tags=["orders"])
routers = (router, planning.reports, planning.pipelines)

OrderId = IdPath
OrderType = Annotated[str, Path(max_length=30)]
Filter = Annotated[str, Query(max_length=50)]
SELLERS = ("sales", "sales-manager", "order-desk")
# Who sees no prices, so gets no invoices in the summary (billing refuses them too).
PRICE_BLIND = ("warehouse", "purchasing")
# Why a part of the summary is missing, for the errors that say the service cannot answer now
# (not that the request was wrong): only these leave the rest of the summary standing.
_MISSING_REASONS = {
    grpc.StatusCode.UNAVAILABLE: "unavailable",
    grpc.StatusCode.DEADLINE_EXCEEDED: "timeout",
    grpc.StatusCode.INTERNAL: "failed",
    grpc.StatusCode.UNKNOWN: "failed",
    grpc.StatusCode.RESOURCE_EXHAUSTED: "failed",
}
T = TypeVar("T")
log = logging.getLogger(__name__)


@router.post(
    "",
    status_code=201,
    response_model=SalesOrder,
    dependencies=[require(*SELLERS)],
    operation_id="placeSalesOrder",
    summary="Place a sales order",
    responses=located("getSalesOrder", "order_id") | problems(404, 409),
)
async def place_order(body: SalesOrderIn, request: Request, response: Response) -> SalesOrder:
    """Places an order for a registered customer in your name (the order desk and sales
    managers may name another salesperson); a second order with the same channel and
    `external_reference` returns the first."""
    reply = await request.app.state.clients.orders.PlaceSalesOrder(
        body.to_proto(request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.order.id}"
    return SalesOrder.model_validate(reply.order)


@router.get(
    "",
    response_model=SalesOrderPage,
    dependencies=[AnyUser],
    operation_id="listSalesOrders",
    summary="List sales orders",
)
async def list_orders(
    request: Request,
    status: Filter = "",
    customer_id: IdQuery = "",
    salesperson: Annotated[str, Query(max_length=200)] = "",
    channel: Filter = "",
    order_type: Filter = "",
    category_id: IdQuery = "",
    created_from: Annotated[str, Query(max_length=40, description="RFC 3339, inclusive")] = "",
    created_to: Annotated[str, Query(max_length=40, description="RFC 3339, exclusive")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> SalesOrderPage:
    """The order desk's query: newest first, with totals of every match per currency; a
    salesperson sees their own orders, a sales manager the team's."""
    reply = await request.app.state.clients.orders.ListSalesOrders(
        pb.ListSalesOrdersRequest(
            status=status,
            customer_id=customer_id,
            salesperson=salesperson,
            channel=channel,
            order_type=order_type,
            category_id=category_id,
            created_from=created_from,
            created_to=created_to,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return SalesOrderPage(
        items=[SalesOrder.model_validate(o) for o in reply.orders],
        next_page_token=reply.next_page_token,
        totals=[OrderTotals.model_validate(t) for t in reply.totals],
    )


@router.get(
    "/{order_id}",
    response_model=SalesOrder,
    dependencies=[AnyUser],
    operation_id="getSalesOrder",
    summary="Get a sales order",
    responses=problems(404),
)
async def get_order(order_id: OrderId, request: Request) -> SalesOrder:
    """A sales order as your role may see it (no prices for the warehouse and purchasing)."""
    reply = await request.app.state.clients.orders.GetSalesOrder(
        pb.GetSalesOrderRequest(order_id=order_id)
    )
    return SalesOrder.model_validate(reply.order)


@router.get(
    "/{order_id}/summary",
    response_model=OrderSummary,
    operation_id="getSalesOrderSummary",
    summary="Get a sales order's summary",
    responses=problems(404),
)
async def summary(
    order_id: OrderId, request: Request, caller: Annotated[Principal, AnyUser]
) -> OrderSummary:
    """The order with its shipments and invoices, asked of three services at once; no invoices
    for the warehouse and purchasing. Without the order there is no summary (its error); a
    shipment or invoice service that cannot answer leaves its part empty and named in
    `missing`."""
    clients = request.app.state.clients
    order_call = clients.orders.GetSalesOrder(pb.GetSalesOrderRequest(order_id=order_id))
    shipments_call = _part(
        "shipments",
        "inventory",
        clients.inventory.ListShipments(inventory_pb2.ListShipmentsRequest(order_id=order_id)),
    )
    invoices_call = _part(
        "invoices",
        "billing",
        clients.billing.ListInvoices(billing_pb2.ListInvoicesRequest(order_id=order_id))
        if not caller.has_only(*PRICE_BLIND)
        else _no_invoices(),
    )
    # return_exceptions: every lookup ends before the request does, whichever fails first
    order, shipments, invoices = await asyncio.gather(
        order_call, shipments_call, invoices_call, return_exceptions=True
    )
    for answer in (order, shipments, invoices):
        if isinstance(answer, BaseException):
            raise answer  # the order's error first: without the order there is no summary
    missing = [part for part in (shipments, invoices) if isinstance(part, MissingPart)]
    return OrderSummary(
        order=SalesOrder.model_validate(order.order),
        shipments=[]
        if isinstance(shipments, MissingPart)
        else [OrderShipment.model_validate(s) for s in shipments.shipments],
        invoices=[]
        if isinstance(invoices, MissingPart)
        else [Invoice.model_validate(i) for i in invoices.invoices],
        missing=missing,
    )


async def _no_invoices() -> billing_pb2.ListInvoicesResponse:
    return billing_pb2.ListInvoicesResponse()


async def _part(part: str, service: str, lookup: Awaitable[T]) -> T | MissingPart:
    """The answer, or the part named missing when the service cannot answer now; any other
    error (not found, refused) is the caller's answer and raised."""
    try:
        return await lookup
    except grpc.aio.AioRpcError as error:
        reason = _MISSING_REASONS.get(error.code())
        if reason is None:
            raise
        log.warning("summary without %s: %s %s", part, error.code().name, error.details())
        return MissingPart.model_validate({"part": part, "service": service, "reason": reason})


@router.post(
    "/{order_id}/transitions",
    response_model=SalesOrder,
    dependencies=[require(*SELLERS, "finance")],
    operation_id="transitionSalesOrder",
    summary="Move a sales order to another stage",
    responses=problems(404, 409),
)
async def transition(order_id: OrderId, body: TransitionIn, request: Request) -> SalesOrder:
    """Moves the order through its pipeline; 409 for a move the pipeline forbids or a credit
    hold, 403 for a role without the right, 422 for a field the stage requires. Finance releases
    a credit hold with `release_credit_hold`."""
    reply = await request.app.state.clients.orders.TransitionSalesOrder(
        pb.TransitionSalesOrderRequest(
            order_id=order_id,
            to_stage=body.to_stage,
            fields=body.fields,
            reason=body.reason,
            release_credit_hold=body.release_credit_hold,
        )
    )
    return SalesOrder.model_validate(reply.order)


@router.get(
    "/{order_id}/history",
    response_model=History,
    dependencies=[require(*SELLERS, "finance")],
    operation_id="getSalesOrderHistory",
    summary="Get a sales order's history",
    responses=problems(404),
)
async def history(
    order_id: OrderId, request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> History:
    """Every move and change of the order, oldest first."""
    reply = await request.app.state.clients.orders.GetSalesOrderHistory(
        pb.GetSalesOrderHistoryRequest(
            order_id=order_id, page_size=page_size, page_token=page_token
        )
    )
    return History(
        items=[HistoryEntry.model_validate(e) for e in reply.entries],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/{order_id}/timeline",
    response_model=Timeline,
    dependencies=[AnyUser],
    operation_id="getSalesOrderTimeline",
    summary="Get a sales order's timeline",
    responses=problems(404),
)
async def timeline(order_id: OrderId, request: Request) -> Timeline:
    """Everything that happened to the order in every service, oldest first: each event that
    names it (or its invoices, or the quote it came from) with who caused it, the event or
    request that led to it, and its trace id. Those who may read the order may read it (a
    salesperson their own orders). Fed by the events, so the latest may take a moment to show;
    `docs/activity.md` says how it is rebuilt."""
    reply = await request.app.state.clients.orders.GetOrderTimeline(
        pb.GetOrderTimelineRequest(order_id=order_id)
    )
    return Timeline(items=[TimelineEntry.model_validate(e) for e in reply.entries])


@router.post(
    "/{order_id}/cancel",
    response_model=SalesOrder,
    dependencies=[require("order-desk")],
    operation_id="cancelSalesOrder",
    summary="Cancel a sales order",
    responses=problems(404, 409),
)
async def cancel(order_id: OrderId, body: CancelIn, request: Request) -> SalesOrder:
    """Cancels the order, with the reason; its reservations are released. 409 once
    anything has shipped."""
    reply = await request.app.state.clients.orders.CancelSalesOrder(
        pb.CancelSalesOrderRequest(order_id=order_id, reason=body.reason)
    )
    return SalesOrder.model_validate(reply.order)


@router.patch(
    "/{order_id}",
    response_model=SalesOrder,
    dependencies=[require(*SELLERS)],
    operation_id="changeSalesOrder",
    summary="Change a sales order",
    responses=problems(404, 409),
)
async def change(order_id: OrderId, body: OrderChangeIn, request: Request) -> SalesOrder:
    """New quantities or a new shipping address, before what they touch has shipped."""
    reply = await request.app.state.clients.orders.ChangeSalesOrder(
        pb.ChangeSalesOrderRequest(
            order_id=order_id,
            lines=[pb.LineQuantity(line_id=x.line_id, quantity=x.quantity) for x in body.lines],
            shipping_address=body.shipping_address or {},
        )
    )
    return SalesOrder.model_validate(reply.order)


@router.post(
    "/{order_id}/returns",
    status_code=201,
    response_model=ReturnAuthorised,
    dependencies=[require("order-desk")],
    operation_id="authorizeReturn",
    summary="Authorize a return",
    responses=problems(404, 409),
)
async def authorize_return(order_id: OrderId, body: ReturnIn, request: Request) -> ReturnAuthorised:
    """Authorizes the return of shipped units of the order's lines; the warehouse receives
    them with `POST /returns/{return_id}/receipt`. Its Idempotency-Key goes on to orders as the
    `request_id`."""
    reply = await request.app.state.clients.orders.AuthorizeReturn(
        pb.AuthorizeReturnRequest(
            order_id=order_id,
            reason=body.reason,
            lines=[pb.LineQuantity(line_id=x.line_id, quantity=x.quantity) for x in body.lines],
            request_id=request_id(request),
        )
    )
    return ReturnAuthorised(return_id=reply.return_id, order=SalesOrder.model_validate(reply.order))


@router.post(
    "/{order_id}/costs",
    status_code=201,
    response_model=SalesOrder,
    dependencies=[require("order-desk", "finance")],
    operation_id="recordOrderCost",
    summary="Record a cost of a sales order",
    responses=problems(404, 409),
)
async def record_cost(order_id: OrderId, body: CostIn, request: Request) -> SalesOrder:
    """Records an actual cost of the order (goods, shipping, service or other), in its
    currency; the order's cost report compares them with the estimate."""
    reply = await request.app.state.clients.orders.RecordOrderCost(
        pb.RecordOrderCostRequest(
            order_id=order_id,
            kind=body.kind,
            amount=body.amount,
            description=body.description,
            request_id=request_id(request),
        )
    )
    return SalesOrder.model_validate(reply.order)
