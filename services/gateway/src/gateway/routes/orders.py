"""/sales-orders, and the composed order summary"""

import asyncio

from fastapi import APIRouter, Query, Request, Response

from gateway.auth import AnyUser, require
from gateway.order_schemas import (
    CancelIn,
    CostIn,
    CostReport,
    Forecast,
    ForecastMonth,
    History,
    HistoryEntry,
    OrderChangeIn,
    OrderCost,
    Pipeline,
    PipelineIn,
    ReturnAuthorised,
    ReturnIn,
    TransitionIn,
)
from gateway.schemas import (
    Invoice,
    OrderSummary,
    OrderTotals,
    SalesOrder,
    SalesOrderIn,
    SalesOrderPage,
    Shipment,
)
from oms.billing.v1 import billing_pb2
from oms.inventory.v1 import inventory_pb2
from oms.orders.v1 import orders_pb2 as pb

router = APIRouter(prefix="/sales-orders", tags=["orders"])


@router.post(
    "", status_code=201, response_model=SalesOrder, dependencies=[require("sales", "order-desk")]
)
async def place_order(body: SalesOrderIn, request: Request, response: Response) -> SalesOrder:
    reply = await request.app.state.clients.orders.PlaceSalesOrder(
        pb.PlaceSalesOrderRequest(
            customer_id=body.customer_id,
            currency=body.currency,
            channel=body.channel,
            order_type=body.order_type,
            salesperson=body.salesperson,
            shipping_address=body.shipping_address,
            lines=[
                pb.PlaceSalesOrderLine(
                    product_id=x.product_id, quantity=x.quantity, needed_by=x.needed_by
                )
                for x in body.lines
            ],
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.order.id}"
    return SalesOrder.model_validate(reply.order)


@router.get("", response_model=SalesOrderPage, dependencies=[AnyUser])
async def list_orders(
    request: Request,
    status: str = "",
    customer_id: str = "",
    salesperson: str = "",
    channel: str = "",
    order_type: str = "",
    category_id: str = "",
    created_from: str = Query("", description="RFC 3339 instant, inclusive"),
    created_to: str = Query("", description="RFC 3339 instant, exclusive"),
    page_size: int = 50,
    cursor: str = "",
) -> SalesOrderPage:
    """The order desk's query: newest first, with totals of every match per currency."""
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
            page_token=cursor,
        )
    )
    return SalesOrderPage(
        items=[SalesOrder.model_validate(o) for o in reply.orders],
        next_cursor=reply.next_page_token,
        totals=[OrderTotals.model_validate(t) for t in reply.totals],
    )


@router.get("/{order_id}", response_model=SalesOrder, dependencies=[AnyUser])
async def get_order(order_id: str, request: Request) -> SalesOrder:
    reply = await request.app.state.clients.orders.GetSalesOrder(
        pb.GetSalesOrderRequest(order_id=order_id)
    )
    return SalesOrder.model_validate(reply.order)


@router.get("/{order_id}/summary", response_model=OrderSummary, dependencies=[AnyUser])
async def summary(order_id: str, request: Request) -> OrderSummary:
    """The order with its shipments and invoices, asked of three services at once."""
    clients = request.app.state.clients
    order, shipments, invoices = await asyncio.gather(
        clients.orders.GetSalesOrder(pb.GetSalesOrderRequest(order_id=order_id)),
        clients.inventory.ListShipments(inventory_pb2.ListShipmentsRequest(order_id=order_id)),
        clients.billing.ListInvoices(billing_pb2.ListInvoicesRequest(order_id=order_id)),
    )
    return OrderSummary(
        order=SalesOrder.model_validate(order.order),
        shipments=[Shipment.model_validate(s) for s in shipments.shipments],
        invoices=[Invoice.model_validate(i) for i in invoices.invoices],
    )


@router.post(
    "/{order_id}/transitions",
    response_model=SalesOrder,
    dependencies=[require("sales", "order-desk", "finance")],
)
async def transition(order_id: str, body: TransitionIn, request: Request) -> SalesOrder:
    """Moves the order through its pipeline; 409 for a move the pipeline forbids or a credit
    hold, 403 for a role without the right, 422 for a field the stage requires."""
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


