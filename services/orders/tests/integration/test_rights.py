"""Rights kept by the orders service itself: who may call which RPC, whose orders a salesperson
or a sales manager reaches, what the warehouse sees of an order, and who an order's salesperson
is."""

from __future__ import annotations

import grpc

from oms.orders.v1 import customers_pb2, customers_pb2_grpc, orders_pb2_grpc
from oms.orders.v1 import orders_pb2 as pb
from servicekit.grpc import violations_of
from services.orders.tests.integration.conftest import (
    Env,
    Service,
    a_customer,
    a_product,
    an_order,
    refused,
)
from testkit.security import session_security
from testkit.services import as_user

SAM = as_user("sam", "sales", team="north")
KIM = as_user("kim", "sales", team="north")
LEA = as_user("lea", "sales", team="south")
NORTH_MANAGER = as_user("mia", "sales-manager", team="north")
MANAGER = as_user("max", "sales-manager")
DESK = as_user("olga", "order-desk")
WAREHOUSE = as_user("walt", "warehouse")
PURCHASING = as_user("pat", "purchasing")


async def test_a_salesperson_reaches_their_own_orders_and_a_manager_the_teams(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    product = await a_product(catalog)
    placed = {}
    for name, who in (("sam", SAM), ("kim", KIM), ("lea", LEA)):
        request = an_order(product, customer=customer)
        placed[name] = (await stub.PlaceSalesOrder(request, metadata=who)).order
    assert [(o.salesperson, o.team) for o in placed.values()] == [
        ("sam", "north"),
        ("kim", "north"),
        ("lea", "south"),
    ]

    async def listed(who: tuple[tuple[str, str], ...]) -> list[str]:
        reply = await stub.ListSalesOrders(
            pb.ListSalesOrdersRequest(customer_id=customer), metadata=who
        )
        return sorted(o.salesperson for o in reply.orders)

    assert await listed(SAM) == ["sam"]
    assert await listed(NORTH_MANAGER) == ["kim", "sam"]
    assert await listed(MANAGER) == await listed(DESK) == ["kim", "lea", "sam"]
    kims = pb.GetSalesOrderRequest(order_id=placed["kim"].id)
    assert (await refused(stub.GetSalesOrder(kims, metadata=SAM))).code() == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    assert (await stub.GetSalesOrder(kims, metadata=NORTH_MANAGER)).order.id == placed["kim"].id
    leas = placed["lea"]
    change = pb.ChangeSalesOrderRequest(
        order_id=leas.id, lines=[pb.LineQuantity(line_id=leas.lines[0].id, quantity=1)]
    )
    for who in (SAM, NORTH_MANAGER):
        denied = await refused(stub.ChangeSalesOrder(change, metadata=who))
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    history = pb.GetSalesOrderHistoryRequest(order_id=leas.id)
    assert (await refused(stub.GetSalesOrderHistory(history, metadata=SAM))).code() == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    assert (await stub.ChangeSalesOrder(change, metadata=LEA)).order.lines[0].quantity == 1


async def test_the_salesperson_comes_from_the_token_and_only_the_desk_assigns_another(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    product = await a_product(catalog)
    someone_else = an_order(product, customer=customer)
    someone_else.salesperson = "kim"
    denied = await refused(stub.PlaceSalesOrder(someone_else, metadata=SAM))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    assert [v.field for v in violations_of(denied)] == ["salesperson"]
    for who in (DESK, NORTH_MANAGER):
        assigned = (await stub.PlaceSalesOrder(someone_else, metadata=who)).order
        assert assigned.salesperson == "kim"
    own = (await stub.PlaceSalesOrder(an_order(product, customer=customer), metadata=SAM)).order
    assert (own.salesperson, own.created_by) == ("sam", "sam")


async def test_the_warehouse_and_purchasing_see_quantities_and_addresses_but_no_prices(
    env: Env, catalog: str, customer: str
) -> None:
    stub, _, _ = env
    request = an_order(await a_product(catalog), customer=customer)
    request.shipping_address["city"] = "Lyon"
    placed = (await stub.PlaceSalesOrder(request, metadata=SAM)).order
    for who in (WAREHOUSE, PURCHASING):
        seen = (
            await stub.GetSalesOrder(pb.GetSalesOrderRequest(order_id=placed.id), metadata=who)
        ).order
        line = seen.lines[0]
        assert (seen.prices_hidden, line.quantity, seen.shipping_address["city"]) == (
            True,
            3,
            "Lyon",
        )
        assert not seen.HasField("total")
        assert not line.HasField("unit_price")
        assert not line.HasField("line_total")
        assert (line.unit_cost, seen.estimated_cost) == ("", "")
        listed = await stub.ListSalesOrders(pb.ListSalesOrdersRequest(), metadata=who)
        assert [o.prices_hidden for o in listed.orders] == [True]
        forbidden = pb.PlaceSalesOrderRequest(customer_id=customer)
        assert (await refused(stub.PlaceSalesOrder(forbidden, metadata=who))).code() == (
            grpc.StatusCode.PERMISSION_DENIED
        )
    assert (placed.prices_hidden, placed.total.amount) == (False, "37.50")


async def test_the_warehouse_reads_a_customers_addresses_but_not_its_credit(
    customers: customers_pb2_grpc.CustomersServiceStub,
) -> None:
    customer = await a_customer(customers, limit="500.00")
    get = customers_pb2.GetCustomerRequest(customer_id=customer)
    assert (
        await customers.GetCustomer(get, metadata=DESK)
    ).customer.credit_limit.amount == "500.00"
    seen = (await customers.GetCustomer(get, metadata=WAREHOUSE)).customer
    assert (seen.id, seen.HasField("credit_limit")) == (customer, False)


async def test_a_registered_client_reads_orders_with_its_scope_and_changes_nothing(
    service: Service, catalog: str, customer: str
) -> None:
    target = service.target
    placed = (
        await orders_pb2_grpc.OrdersServiceStub(service.channel).PlaceSalesOrder(
            an_order(await a_product(catalog), customer=customer), metadata=SAM
        )
    ).order
    pki = session_security().pki
    pki.register_client("orders-test-reporting", ["orders:read"])
    pki.register_client("orders-test-stranger", ["billing:read"])
    async with session_security().channel(
        target, as_name="orders-test-reporting", token=""
    ) as reporting:
        orders = orders_pb2_grpc.OrdersServiceStub(reporting)
        found = (await orders.GetSalesOrder(pb.GetSalesOrderRequest(order_id=placed.id))).order
        assert found.total.amount == "37.50"
        customers = customers_pb2_grpc.CustomersServiceStub(reporting)
        listed = await customers.ListCustomers(customers_pb2.ListCustomersRequest())
        assert [c.id for c in listed.customers] == [customer]
        cancel = pb.CancelSalesOrderRequest(order_id=placed.id, reason="x")
        assert (await refused(orders.CancelSalesOrder(cancel))).code() == (
            grpc.StatusCode.PERMISSION_DENIED
        )
    async with session_security().channel(
        target, as_name="orders-test-stranger", token=""
    ) as stranger:
        get = pb.GetSalesOrderRequest(order_id=placed.id)
        denied = await refused(orders_pb2_grpc.OrdersServiceStub(stranger).GetSalesOrder(get))
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
