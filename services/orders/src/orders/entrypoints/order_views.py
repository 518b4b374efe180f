"""Orders and pipelines as protobuf, each order as the caller may see it."""

from __future__ import annotations

from decimal import Decimal

from oms.orders.v1 import orders_pb2 as pb
from orders.domain.model import SalesOrder
from orders.domain.pipeline import Pipeline
from orders.domain.rights import sees_costs, sees_prices
from pricing.money import Money as PlainMoney
from pricing.wire import money_to_proto
from servicekit.context import Principal
from servicekit.grpc import timestamp


def amount_text(value: Decimal | None, currency: str) -> str:
    """A figure as money is shown: the currency's decimals, more only when it has them."""
    return "" if value is None else str(PlainMoney(value, currency).trimmed().amount)


def order_to_proto(
    order: SalesOrder, pipeline: Pipeline | None, viewer: Principal
) -> pb.SalesOrder:
    """The order as `viewer` may see it: without prices for the warehouse and purchasing,
    without costs for anyone but the order desk and finance."""
    message = pb.SalesOrder(
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
                unit_cost=amount_text(line.unit_cost, order.currency),
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
        estimated_cost=amount_text(order.estimated_cost, order.currency),
        next_stages=pipeline.allowed_from(order.status) if pipeline else [],
        external_reference=order.external_reference,
        team=order.team,
    )
    if not sees_costs(viewer):
        message.estimated_cost = ""
        for line in message.lines:
            line.unit_cost = ""
    if not sees_prices(viewer):
        _hide_prices(message)
    return message


def _hide_prices(message: pb.SalesOrder) -> None:
    message.prices_hidden = True
    message.ClearField("total")
    message.ClearField("document")
    for line in message.lines:
        line.ClearField("unit_price")
        line.ClearField("line_total")
    if message.credit_hold:  # it states the credit figures
        message.credit_hold = "on credit hold"


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
