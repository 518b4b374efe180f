"""/reports and /pipelines of orders: the cost report, the sales forecast and each order type's
pipeline of stages."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from gateway.bodies import IdQuery, PageSize, PageToken
from gateway.edge.auth import AnyUser, require
from gateway.edge.openapi import problems
from gateway.orders.planning_schemas import (
    CostReport,
    Forecast,
    ForecastMonth,
    OrderCost,
    Pipeline,
    PipelineIn,
)
from gateway.reporting import ReportingTotal
from oms.orders.v1 import orders_pb2 as pb

reports = APIRouter(prefix="/reports", tags=["orders"])
pipelines = APIRouter(prefix="/pipelines", tags=["orders"])

OrderType = Annotated[str, Path(max_length=30)]
Filter = Annotated[str, Query(max_length=50)]
SELLERS = ("sales", "sales-manager", "order-desk")


@reports.get(
    "/order-costs",
    response_model=CostReport,
    dependencies=[require("order-desk", "finance")],
    operation_id="getCostReport",
    summary="Get the order cost report",
)
async def cost_report(
    request: Request,
    customer_id: IdQuery = "",
    status: Filter = "",
    order_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> CostReport:
    """Estimated cost (fixed at approval), actual costs and the variance, per order, newest
    first."""
    reply = await request.app.state.clients.orders.GetCostReport(
        pb.GetCostReportRequest(
            customer_id=customer_id,
            status=status,
            order_id=order_id,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return CostReport(
        items=[OrderCost.model_validate(x) for x in reply.orders],
        next_page_token=reply.next_page_token,
    )


@reports.get(
    "/sales-forecast",
    response_model=Forecast,
    dependencies=[require(*SELLERS, "finance")],
    operation_id="getSalesForecast",
    summary="Get the sales forecast",
)
async def sales_forecast(request: Request) -> Forecast:
    """Expected revenue by month: open orders (those you reach) weighted by their stage's win
    probability."""
    reply = await request.app.state.clients.orders.GetSalesForecast(pb.GetSalesForecastRequest())
    return Forecast(
        items=[ForecastMonth.model_validate(m) for m in reply.months],
        reporting_total=ReportingTotal.model_validate(reply.reporting_total),
    )


@pipelines.get(
    "/{order_type}",
    response_model=Pipeline,
    dependencies=[AnyUser],
    operation_id="getPipeline",
    summary="Get an order type's pipeline",
    responses=problems(404),
)
async def get_pipeline(order_type: OrderType, request: Request) -> Pipeline:
    """The stages of an order type and the moves between them, with who may make each."""
    reply = await request.app.state.clients.orders.GetPipeline(
        pb.GetPipelineRequest(order_type=order_type)
    )
    return _pipeline(reply.pipeline)


@pipelines.put(
    "/{order_type}",
    response_model=Pipeline,
    dependencies=[require("admin")],
    operation_id="setPipeline",
    summary="Replace an order type's pipeline",
)
async def set_pipeline(order_type: OrderType, body: PipelineIn, request: Request) -> Pipeline:
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
    return _pipeline(reply.pipeline)


def _pipeline(message: pb.Pipeline) -> Pipeline:
    """Its stages and transitions are request models too (PUT takes them), which do not read
    attributes by themselves: without from_attributes here every pipeline read was a 500."""
    return Pipeline.model_validate(message, from_attributes=True)
