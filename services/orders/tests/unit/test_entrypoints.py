"""The edges on the fakes: gRPC requests mapped to use cases and results back (the servicers called
directly), and consumed events mapped to reactions, what can never apply dead-lettered at once."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.message import Message

from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from oms.events.v1 import billing_pb2, inventory_pb2, quoting_pb2
from oms.orders.v1 import customers_pb2 as cpb
from oms.orders.v1 import orders_pb2 as pb
from oms.types.v1.types_pb2 import Money
from orders.entrypoints.customers_grpc import CustomersServicer
from orders.entrypoints.grpc_server import OrdersServicer
from orders.entrypoints.subscriptions import Subscriptions
from servicekit.errors import InvalidArgument
from services.orders.tests.unit.builders import (
    DESK,
    FINANCE,
    INVENTORY,
    SAM,
    WAREHOUSE,
    a_catalog,
    as_user,
    registered,
)
from services.orders.tests.unit.fakes import fake_deps
from testkit.documents import a_priced_document

CONTEXT: Any = None  # the servicers never look at it


def an_order(customer: str, quantity: int = 3) -> pb.PlaceSalesOrderRequest:
    return pb.PlaceSalesOrderRequest(
        customer_id=customer,
        currency="EUR",
        lines=[pb.PlaceSalesOrderLine(product_id="p1", quantity=quantity, needed_by="2026-12-15")],
        shipping_address={"city": "Lyon"},
    )


async def test_an_order_goes_through_the_servicer_as_each_caller_may_see_it() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    orders = OrdersServicer(deps)
    request = an_order(registered(database))
    request.request_id = "r1"
    with as_user(SAM):
        order = (await orders.PlaceSalesOrder(request, CONTEXT)).order
        again = (await orders.PlaceSalesOrder(request, CONTEXT)).order
    assert (order.status, order.total.amount, order.estimated_cost) == ("execution", "37.50", "")
    assert again.id == order.id
    get = pb.GetSalesOrderRequest(order_id=order.id)
    with as_user(DESK):
        as_desk = (await orders.GetSalesOrder(get, CONTEXT)).order
        listed = await orders.ListSalesOrders(pb.ListSalesOrdersRequest(), CONTEXT)
    with as_user(WAREHOUSE):
        as_warehouse = (await orders.GetSalesOrder(get, CONTEXT)).order
    assert (as_desk.estimated_cost, as_desk.lines[0].unit_cost) == ("21.00", "7.00")
    assert list(as_desk.next_stages) == ["partially_shipped", "shipped", "cancelled"]
    assert [(t.orders, t.total.amount) for t in listed.totals] == [(1, "37.500000")]
    assert (as_warehouse.prices_hidden, as_warehouse.HasField("total")) == (True, False)
    assert as_warehouse.shipping_address["city"] == "Lyon"
    with as_user(DESK), pytest.raises(InvalidArgument) as refused:
        await orders.ListSalesOrders(pb.ListSalesOrdersRequest(created_from="soon"), CONTEXT)
    assert [v.field for v in refused.value.violations] == ["created_from"]


async def test_costs_the_forecast_and_pipelines_go_through_the_servicer() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    orders = OrdersServicer(deps)
    with as_user(SAM):
        order = (await orders.PlaceSalesOrder(an_order(registered(database), 4), CONTEXT)).order
    cost = pb.RecordOrderCostRequest(order_id=order.id, kind="shipping", amount="9.90")
    with as_user(FINANCE):
        await orders.RecordOrderCost(cost, CONTEXT)
        report = await orders.GetCostReport(pb.GetCostReportRequest(order_id=order.id), CONTEXT)
        forecast = await orders.GetSalesForecast(pb.GetSalesForecastRequest(), CONTEXT)
        standard = (await orders.GetPipeline(pb.GetPipelineRequest(), CONTEXT)).pipeline
    ((costs,),) = [report.orders]
    assert (costs.estimated, costs.actual, costs.variance) == ("28.00", "9.90", "-18.10")
    assert [(m.month, m.expected.amount) for m in forecast.months] == [("2026-12", "45.00")]
    standard.stages[1].probability = "0.6"
    with as_user(DESK):
        replaced = await orders.SetPipeline(pb.SetPipelineRequest(pipeline=standard), CONTEXT)
    assert replaced.pipeline == standard


async def test_customers_go_through_their_servicer() -> None:
    deps, _, _ = fake_deps()
    customers = CustomersServicer(deps)
    account = cpb.CustomerInput(
        name="Acme",
        kind="company",
        currency="EUR",
        credit_limit=Money(amount="500", currency="EUR"),
    )
    with as_user(FINANCE):
        created = (
            await customers.CreateCustomer(cpb.CreateCustomerRequest(customer=account), CONTEXT)
        ).customer
    masked = cpb.UpdateCustomerRequest(
        customer_id=created.id, update_mask=FieldMask(paths=["credit_limit"])
    )
    unknown = cpb.UpdateCustomerRequest(
        customer_id=created.id, update_mask=FieldMask(paths=["credit_limit.amount"])
    )
    with as_user(FINANCE):
        cleared = (await customers.UpdateCustomer(masked, CONTEXT)).customer
        with pytest.raises(InvalidArgument):
            await customers.UpdateCustomer(unknown, CONTEXT)
    with as_user(WAREHOUSE):
        seen = (
            await customers.GetCustomer(cpb.GetCustomerRequest(customer_id=created.id), CONTEXT)
        ).customer
        listed = await customers.ListCustomers(cpb.ListCustomersRequest(), CONTEXT)
    assert (created.credit_limit.amount, cleared.HasField("credit_limit")) == ("500", False)
    assert (cleared.name, cleared.version, seen.name) == ("Acme", 2, "Acme")
    assert [c.id for c in listed.customers] == [created.id]


def envelope(message: Message) -> Envelope:
    with as_user(INVENTORY):
        return Envelope.wrap(message, source="test", key="k")


async def deliver(subscriptions: Subscriptions, message: Message) -> None:
    (handler,) = [s.handler for s in subscriptions.all() if s.message is type(message)]
    await handler(None, message, envelope(message))  # type: ignore[arg-type]


async def test_events_reach_their_reactions_and_what_never_applies_is_dead_lettered() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    subscriptions = Subscriptions(deps, database)
    with as_user(SAM):
        order = (
            await OrdersServicer(deps).PlaceSalesOrder(an_order(registered(database)), CONTEXT)
        ).order
    line = order.lines[0].id

    def reserved(units: int) -> inventory_pb2.ReservedLine:
        return inventory_pb2.ReservedLine(line_id=line, product_id="p1", quantity=units)

    # two warehouses hold the line between them
    await deliver(
        subscriptions,
        inventory_pb2.StockReserved(order_id=order.id, lines=[reserved(1), reserved(2)]),
    )
    assert database.store.orders[order.id].lines[0].reserved == 3
    too_many = inventory_pb2.ShipmentDispatched(
        shipment_id="s1",
        order_id=order.id,
        lines=[inventory_pb2.ShippedLine(line_id=line, quantity=4)],
    )
    bad_balance = billing_pb2.CustomerBalanceChanged(
        customer_id="C-1", open_balance=Money(amount="x", currency="EUR")
    )
    unreadable = quoting_pb2.QuoteAccepted(
        quote_id="q-1", convert_to="sales_order", target_id="o-1", document=a_priced_document()
    )
    unreadable.document.groups[0].lines[0].quantity = "three"
    mispriced = quoting_pb2.QuoteAccepted(
        quote_id="q-2", convert_to="sales_order", target_id="o-2", document=a_priced_document()
    )
    mispriced.document.breakdown.lines[0].net = "0.01"
    for message, reason in (
        (too_many, "shipment exceeds"),
        (bad_balance, "open_balance of C-1"),
        (inventory_pb2.StockRejected(order_id="nope"), "no sales order nope"),
        (unreadable, r"quote q-1 does not price as stated: groups\[0\]\.lines\[0\]\.quantity"),
        (mispriced, r"quote q-2 does not price as stated: .*lines\[0\]\.net: stored 0.01"),
        (
            billing_pb2.ExchangeRateSet(
                base_currency="EUR", quote_currency="EUR", rate="1", effective_from="2026-01-01"
            ),
            "to itself",
        ),
    ):
        with pytest.raises(PoisonEvent, match=reason):
            await deliver(subscriptions, message)
    to_invoice = quoting_pb2.QuoteAccepted(
        quote_id="q-3", convert_to="invoice", target_id="i-1", document=unreadable.document
    )
    await deliver(subscriptions, to_invoice)  # billing's, not ours: not even read
    assert set(database.store.orders) == {order.id}
