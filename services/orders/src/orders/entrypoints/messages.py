"""Protobuf in and out: the requests' messages as the use cases' inputs, and their results as
replies, each order as the caller may see it (application.views decided what that is)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from oms.orders.v1 import customers_pb2 as cpb
from oms.orders.v1 import orders_pb2 as pb
from oms.types.v1.types_pb2 import Money
from orders.application.ports import HistoryEntry, OrderTotals
from orders.application.views import CustomerView, SalesOrderView
from orders.domain.activity import Entry
from orders.domain.costs import OrderCosts
from orders.domain.customer_input import Address, Contact, CustomerInput, MoneyInput
from orders.domain.lines import Line
from orders.domain.pipeline import Pipeline
from pricing.money import Money as PlainMoney
from pricing.wire import document_to_proto, money_to_proto
from servicekit.errors import InvalidArgument
from servicekit.grpc import timestamp

_CENT = Decimal("0.01")


def amount_text(value: Decimal | None, currency: str) -> str:
    """A figure as money is shown: the currency's decimals, more only when it has them."""
    return "" if value is None else str(PlainMoney(value, currency).trimmed().amount)


def instant(value: str, field: str) -> datetime | None:
    """An RFC 3339 instant a filter names (UTC when it names no zone); None when empty."""
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidArgument.of(field, "an RFC 3339 instant") from error
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _line(line: Line, currency: str) -> pb.SalesOrderLine:
    return pb.SalesOrderLine(
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
        unit_cost=amount_text(line.unit_cost, currency),
        category_id=line.category_id,
    )


def order_to_proto(view: SalesOrderView) -> pb.SalesOrder:
    """The order without what the view hides: prices, costs."""
    order = view.order
    message = pb.SalesOrder(
        id=order.id,
        customer_id=order.customer_id,
        status=order.status,
        currency=order.currency,
        lines=[_line(line, order.currency) for line in order.lines],
        total=money_to_proto(order.total),
        status_reason=order.status_reason,
        channel=order.channel,
        created_at=timestamp(order.created_at),
        created_by=order.created_by,
        updated_at=timestamp(order.updated_at or order.created_at),
        document=None if order.document is None else document_to_proto(order.document),
        quote_id=order.quote_id,
        order_type=order.order_type,
        salesperson=order.salesperson,
        contract_number=order.contract_number,
        payment_terms=order.payment_terms,
        shipping_address=order.shipping_address or {},
        stock_status=order.stock_status,
        credit_hold=order.credit_hold,
        estimated_cost=amount_text(order.estimated_cost, order.currency),
        next_stages=view.next_stages,
        external_reference=order.external_reference,
        team=order.team,
        stalled=view.stalled,
        review_note=order.review_note,
        needs_review=bool(order.review_note),
    )
    if view.costs_hidden:
        message.estimated_cost = ""
        for line in message.lines:
            line.unit_cost = ""
    if view.prices_hidden:
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


def totals_to_proto(totals: list[OrderTotals]) -> list[pb.OrderTotals]:
    return [
        pb.OrderTotals(
            currency=t.currency,
            orders=t.orders,
            total=Money(amount=str(t.total), currency=t.currency),
        )
        for t in totals
    ]


def history_to_proto(entry: HistoryEntry) -> pb.HistoryEntry:
    return pb.HistoryEntry(
        from_status=entry.from_status or "",
        to_status=entry.to_status,
        reason=entry.reason,
        note=entry.note,
        actor=entry.actor,
        caused_by=entry.caused_by or "",
        at=timestamp(entry.at),
    )


def costs_to_proto(costs: OrderCosts) -> pb.OrderCost:
    currency = costs.currency
    return pb.OrderCost(
        order_id=costs.order_id,
        currency=currency,
        estimated=amount_text(costs.estimated, currency),
        actual=amount_text(costs.actual, currency),
        variance=amount_text(costs.variance, currency),
        items=[
            pb.CostItem(
                kind=item.kind,
                amount=amount_text(item.amount, currency),
                description=item.description,
            )
            for item in costs.items
        ],
    )


def forecast_to_proto(expected: dict[tuple[str, str], Decimal]) -> list[pb.ForecastMonth]:
    return [
        pb.ForecastMonth(
            month=month, expected=Money(amount=str(amount.quantize(_CENT)), currency=currency)
        )
        for (month, currency), amount in sorted(expected.items())
    ]


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


def pipeline_definition(given: pb.Pipeline) -> dict[str, object]:
    """A pipeline as a client sends it, as orders.domain.pipeline.from_definition reads it."""
    return {
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


# -- customers ---------------------------------------------------------------------------------


def _address_in(message: cpb.CustomerInput, name: str) -> Address | None:
    if not message.HasField(name):  # type: ignore[arg-type]
        return None
    a: cpb.CustomerAddress = getattr(message, name)
    return Address(
        line1=a.line1,
        line2=a.line2,
        city=a.city,
        postal_code=a.postal_code,
        country=a.country,
        state=a.state,
    )


def input_from_proto(message: cpb.CustomerInput) -> CustomerInput:
    limit = message.credit_limit
    return CustomerInput(
        name=message.name,
        kind=message.kind,
        currency=message.currency,
        tax_id=message.tax_id,
        email=message.email,
        customer_group=message.customer_group,
        payment_terms=message.payment_terms,
        credit_limit=MoneyInput(limit.amount, limit.currency)
        if message.HasField("credit_limit")
        else None,
        contacts=tuple(Contact(c.name, c.email, c.phone, c.role) for c in message.contacts),
        billing_address=_address_in(message, "billing_address"),
        shipping_address=_address_in(message, "shipping_address"),
        tax_zone=message.tax_zone,
        tax_exemption=message.tax_exemption,
    )


def _address(address: Address) -> cpb.CustomerAddress:
    return cpb.CustomerAddress(
        line1=address.line1,
        line2=address.line2,
        city=address.city,
        postal_code=address.postal_code,
        country=address.country,
        state=address.state,
    )


def customer_to_proto(view: CustomerView) -> cpb.Customer:
    """The account without what the view hides (the credit limit)."""
    customer = view.customer
    d = customer.details
    message = cpb.Customer(
        id=customer.id,
        name=d.name,
        kind=d.kind,
        tax_id=d.tax_id,
        email=d.email,
        customer_group=d.customer_group,
        currency=d.currency,
        payment_terms=d.payment_terms,
        contacts=[
            cpb.CustomerContact(name=c.name, email=c.email, phone=c.phone, role=c.role)
            for c in d.contacts
        ],
        version=customer.version,
        created_at=timestamp(customer.created_at),
        created_by=customer.created_by,
        updated_at=timestamp(customer.updated_at),
        updated_by=customer.updated_by,
        tax_zone=d.tax_zone,
        tax_exemption=d.tax_exemption,
    )
    if d.credit_limit is not None and not view.credit_hidden:
        message.credit_limit.CopyFrom(money_to_proto(d.credit_limit))
    if d.billing_address is not None:
        message.billing_address.CopyFrom(_address(d.billing_address))
    if d.shipping_address is not None:
        message.shipping_address.CopyFrom(_address(d.shipping_address))
    return message


def timeline_to_proto(entry: Entry) -> pb.TimelineEntry:
    return pb.TimelineEntry(
        event_id=entry.event_id,
        at=timestamp(entry.at),
        service=entry.service,
        event_type=entry.event_type,
        summary=entry.summary,
        actor=entry.actor,
        cause_id=entry.cause_id,
        correlation_id=entry.correlation_id,
        trace_id=entry.trace_id,
    )
