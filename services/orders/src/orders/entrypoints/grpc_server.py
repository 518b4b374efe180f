"""orders.v1.OrdersService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypeAlias

import grpc

from oms.orders.v1 import orders_pb2 as pb
from oms.orders.v1 import orders_pb2_grpc
from oms.types.v1.types_pb2 import Money
from orders.adapters.repository import OrderQuery
from orders.application.handlers import Orders
from orders.domain.model import OrderRequest, SalesOrder
from orders.domain.pipeline import Pipeline
from pricing.money import Money as PlainMoney
from pricing.wire import money_to_proto
from servicekit.errors import InvalidArgument
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext
_CENT = Decimal("0.01")


def _amount(value: Decimal | None, currency: str) -> str:
    """A figure as money is shown: the currency's decimals, more only when it has them."""
    return "" if value is None else str(PlainMoney(value, currency).trimmed().amount)


def order_to_proto(order: SalesOrder, pipeline: Pipeline | None = None) -> pb.SalesOrder:
    return pb.SalesOrder(
        id=order.id,
        customer_id=order.customer_id,
        status=order.status,
        currency=order.currency,
        lines=[
            pb.SalesOrderLine(
                id=line.id,
                product_id=line.product_id,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=money_to_proto(line.unit_price),
                line_total=money_to_proto(line.total),
                shipped=line.shipped,
                needed_by=line.needed_by.isoformat() if line.needed_by else "",
                reserved=line.reserved,
                backordered=line.backordered,
                returned=line.returned,
                unit_cost=_amount(line.unit_cost, order.currency),
                category_id=line.category_id,
            )
            for line in order.lines
        ],
        total=money_to_proto(order.total),
        status_reason=order.status_reason,
        channel=order.channel,
        created_at=timestamp(order.created_at),
        created_by=order.created_by,
        updated_at=timestamp(order.updated_at or order.created_at),
        document=order.document,
        quote_id=order.quote_id,
        order_type=order.order_type,
        salesperson=order.salesperson,
        contract_number=order.contract_number,
        payment_terms=order.payment_terms,
        shipping_address=order.shipping_address or {},
        stock_status=order.stock_status,
        credit_hold=order.credit_hold,
        estimated_cost=_amount(order.estimated_cost, order.currency),
        next_stages=pipeline.allowed_from(order.status) if pipeline else [],
    )


def pipeline_to_proto(pipeline: Pipeline) -> pb.Pipeline:
    return pb.Pipeline(
        order_type=pipeline.order_type,
        stages=[
            pb.PipelineStage(
                name=s.name, probability=str(s.probability), requires=s.requires, open=s.open
            )
            for s in pipeline.stages
        ],
        transitions=[
            pb.PipelineTransition(
                from_stage=t.source, to_stage=t.target, roles=t.roles, auto=t.auto
            )
            for t in pipeline.transitions
        ],
    )


def _instant(value: str, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidArgument.of(field, "an RFC 3339 instant") from error


class OrdersServicer(orders_pb2_grpc.OrdersServiceServicer):
    def __init__(self, orders: Orders) -> None:
        self.orders = orders

    async def _reply(self, order: SalesOrder) -> pb.SalesOrder:
        return order_to_proto(order, await self.orders.pipeline(order.order_type))

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
            )
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
            orders=[order_to_proto(o) for o in found],
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
        entries = await self.orders.history(request.order_id)
        return pb.GetSalesOrderHistoryResponse(
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
            ]
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
            request.order_id, request.kind, request.amount, request.description
        )
        return pb.RecordOrderCostResponse(order=await self._reply(order))

    async def GetCostReport(
        self, request: pb.GetCostReportRequest, context: Context
    ) -> pb.GetCostReportResponse:
        lines = await self.orders.cost_report(
            OrderQuery(status=request.status, customer_id=request.customer_id)
        )
        return pb.GetCostReportResponse(
            orders=[
                pb.OrderCost(
                    order_id=x.order_id,
                    currency=x.currency,
                    estimated=_amount(x.estimated, x.currency),
                    actual=_amount(x.actual, x.currency),
                    variance=_amount(x.variance, x.currency),
                    items=[
                        pb.CostItem(kind=kind, amount=_amount(amount, x.currency), description=text)
                        for kind, amount, text in x.items
                    ],
                )
                for x in lines
                if not request.order_id or x.order_id == request.order_id
            ]
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
