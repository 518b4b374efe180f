"""orders.v1.OrdersService: each RPC maps its request to a use case and the result back."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.orders.v1 import orders_pb2 as pb
from oms.orders.v1 import orders_pb2_grpc
from orders.application.activity import order_timeline
from orders.application.commands.authorize_return import AuthorizeReturn, authorize_return
from orders.application.commands.cancel_sales_order import CancelSalesOrder, cancel_sales_order
from orders.application.commands.change_sales_order import ChangeSalesOrder, change_sales_order
from orders.application.commands.place_sales_order import PlaceSalesOrder, place_sales_order
from orders.application.commands.record_order_cost import RecordOrderCost, record_order_cost
from orders.application.commands.retry_stalled_steps import (
    RetryStalledSteps,
    retry_stalled_steps,
)
from orders.application.commands.set_pipeline import SetPipeline, set_pipeline
from orders.application.commands.transition_sales_order import (
    TransitionSalesOrder,
    transition_sales_order,
)
from orders.application.ports import Deps, OrderQuery
from orders.application.queries.cost_report import cost_report
from orders.application.queries.get_pipeline import get_pipeline
from orders.application.queries.get_sales_order import get_sales_order
from orders.application.queries.list_sales_orders import list_sales_orders
from orders.application.queries.sales_forecast import sales_forecast_report
from orders.application.queries.sales_order_history import sales_order_history
from orders.application.queries.stalled_steps import list_stalled_steps
from orders.application.retry import Retry
from orders.domain.order_pricing import LineTerms
from orders.domain.placing import OrderRequest
from orders.entrypoints import messages as out
from orders.entrypoints.stalled import step_to_proto
from pricing.document import InvalidDocument, PricedDocument
from pricing.wire import (
    discount_from_proto,
    document_from_proto,
    policy_from_proto,
    reporting_total_to_proto,
    shipping_from_proto,
)
from servicekit.errors import InvalidArgument
from servicekit.idempotency import fingerprint

Context: TypeAlias = grpc.aio.ServicerContext


def _retry(
    request: pb.PlaceSalesOrderRequest | pb.AuthorizeReturnRequest | pb.RecordOrderCostRequest,
) -> Retry:
    return Retry(request.request_id, fingerprint(request))


def _order_request(request: pb.PlaceSalesOrderRequest) -> OrderRequest:
    return OrderRequest(
        customer_id=request.customer_id,
        currency=request.currency,
        lines=[(x.product_id, x.quantity, x.needed_by) for x in request.lines],
        channel=request.channel,
        order_type=request.order_type or "standard",
        salesperson=request.salesperson,
        shipping_address=dict(request.shipping_address) or None,
        external_reference=request.external_reference,
        line_terms=tuple(
            LineTerms(
                x.unit_price, discount_from_proto(x.discount) if x.HasField("discount") else None
            )
            for x in request.lines
        ),
        discount=discount_from_proto(request.discount) if request.HasField("discount") else None,
        shipping=tuple(shipping_from_proto(charge) for charge in request.shipping),
        policy=policy_from_proto(request.policy) if request.HasField("policy") else None,
        document=_document(request),
        needs_review=request.needs_review,
        review_note=request.review_note,
    )


def _document(request: pb.PlaceSalesOrderRequest) -> PricedDocument | None:
    if not request.HasField("document"):
        return None
    try:
        return document_from_proto(request.document)
    except InvalidDocument as error:
        raise InvalidArgument.of(f"document.{error.field}", error.description) from error


class OrdersServicer(orders_pb2_grpc.OrdersServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def PlaceSalesOrder(
        self, request: pb.PlaceSalesOrderRequest, context: Context
    ) -> pb.PlaceSalesOrderResponse:
        command = PlaceSalesOrder(_order_request(request), _retry(request))
        order = await place_sales_order(self.deps, command)
        return pb.PlaceSalesOrderResponse(order=out.order_to_proto(order))

    async def GetSalesOrder(
        self, request: pb.GetSalesOrderRequest, context: Context
    ) -> pb.GetSalesOrderResponse:
        order = await get_sales_order(self.deps, request.order_id)
        return pb.GetSalesOrderResponse(order=out.order_to_proto(order))

    async def ListSalesOrders(
        self, request: pb.ListSalesOrdersRequest, context: Context
    ) -> pb.ListSalesOrdersResponse:
        query = OrderQuery(
            status=request.status,
            customer_id=request.customer_id,
            salesperson=request.salesperson,
            channel=request.channel,
            order_type=request.order_type,
            category_id=request.category_id,
            created_from=out.instant(request.created_from, "created_from"),
            created_to=out.instant(request.created_to, "created_to"),
        )
        found, token, totals = await list_sales_orders(
            self.deps, query, request.page_size, request.page_token
        )
        return pb.ListSalesOrdersResponse(
            orders=[out.order_to_proto(order) for order in found],
            next_page_token=token,
            totals=out.totals_to_proto(totals),
        )

    async def TransitionSalesOrder(
        self, request: pb.TransitionSalesOrderRequest, context: Context
    ) -> pb.TransitionSalesOrderResponse:
        command = TransitionSalesOrder(
            request.order_id,
            request.to_stage,
            dict(request.fields),
            request.reason,
            request.release_credit_hold,
        )
        order = await transition_sales_order(self.deps, command)
        return pb.TransitionSalesOrderResponse(order=out.order_to_proto(order))

    async def GetSalesOrderHistory(
        self, request: pb.GetSalesOrderHistoryRequest, context: Context
    ) -> pb.GetSalesOrderHistoryResponse:
        entries, token = await sales_order_history(
            self.deps, request.order_id, request.page_size, request.page_token
        )
        return pb.GetSalesOrderHistoryResponse(
            next_page_token=token, entries=[out.history_to_proto(e) for e in entries]
        )

    async def CancelSalesOrder(
        self, request: pb.CancelSalesOrderRequest, context: Context
    ) -> pb.CancelSalesOrderResponse:
        command = CancelSalesOrder(request.order_id, request.reason)
        order = await cancel_sales_order(self.deps, command)
        return pb.CancelSalesOrderResponse(order=out.order_to_proto(order))

    async def ListStalledSteps(
        self, request: pb.ListStalledStepsRequest, context: Context
    ) -> pb.ListStalledStepsResponse:
        found, token = await list_stalled_steps(self.deps, request.page_size, request.page_token)
        steps = [step_to_proto(step) for step in found]
        return pb.ListStalledStepsResponse(steps=steps, next_page_token=token)

    async def RetryStalledSteps(
        self, request: pb.RetryStalledStepsRequest, context: Context
    ) -> pb.RetryStalledStepsResponse:
        steps = await retry_stalled_steps(self.deps, RetryStalledSteps(request.order_id))
        return pb.RetryStalledStepsResponse(steps=[step_to_proto(step) for step in steps])

    async def ChangeSalesOrder(
        self, request: pb.ChangeSalesOrderRequest, context: Context
    ) -> pb.ChangeSalesOrderResponse:
        command = ChangeSalesOrder(
            request.order_id,
            {x.line_id: x.quantity for x in request.lines},
            dict(request.shipping_address) or None,
        )
        order = await change_sales_order(self.deps, command)
        return pb.ChangeSalesOrderResponse(order=out.order_to_proto(order))

    async def AuthorizeReturn(
        self, request: pb.AuthorizeReturnRequest, context: Context
    ) -> pb.AuthorizeReturnResponse:
        command = AuthorizeReturn(
            request.order_id,
            {x.line_id: x.quantity for x in request.lines},
            request.reason,
            _retry(request),
        )
        order, return_id = await authorize_return(self.deps, command)
        return pb.AuthorizeReturnResponse(order=out.order_to_proto(order), return_id=return_id)

    async def RecordOrderCost(
        self, request: pb.RecordOrderCostRequest, context: Context
    ) -> pb.RecordOrderCostResponse:
        command = RecordOrderCost(
            request.order_id, request.kind, request.amount, request.description, _retry(request)
        )
        order = await record_order_cost(self.deps, command)
        return pb.RecordOrderCostResponse(order=out.order_to_proto(order))

    async def GetCostReport(
        self, request: pb.GetCostReportRequest, context: Context
    ) -> pb.GetCostReportResponse:
        query = OrderQuery(
            status=request.status, customer_id=request.customer_id, order_id=request.order_id
        )
        found, token = await cost_report(self.deps, query, request.page_size, request.page_token)
        return pb.GetCostReportResponse(
            orders=[out.costs_to_proto(costs) for costs in found], next_page_token=token
        )

    async def GetSalesForecast(
        self, request: pb.GetSalesForecastRequest, context: Context
    ) -> pb.GetSalesForecastResponse:
        expected, total = await sales_forecast_report(self.deps)
        return pb.GetSalesForecastResponse(
            months=out.forecast_to_proto(expected),
            reporting_total=reporting_total_to_proto(total),
        )

    async def GetPipeline(
        self, request: pb.GetPipelineRequest, context: Context
    ) -> pb.GetPipelineResponse:
        pipeline = await get_pipeline(self.deps, request.order_type)
        return pb.GetPipelineResponse(pipeline=out.pipeline_to_proto(pipeline))

    async def SetPipeline(
        self, request: pb.SetPipelineRequest, context: Context
    ) -> pb.SetPipelineResponse:
        given = request.pipeline
        command = SetPipeline(given.order_type, out.pipeline_definition(given))
        pipeline = await set_pipeline(self.deps, command)
        return pb.SetPipelineResponse(pipeline=out.pipeline_to_proto(pipeline))

    async def GetOrderTimeline(
        self, request: pb.GetOrderTimelineRequest, context: Context
    ) -> pb.GetOrderTimelineResponse:
        entries = await order_timeline(self.deps, request.order_id)
        return pb.GetOrderTimelineResponse(entries=[out.timeline_to_proto(e) for e in entries])
