"""Orders against the real broker and database, pricing from a real catalog process: the
order-to-cash saga driven by the events of inventory and billing, and the order desk's moves."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest

from oms.events.v1 import billing_pb2, inventory_pb2, orders_pb2
from oms.orders.v1 import orders_pb2 as pb
from servicekit.grpc import violations_of
from services.orders.tests.integration.conftest import Env, a_product, an_order, refused
from services.orders.tests.integration.conftest import until as _until
from testkit.services import EventLog, as_user, publish

SALES = as_user("sam", "sales")
DESK = as_user("olga", "order-desk")
WAREHOUSE = as_user("walt", "warehouse")


def _reserved(order: pb.SalesOrder, quantity: int) -> inventory_pb2.ReservedLine:
    line = order.lines[0]
    return inventory_pb2.ReservedLine(
        line_id=line.id, product_id=line.product_id, warehouse_id="w1", quantity=quantity
    )


def _shipment(order: pb.SalesOrder, quantity: int) -> inventory_pb2.ShipmentDispatched:
    return inventory_pb2.ShipmentDispatched(
        shipment_id=str(uuid.uuid4()),
        order_id=order.id,
        lines=[inventory_pb2.ShippedLine(line_id=order.lines[0].id, quantity=quantity)],
    )


async def test_a_standard_order_is_approved_reserved_shipped_and_journalled(
    env: Env, catalog: str, kafka_bootstrap: str, customer: str
) -> None:
    stub, ns, _ = env
    product = await a_product(catalog)
    kinds = [orders_pb2.SalesOrderPlaced, orders_pb2.SalesOrderApproved]
    async with EventLog(kafka_bootstrap, kinds, ns) as log:
        order = (
            await stub.PlaceSalesOrder(an_order(product, customer=customer), metadata=SALES)
        ).order
        found = await log.wait_for(order.id, count=4)
    names = [type(event).__name__ for _, event in found]
    assert names[0] == "SalesOrderPlaced"
    assert "SalesOrderApproved" in names
    assert (order.status, order.total.amount, order.salesperson) == ("execution", "37.50", "sam")
    assert (order.estimated_cost, order.lines[0].needed_by) == ("", "2026-12-15")  # not sales'
    as_desk = await stub.GetSalesOrder(pb.GetSalesOrderRequest(order_id=order.id), metadata=DESK)
    assert (as_desk.order.estimated_cost, as_desk.order.lines[0].unit_cost) == ("21.00", "7.00")

    reserved = inventory_pb2.StockReserved(order_id=order.id, lines=[_reserved(order, 3)])
    await publish(kafka_bootstrap, reserved, key=order.id, namespace=ns)
    await _until(stub, order.id, "reserved", "stock_status")
    await publish(kafka_bootstrap, _shipment(order, 3), key=order.id, namespace=ns)
    await _until(stub, order.id, "shipped")

    history = (
        await stub.GetSalesOrderHistory(pb.GetSalesOrderHistoryRequest(order_id=order.id))
    ).entries
    assert [(e.from_status, e.to_status, e.note, e.actor) for e in history] == [
        ("", "request", "", "sam"),
        ("request", "approval", "", "sam"),
        ("approval", "execution", "", "sam"),
        ("", "execution", "stock reserved", "test"),
        ("execution", "shipped", "", "test"),
    ]
    costs = (await stub.GetCostReport(pb.GetCostReportRequest(order_id=order.id))).orders
    assert [(c.estimated, c.actual, c.variance) for c in costs] == [("21.00", "21.00", "0.00")]


async def test_backordered_goods_ship_in_two_parts_are_paid_and_the_order_closes(
    env: Env, catalog: str, kafka_bootstrap: str, customer: str
) -> None:
    stub, ns, _ = env
    order = (
        await stub.PlaceSalesOrder(
            an_order(await a_product(catalog), 5, customer=customer), metadata=SALES
        )
    ).order
    line = order.lines[0]
    partly = inventory_pb2.StockPartiallyReserved(
        order_id=order.id,
        reserved=[_reserved(order, 3)],
        backordered=[
            inventory_pb2.BackorderedLine(line_id=line.id, product_id=line.product_id, quantity=2)
        ],
    )
    events = [
        partly,
        _shipment(order, 3),
        billing_pb2.InvoiceIssued(invoice_id="i1", order_id=order.id),
        inventory_pb2.BackorderAllocated(
            order_id=order.id, lines=[_reserved(order, 2)], complete=True
        ),
        _shipment(order, 2),
        billing_pb2.InvoiceIssued(invoice_id="i2", order_id=order.id),
        billing_pb2.InvoicePaid(invoice_id="i1", order_id=order.id),
    ]
    for event in events:
        await publish(kafka_bootstrap, event, key=order.id, namespace=ns)
    found = await _until(stub, order.id, "invoiced")
    assert (found.stock_status, found.lines[0].shipped) == ("reserved", 5)
    paid = billing_pb2.InvoicePaid(invoice_id="i2", order_id=order.id)
    await publish(kafka_bootstrap, paid, key=order.id, namespace=ns)
    await _until(stub, order.id, "closed")


async def test_a_stock_rejection_cancels_the_order_with_its_reason(
    env: Env, catalog: str, kafka_bootstrap: str, customer: str
) -> None:
    stub, ns, _ = env
    order = (
        await stub.PlaceSalesOrder(
            an_order(await a_product(catalog), customer=customer), metadata=SALES
        )
    ).order
    rejected = inventory_pb2.StockRejected(order_id=order.id, reason="insufficient stock for SKU-1")
    await publish(kafka_bootstrap, rejected, key=order.id, namespace=ns)
    found = await _until(stub, order.id, "cancelled")
    assert (found.status_reason, found.stock_status) == (
        "insufficient stock for SKU-1",
        "rejected",
    )


async def test_a_contract_moves_only_as_its_pipeline_and_roles_allow(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    placed = await stub.PlaceSalesOrder(
        an_order(await a_product(catalog), order_type="contract", customer=customer),
        metadata=SALES,
    )
    order = placed.order
    assert (order.status, list(order.next_stages)) == ("request", ["approval", "cancelled"])

    def move(to: str, **fields: str) -> pb.TransitionSalesOrderRequest:
        return pb.TransitionSalesOrderRequest(order_id=order.id, to_stage=to, fields=fields)

    refusals = [
        (move("shipped"), DESK, grpc.StatusCode.FAILED_PRECONDITION),
        (move("approval"), WAREHOUSE, grpc.StatusCode.PERMISSION_DENIED),
    ]
    for request, who, code in refusals:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.TransitionSalesOrder(request, metadata=who)
        assert refused.value.code() == code
    await stub.TransitionSalesOrder(move("approval"), metadata=SALES)
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await stub.TransitionSalesOrder(move("execution"), metadata=DESK)
    assert [v.field for v in violations_of(missing.value)] == ["contract_number", "payment_terms"]
    moved = await stub.TransitionSalesOrder(
        move("execution", contract_number="K-17", payment_terms="30 days net"), metadata=DESK
    )
    assert (moved.order.status, moved.order.contract_number) == ("execution", "K-17")
    history = (
        await stub.GetSalesOrderHistory(pb.GetSalesOrderHistoryRequest(order_id=order.id))
    ).entries
    assert [(e.to_status, e.actor) for e in history] == [
        ("request", "sam"),
        ("approval", "sam"),
        ("execution", "olga"),
    ]


async def test_cancel_change_return_and_costs_are_announced_and_journalled(
    env: Env, catalog: str, kafka_bootstrap: str, customer: str
) -> None:
    stub, ns, _ = env
    product = await a_product(catalog)
    kinds = [orders_pb2.SalesOrderCancelled, orders_pb2.ReturnAuthorized]
    async with EventLog(kafka_bootstrap, kinds, ns) as log:
        kept = (
            await stub.PlaceSalesOrder(an_order(product, 4, customer=customer), metadata=SALES)
        ).order
        dropped = (
            await stub.PlaceSalesOrder(an_order(product, 1, customer=customer), metadata=SALES)
        ).order
        with pytest.raises(grpc.aio.AioRpcError) as no_right:
            await stub.CancelSalesOrder(
                pb.CancelSalesOrderRequest(order_id=dropped.id, reason="x"), metadata=SALES
            )
        assert no_right.value.code() == grpc.StatusCode.PERMISSION_DENIED
        await stub.CancelSalesOrder(
            pb.CancelSalesOrderRequest(order_id=dropped.id, reason="customer withdrew"),
            metadata=DESK,
        )
        changed = await stub.ChangeSalesOrder(
            pb.ChangeSalesOrderRequest(
                order_id=kept.id,
                lines=[pb.LineQuantity(line_id=kept.lines[0].id, quantity=3)],
                shipping_address={"city": "Lyon", "country": "FR"},
            ),
            metadata=DESK,
        )
        assert changed.order.total.amount == "37.50"
        await publish(kafka_bootstrap, _shipment(kept, 3), key=kept.id, namespace=ns)
        await _until(stub, kept.id, "shipped")
        authorised = await stub.AuthorizeReturn(
            pb.AuthorizeReturnRequest(
                order_id=kept.id,
                reason="damaged in transit",
                lines=[pb.LineQuantity(line_id=kept.lines[0].id, quantity=1)],
            ),
            metadata=DESK,
        )
        # every event of the order's topic: placed, request -> approval -> execution, approved,
        # then the moves and what they announce
        on_dropped = [e for _, e in await log.wait_for(dropped.id, count=6)]
        on_kept = [e for _, e in await log.wait_for(kept.id, count=7)]
    (cancelled,) = [e for e in on_dropped if isinstance(e, orders_pb2.SalesOrderCancelled)]
    assert cancelled.reason == "customer withdrew"
    assert any(isinstance(e, orders_pb2.SalesOrderLinesChanged) for e in on_kept)
    (authorisation,) = [e for e in on_kept if isinstance(e, orders_pb2.ReturnAuthorized)]
    assert (authorisation.return_id, authorisation.lines[0].quantity) == (authorised.return_id, 1)

    received = inventory_pb2.ReturnReceived(
        return_id=authorised.return_id,
        order_id=kept.id,
        lines=[inventory_pb2.ShippedLine(line_id=kept.lines[0].id, quantity=1)],
    )
    await publish(kafka_bootstrap, received, key=kept.id, namespace=ns)
    await publish(kafka_bootstrap, received, key=kept.id, namespace=ns)  # redelivered: no effect
    for _ in range(100):
        found = (await stub.GetSalesOrder(pb.GetSalesOrderRequest(order_id=kept.id))).order
        if found.lines[0].returned:
            break
        await asyncio.sleep(0.1)
    assert found.lines[0].returned == 1

    await stub.RecordOrderCost(
        pb.RecordOrderCostRequest(
            order_id=kept.id, kind="shipping", amount="9.90", description="courier"
        ),
        metadata=DESK,
    )
    (report,) = (await stub.GetCostReport(pb.GetCostReportRequest(order_id=kept.id))).orders
    # fixed at approval for 4 units; 3 shipped at cost, and the courier
    assert (report.estimated, report.actual, report.variance) == ("28.00", "30.90", "2.90")
    assert [i.kind for i in report.items] == ["goods", "shipping"]
    notes = [
        e.note
        for e in (
            await stub.GetSalesOrderHistory(pb.GetSalesOrderHistoryRequest(order_id=kept.id))
        ).entries
        if e.note
    ]
    assert notes[0] == "line " + kept.lines[0].sku + ": quantity 4 -> 3"
    assert "shipping address changed" in notes
    assert any(n.startswith("return ") and "received" in n for n in notes)


async def test_a_retried_return_is_authorised_once_even_when_the_retries_race(
    env: Env, catalog: str, kafka_bootstrap: str, customer: str
) -> None:
    stub, ns, _ = env
    product = await a_product(catalog)
    order = (await stub.PlaceSalesOrder(an_order(product, customer=customer), metadata=SALES)).order
    await publish(kafka_bootstrap, _shipment(order, 3), key=order.id, namespace=ns)
    await _until(stub, order.id, "shipped")

    def one_unit_back(request_id: str) -> pb.AuthorizeReturnRequest:
        line = pb.LineQuantity(line_id=order.lines[0].id, quantity=1)
        return pb.AuthorizeReturnRequest(
            order_id=order.id, lines=[line], reason="damaged in transit", request_id=request_id
        )

    once = one_unit_back("return-1")
    first = await stub.AuthorizeReturn(once, metadata=DESK)
    again = await stub.AuthorizeReturn(once, metadata=DESK)
    assert (again.return_id, again.order.id) == (first.return_id, order.id)
    # three twins racing from the start: one authorises, the others wait for it and answer it
    twin = one_unit_back("return-2")
    raced = await asyncio.gather(*(stub.AuthorizeReturn(twin, metadata=DESK) for _ in range(3)))
    assert len({r.return_id for r in raced}) == 1
    history = await stub.GetSalesOrderHistory(pb.GetSalesOrderHistoryRequest(order_id=order.id))
    authorised = [e.note for e in history.entries if e.note.startswith("return ")]
    assert authorised == [
        f"return {r.return_id[:8]} authorised: damaged in transit" for r in (first, raced[0])
    ]

    other = one_unit_back("return-1")
    other.reason = "wrong colour"
    reused = await refused(stub.AuthorizeReturn(other, metadata=DESK))
    assert reused.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(reused)] == ["request_id"]


async def test_the_order_desk_query_filters_pages_and_totals(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    product = await a_product(catalog)
    for quantity in (1, 2, 3):
        await stub.PlaceSalesOrder(an_order(product, quantity, customer=customer), metadata=SALES)
    await stub.PlaceSalesOrder(
        an_order(product, 1, order_type="contract", customer=customer), metadata=SALES
    )
    seen, token = [], ""
    while True:
        page = await stub.ListSalesOrders(
            pb.ListSalesOrdersRequest(
                customer_id=customer, order_type="standard", page_size=2, page_token=token
            )
        )
        seen += list(page.orders)
        assert [(t.orders, t.total.amount) for t in page.totals] == [(3, "75.000000")]
        token = page.next_page_token
        if not token:
            break
    assert sorted(o.lines[0].quantity for o in seen) == [1, 2, 3]
    forecast = (await stub.GetSalesForecast(pb.GetSalesForecastRequest())).months
    assert "2026-12" in [m.month for m in forecast]


async def test_bad_orders_are_refused_field_by_field_and_nothing_is_written(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    usd = await a_product(catalog, currency="USD")
    cases = [
        (an_order(str(uuid.uuid4()), customer=customer), ["lines[0].product_id"]),
        (an_order(usd, customer=customer), ["currency"]),
        (an_order("p", quantity=0, customer=customer), ["lines[0].quantity"]),
        (an_order("p", order_type="rush", customer=customer), ["order_type"]),
    ]
    for request, fields in cases:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.PlaceSalesOrder(request, metadata=SALES)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in violations_of(refused.value)] == fields
    listed = await stub.ListSalesOrders(pb.ListSalesOrdersRequest(customer_id=customer))
    assert list(listed.orders) == []


async def test_an_invoice_that_overtakes_its_shipment_still_settles_the_order(
    env: Env, catalog: str, kafka_bootstrap: str, customer: str
) -> None:
    stub, ns, _ = env
    order = (
        await stub.PlaceSalesOrder(
            an_order(await a_product(catalog), quantity=1, customer=customer), metadata=SALES
        )
    ).order
    invoiced = billing_pb2.InvoiceIssued(invoice_id="i1", order_id=order.id, shipment_id="s1")
    await publish(kafka_bootstrap, invoiced, key=order.id, namespace=ns)
    await asyncio.sleep(1)  # the invoice is recorded while the order still waits for its shipment
    await publish(kafka_bootstrap, _shipment(order, 1), key=order.id, namespace=ns)
    await _until(stub, order.id, "invoiced")
