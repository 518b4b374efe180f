"""Retries never double an order or a cost (a client's request id, a channel's external
reference), out-of-range input is a field error rather than a database error, and every change
lands in the change log."""

from __future__ import annotations

import asyncio
import json

import grpc

from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from oms.orders.v1 import orders_pb2 as pb
from servicekit.grpc import violations_of
from services.orders.tests.integration.conftest import (
    Env,
    Service,
    a_product,
    an_order,
    refused,
)
from testkit.services import as_user

SALES = as_user("sam", "sales")
DESK = as_user("olga", "order-desk")
FINANCE = as_user("fin", "finance")


async def test_a_retried_order_is_placed_once(env: Env, catalog: str, customer: str) -> None:
    stub, _, _ = env
    product = await a_product(catalog)
    request = an_order(product, customer=customer)
    request.request_id = "retry-1"
    first, again, *twins = await asyncio.gather(
        *(stub.PlaceSalesOrder(request, metadata=SALES) for _ in range(4))
    )
    assert {r.order.id for r in (first, again, *twins)} == {first.order.id}
    other = an_order(product, 5, customer=customer)
    other.request_id = "retry-1"
    reused = await refused(stub.PlaceSalesOrder(other, metadata=SALES))
    assert reused.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(reused)] == ["request_id"]
    listed = await stub.ListSalesOrders(pb.ListSalesOrdersRequest(customer_id=customer))
    assert [o.id for o in listed.orders] == [first.order.id]


async def test_a_channels_external_reference_names_one_order(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    product = await a_product(catalog)

    def shop_order(
        quantity: int, request_id: str, channel: str = "woocommerce"
    ) -> pb.PlaceSalesOrderRequest:
        request = an_order(product, quantity, customer=customer)
        request.channel, request.external_reference = channel, "WC-1001"
        request.request_id = request_id
        return request

    first = (await stub.PlaceSalesOrder(shop_order(2, "a"), metadata=SALES)).order
    assert (first.channel, first.external_reference) == ("woocommerce", "WC-1001")
    resent, *twins = await asyncio.gather(
        *(stub.PlaceSalesOrder(shop_order(2, f"b{i}"), metadata=SALES) for i in range(3))
    )
    assert {r.order.id for r in (resent, *twins)} == {first.id}
    changed = await refused(stub.PlaceSalesOrder(shop_order(3, "c"), metadata=SALES))
    assert changed.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(changed)] == ["external_reference"]
    elsewhere = (await stub.PlaceSalesOrder(shop_order(2, "d", "ebay"), metadata=SALES)).order
    assert elsewhere.id != first.id


async def test_a_retried_cost_is_recorded_once(env: Env, catalog: str, customer: str) -> None:
    stub, _, _ = env
    order = (
        await stub.PlaceSalesOrder(an_order(await a_product(catalog), customer=customer))
    ).order
    cost = pb.RecordOrderCostRequest(
        order_id=order.id, kind="shipping", amount="9.90", description="courier", request_id="c1"
    )
    await asyncio.gather(*(stub.RecordOrderCost(cost, metadata=FINANCE) for _ in range(3)))
    await stub.RecordOrderCost(cost, metadata=FINANCE)
    report = (await stub.GetCostReport(pb.GetCostReportRequest(order_id=order.id))).orders
    assert [(i.kind, i.amount) for r in report for i in r.items] == [("shipping", "9.90")]
    cost.amount = "19.90"
    reused = await refused(stub.RecordOrderCost(cost, metadata=FINANCE))
    assert reused.code() == grpc.StatusCode.ALREADY_EXISTS


