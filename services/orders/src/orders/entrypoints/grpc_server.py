"""orders.v1.OrdersService: protobuf in, use cases, protobuf out (as the caller may see it)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TypeAlias

import grpc

from oms.orders.v1 import orders_pb2 as pb
from oms.orders.v1 import orders_pb2_grpc
from oms.types.v1.types_pb2 import Money
from orders.adapters.repository import OrderQuery
from orders.application.handlers import Orders, Retry
from orders.domain.model import SalesOrder
from orders.domain.placing import OrderRequest
from orders.entrypoints.order_views import amount_text, order_to_proto, pipeline_to_proto
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext
_CENT = Decimal("0.01")


def _instant(value: str, field: str) -> datetime | None:
    if not value:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidArgument.of(field, "an RFC 3339 instant") from error
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


class OrdersServicer(orders_pb2_grpc.OrdersServiceServicer):
    def __init__(self, orders: Orders) -> None:
        self.orders = orders

    async def _reply(self, order: SalesOrder) -> pb.SalesOrder:
        pipeline = await self.orders.pipeline(order.order_type)
        return order_to_proto(order, pipeline, current_principal())

    async def PlaceSalesOrder(
        self, request: pb.PlaceSalesOrderRequest, context: Context
    ) -> pb.PlaceSalesOrderResponse:
        order = await self.orders.place(
            OrderRequest(
                customer_id=request.customer_id,
                currency=request.currency,
                lines=[(x.product_id, x.quantity, x.needed_by) for x in request.lines],
                channel=request.channel,
                order_type=request.order_type or "standard",
                salesperson=request.salesperson,
                shipping_address=dict(request.shipping_address) or None,
                external_reference=request.external_reference,
            ),
            Retry(request.request_id, request),
        )
        return pb.PlaceSalesOrderResponse(order=await self._reply(order))

    async def GetSalesOrder(
        self, request: pb.GetSalesOrderRequest, context: Context
    ) -> pb.GetSalesOrderResponse:
        order = await self.orders.get(request.order_id)
        return pb.GetSalesOrderResponse(order=await self._reply(order))

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
            created_from=_instant(request.created_from, "created_from"),
            created_to=_instant(request.created_to, "created_to"),
        )
        found, token, totals = await self.orders.page(query, request.page_size, request.page_token)
        return pb.ListSalesOrdersResponse(
            orders=[order_to_proto(o, None, current_principal()) for o in found],
            next_page_token=token,
            totals=[
                pb.OrderTotals(
                    currency=currency,
                    orders=count,
                    total=Money(amount=str(amount), currency=currency),
                )
                for currency, count, amount in totals
            ],
        )

    async def TransitionSalesOrder(
        self, request: pb.TransitionSalesOrderRequest, context: Context
    ) -> pb.TransitionSalesOrderResponse:
        order = await self.orders.transition(
            request.order_id,
            request.to_stage,
            dict(request.fields),
            request.reason,
            request.release_credit_hold,
        )
        return pb.TransitionSalesOrderResponse(order=await self._reply(order))

    async def GetSalesOrderHistory(
        self, request: pb.GetSalesOrderHistoryRequest, context: Context
    ) -> pb.GetSalesOrderHistoryResponse:
        entries, token = await self.orders.history(
            request.order_id, request.page_size, request.page_token
        )
        return pb.GetSalesOrderHistoryResponse(
            next_page_token=token,
            entries=[
                pb.HistoryEntry(
                    from_status=e.from_status or "",
                    to_status=e.to_status,
                    reason=e.reason,
                    note=e.note,
                    actor=e.actor,
                    caused_by=e.caused_by or "",
                    at=timestamp(e.at),
                )
                for e in entries
            ],
        )

    async def CancelSalesOrder(
        self, request: pb.CancelSalesOrderRequest, context: Context
    ) -> pb.CancelSalesOrderResponse:
        order = await self.orders.cancel(request.order_id, request.reason)
        return pb.CancelSalesOrderResponse(order=await self._reply(order))

    async def ChangeSalesOrder(
        self, request: pb.ChangeSalesOrderRequest, context: Context
    ) -> pb.ChangeSalesOrderResponse:
        order = await self.orders.change(
            request.order_id,
            {x.line_id: x.quantity for x in request.lines},
            dict(request.shipping_address) or None,
        )
        return pb.ChangeSalesOrderResponse(order=await self._reply(order))

    async def AuthorizeReturn(
        self, request: pb.AuthorizeReturnRequest, context: Context
    ) -> pb.AuthorizeReturnResponse:
        order, return_id = await self.orders.authorize_return(
            request.order_id, {x.line_id: x.quantity for x in request.lines}, request.reason
        )
        return pb.AuthorizeReturnResponse(order=await self._reply(order), return_id=return_id)

    async def RecordOrderCost(
        self, request: pb.RecordOrderCostRequest, context: Context
    ) -> pb.RecordOrderCostResponse:
        order = await self.orders.record_cost(
            request.order_id,
            request.kind,
            request.amount,
            request.description,
            Retry(request.request_id, request),
        )
        return pb.RecordOrderCostResponse(order=await self._reply(order))

    async def GetCostReport(
        self, request: pb.GetCostReportRequest, context: Context
    ) -> pb.GetCostReportResponse:
        query = OrderQuery(
            status=request.status, customer_id=request.customer_id, order_id=request.order_id
        )
        found, token = await self.orders.costs_page(query, request.page_size, request.page_token)
        return pb.GetCostReportResponse(
            orders=[_order_cost(order, costs) for order, costs in found], next_page_token=token
        )

    async def GetSalesForecast(
        self, request: pb.GetSalesForecastRequest, context: Context
    ) -> pb.GetSalesForecastResponse:
        expected = await self.orders.forecast()
        return pb.GetSalesForecastResponse(
            months=[
                pb.ForecastMonth(
                    month=month,
                    expected=Money(amount=str(amount.quantize(_CENT)), currency=currency),
                )
                for (month, currency), amount in sorted(expected.items())
            ]
        )

    async def GetPipeline(
        self, request: pb.GetPipelineRequest, context: Context
    ) -> pb.GetPipelineResponse:
        pipeline = await self.orders.pipeline(request.order_type or "standard")
        return pb.GetPipelineResponse(pipeline=pipeline_to_proto(pipeline))

    async def SetPipeline(
        self, request: pb.SetPipelineRequest, context: Context
    ) -> pb.SetPipelineResponse:
        given = request.pipeline
        definition = {
            "stages": [
                {
                    "name": s.name,
                    "probability": s.probability or "0",
                    "requires": list(s.requires),
                    "open": s.open,
                }
                for s in given.stages
            ],
            "transitions": [
                {"from": t.from_stage, "to": t.to_stage, "roles": list(t.roles), "auto": t.auto}
                for t in given.transitions
            ],
        }
        pipeline = await self.orders.set_pipeline(given.order_type, definition)
        return pb.SetPipelineResponse(pipeline=pipeline_to_proto(pipeline))


def _order_cost(order: SalesOrder, costs: list[tuple[str, Decimal, str]]) -> pb.OrderCost:
    currency = order.currency
    actual = sum((amount for _, amount, _ in costs), Decimal(0))
    estimated = order.estimated_cost
    return pb.OrderCost(
        order_id=order.id,
        currency=currency,
        estimated=amount_text(estimated, currency),
        actual=amount_text(actual, currency),
        variance=amount_text(None if estimated is None else actual - estimated, currency),
        items=[
            pb.CostItem(kind=kind, amount=amount_text(amount, currency), description=text)
            for kind, amount, text in costs
        ],
    )