@router.get("/{order_id}/history", response_model=History, dependencies=[AnyUser])
async def history(order_id: str, request: Request) -> History:
    reply = await request.app.state.clients.orders.GetSalesOrderHistory(
        pb.GetSalesOrderHistoryRequest(order_id=order_id)
    )
    return History(items=[HistoryEntry.model_validate(e) for e in reply.entries])


@router.post("/{order_id}/cancel", response_model=SalesOrder, dependencies=[require("order-desk")])
async def cancel(order_id: str, body: CancelIn, request: Request) -> SalesOrder:
    reply = await request.app.state.clients.orders.CancelSalesOrder(
        pb.CancelSalesOrderRequest(order_id=order_id, reason=body.reason)
    )
    return SalesOrder.model_validate(reply.order)


@router.patch(
    "/{order_id}", response_model=SalesOrder, dependencies=[require("sales", "order-desk")]
)
async def change(order_id: str, body: OrderChangeIn, request: Request) -> SalesOrder:
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
)
async def authorize_return(order_id: str, body: ReturnIn, request: Request) -> ReturnAuthorised:
    reply = await request.app.state.clients.orders.AuthorizeReturn(
        pb.AuthorizeReturnRequest(
            order_id=order_id,
            reason=body.reason,
            lines=[pb.LineQuantity(line_id=x.line_id, quantity=x.quantity) for x in body.lines],
        )
    )
    return ReturnAuthorised(return_id=reply.return_id, order=SalesOrder.model_validate(reply.order))


@router.post(
    "/{order_id}/costs",
    status_code=201,
    response_model=SalesOrder,
    dependencies=[require("order-desk", "finance")],
)
async def record_cost(order_id: str, body: CostIn, request: Request) -> SalesOrder:
    reply = await request.app.state.clients.orders.RecordOrderCost(
        pb.RecordOrderCostRequest(
            order_id=order_id, kind=body.kind, amount=body.amount, description=body.description
        )
    )
    return SalesOrder.model_validate(reply.order)


reports = APIRouter(prefix="/reports", tags=["orders"])


@reports.get(
    "/order-costs", response_model=CostReport, dependencies=[require("order-desk", "finance")]
)
async def cost_report(
    request: Request, customer_id: str = "", status: str = "", order_id: str = ""
) -> CostReport:
    """Estimated cost (fixed at approval), actual costs and the variance, per order."""
    reply = await request.app.state.clients.orders.GetCostReport(
        pb.GetCostReportRequest(customer_id=customer_id, status=status, order_id=order_id)
    )
    return CostReport(items=[OrderCost.model_validate(x) for x in reply.orders])


@reports.get(
    "/sales-forecast", response_model=Forecast, dependencies=[require("sales", "order-desk")]
)
async def sales_forecast(request: Request) -> Forecast:
    """Expected revenue by month: open orders weighted by their stage's win probability."""
    reply = await request.app.state.clients.orders.GetSalesForecast(pb.GetSalesForecastRequest())
    return Forecast(items=[ForecastMonth.model_validate(m) for m in reply.months])


pipelines = APIRouter(prefix="/pipelines", tags=["orders"])


@pipelines.get("/{order_type}", response_model=Pipeline, dependencies=[AnyUser])
async def get_pipeline(order_type: str, request: Request) -> Pipeline:
    reply = await request.app.state.clients.orders.GetPipeline(
        pb.GetPipelineRequest(order_type=order_type)
    )
    return Pipeline.model_validate(reply.pipeline)


@pipelines.put("/{order_type}", response_model=Pipeline, dependencies=[require("admin")])
async def set_pipeline(order_type: str, body: PipelineIn, request: Request) -> Pipeline:
    """Replaces the order type's pipeline; it must keep every milestone stage."""
    reply = await request.app.state.clients.orders.SetPipeline(
        pb.SetPipelineRequest(
            pipeline=pb.Pipeline(
                order_type=order_type,
                stages=[pb.PipelineStage(**s.model_dump()) for s in body.stages],
                transitions=[pb.PipelineTransition(**t.model_dump()) for t in body.transitions],
            )
        )
    )
    return Pipeline.model_validate(reply.pipeline)