async def test_out_of_range_input_is_refused_with_its_field(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    dear = [await a_product(catalog, price="999999.99") for _ in range(2)]
    overflowing = pb.PlaceSalesOrderRequest(
        customer_id=customer,
        currency="EUR",
        lines=[pb.PlaceSalesOrderLine(product_id=p, quantity=1_000_000) for p in dear],
    )
    huge = an_order(dear[0], 10**7, customer=customer)
    unknown = an_order(dear[0], customer="C-never-registered")
    order = (await stub.PlaceSalesOrder(an_order(dear[0], 1, customer=customer))).order
    long_id = "x" * 12_000
    cases = [
        (stub.PlaceSalesOrder(overflowing, metadata=SALES), "lines"),
        (stub.PlaceSalesOrder(huge, metadata=SALES), "lines[0].quantity"),
        (stub.PlaceSalesOrder(unknown, metadata=SALES), "customer_id"),
        (
            stub.RecordOrderCost(
                pb.RecordOrderCostRequest(order_id=order.id, kind="other", amount="1234567890123")
            ),
            "amount",
        ),
        (stub.ListSalesOrders(pb.ListSalesOrdersRequest(page_size=10**6)), "page_size"),
        (
            stub.GetSalesOrderHistory(
                pb.GetSalesOrderHistoryRequest(order_id=order.id, page_size=201)
            ),
            "page_size",
        ),
        (stub.GetCostReport(pb.GetCostReportRequest(page_size=-1)), "page_size"),
        (stub.GetSalesOrder(pb.GetSalesOrderRequest(order_id=long_id)), "order_id"),
    ]
    for call, field in cases:
        error = await refused(call)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, field
        assert [v.field for v in violations_of(error)] == [field]
        assert len(error.details() or "") < 1000


async def test_history_and_cost_report_come_a_page_at_a_time(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    product = await a_product(catalog)
    orders = [
        (await stub.PlaceSalesOrder(an_order(product, customer=customer))).order for _ in range(3)
    ]
    pages, token = [], ""
    while True:
        page = await stub.GetSalesOrderHistory(
            pb.GetSalesOrderHistoryRequest(order_id=orders[0].id, page_size=2, page_token=token)
        )
        pages.append([e.to_status for e in page.entries])
        token = page.next_page_token
        if not token:
            break
    assert pages == [["request", "approval"], ["execution"]]
    seen, token = [], ""
    while True:
        report = await stub.GetCostReport(
            pb.GetCostReportRequest(customer_id=customer, page_size=2, page_token=token)
        )
        seen += [o.order_id for o in report.orders]
        token = report.next_page_token
        if not token:
            break
    assert seen == [o.id for o in reversed(orders)]


async def test_each_change_of_an_order_and_a_pipeline_is_in_the_change_log(
    service: Service, env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    order = (
        await stub.PlaceSalesOrder(an_order(await a_product(catalog), 4, customer=customer))
    ).order
    line = order.lines[0].id
    change = pb.ChangeSalesOrderRequest(
        order_id=order.id, lines=[pb.LineQuantity(line_id=line, quantity=3)]
    )
    await stub.ChangeSalesOrder(change, metadata=DESK)
    cost = pb.RecordOrderCostRequest(order_id=order.id, kind="other", amount="5", description="x")
    await stub.RecordOrderCost(cost, metadata=FINANCE)
    cancel = pb.CancelSalesOrderRequest(order_id=order.id, reason="customer withdrew")
    await stub.CancelSalesOrder(cancel, metadata=DESK)
    audit = audit_pb2_grpc.AuditServiceStub(service.channel)

    async def entries(entity_type: str, entity_id: str) -> list[audit_pb2.AuditEntry]:
        request = audit_pb2.ListAuditEntriesRequest(entity_type=entity_type, entity_id=entity_id)
        return list(reversed((await audit.ListAuditEntries(request, metadata=FINANCE)).entries))

    logged = await entries("sales_order", order.id)
    assert [(e.action, e.actor) for e in logged] == [
        ("placed", "test-admin"),
        ("moved", "test-admin"),
        ("moved", "test-admin"),
        ("changed", "olga"),
        ("cost_recorded", "fin"),
        ("cancelled", "olga"),
    ]
    changed = logged[3]
    assert json.loads(changed.before_json)["quantities"] == {line: 4}
    assert json.loads(changed.after_json)["quantities"] == {line: 3}
    assert json.loads(logged[-1].after_json) == {
        "status": "cancelled",
        "reason": "customer withdrew",
    }

    standard = (await stub.GetPipeline(pb.GetPipelineRequest(order_type="standard"))).pipeline
    standard.stages[1].probability = "0.6"
    await stub.SetPipeline(pb.SetPipelineRequest(pipeline=standard))
    (pipeline_set,) = await entries("pipeline", "standard")
    before, after = json.loads(pipeline_set.before_json), json.loads(pipeline_set.after_json)
    assert (before["stages"][1]["probability"], after["stages"][1]["probability"]) == (
        "0.5",
        "0.6",
    )
