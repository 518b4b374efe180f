"""The client package on its own: every RPC of every service declared with the contract's
types, reads (and only reads) retried on UNAVAILABLE, deadlines, and failures raised as Python
exceptions with their field violations, against an in-process gRPC server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
import pytest
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from oms.orders.v1 import orders_pb2
from omsclient import (
    AuditClient,
    BillingClient,
    CatalogClient,
    DeadlineExceeded,
    FieldViolation,
    InvalidArgument,
    InventoryClient,
    NotFound,
    OrdersClient,
    PermissionDenied,
    ProcurementClient,
    QuotingClient,
    RetryPolicy,
    ServiceClient,
    Unavailable,
    pages,
)
from omsclient.connection import channel_options, is_read, service_config
from omsclient.errors import error_of
from omsclient.rpc import Rpc, snake_case
from testkit.reconnects import connection_attempts, longest_gap

CLIENTS = [
    CatalogClient,
    QuotingClient,
    OrdersClient,
    InventoryClient,
    BillingClient,
    ProcurementClient,
    AuditClient,
]
ORDERS = "oms.orders.v1.OrdersService"


@pytest.mark.parametrize("client", CLIENTS)
def test_a_client_declares_every_rpc_of_its_services(client: type[ServiceClient]) -> None:
    for service in client.services:
        for method in service.methods:
            declared = client.__dict__.get(snake_case(method.name))
            assert isinstance(declared, Rpc), f"{client.__name__} lacks {method.name}"
            assert declared.path == f"/{service.full_name}/{method.name}"


def _refusal(define: Callable[[], object]) -> str:
    """Why defining a class failed (Python 3.11 wraps a __set_name__ error in RuntimeError)."""
    with pytest.raises((TypeError, RuntimeError)) as raised:
        define()
    return str(raised.value.__cause__ or raised.value)


def test_a_declaration_that_does_not_match_the_contract_fails_at_once() -> None:
    def wrong_response() -> object:
        class Wrong(ServiceClient):
            services = OrdersClient.services
            get_sales_order = Rpc(orders_pb2.GetSalesOrderRequest, orders_pb2.SalesOrder)

        return Wrong

    def unknown_rpc() -> object:
        class Unknown(ServiceClient):
            services = OrdersClient.services
            ship_everything = Rpc(orders_pb2.GetSalesOrderRequest, orders_pb2.SalesOrder)

        return Unknown

    assert "GetSalesOrderResponse" in _refusal(wrong_response)
    assert "no RPC ShipEverything" in _refusal(unknown_rpc)


def test_only_reads_are_retried_and_only_on_unavailable() -> None:
    config = json.loads(service_config(OrdersClient.services, RetryPolicy(attempts=5)))
    (method_config,) = config["methodConfig"]
    retried = {(n["service"], n["method"]) for n in method_config["name"]}
    assert (ORDERS, "GetSalesOrder") in retried
    assert (ORDERS, "ListSalesOrders") in retried
    assert ("oms.orders.v1.CustomersService", "ListCustomers") in retried
    assert (ORDERS, "PlaceSalesOrder") not in retried
    assert (ORDERS, "CancelSalesOrder") not in retried
    assert method_config["retryPolicy"]["maxAttempts"] == 5
    assert method_config["retryPolicy"]["retryableStatusCodes"] == ["UNAVAILABLE"]
    writes = [m.name for c in CLIENTS for s in c.services for m in s.methods if not is_read(m)]
    assert "RecordPayment" in writes
    assert not [w for w in writes if w.startswith(("Get", "List"))]


def _bad_request(*violations: tuple[str, str]) -> bytes:
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                for f, d in violations
            ]
        )
    )
    status = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message="bad", details=[detail])
    return status.SerializeToString()


def test_a_status_becomes_its_exception_with_the_fields_at_fault() -> None:
    error = error_of("INVALID_ARGUMENT", "lines[0].quantity: > 0", "/x/Y", _bad_request(
        ("lines[0].quantity", "> 0"), ("currency", "ISO 4217")
    ))  # fmt: skip
    assert isinstance(error, InvalidArgument)
    assert error.violations == (
        FieldViolation("lines[0].quantity", "> 0"),
        FieldViolation("currency", "ISO 4217"),
    )
    assert isinstance(error_of("NOT_FOUND", "no such order"), NotFound)
    assert isinstance(error_of("PERMISSION_DENIED", "lacks orders:write"), PermissionDenied)
    assert type(error_of("CANCELLED", "gone")).__name__ == "ServiceError"


# -- against a server ---------------------------------------------------------------------------

Handler = Callable[[bytes, grpc.aio.ServicerContext], Awaitable[bytes]]


class FakeOrders:
    """OrdersService's GetSalesOrder and PlaceSalesOrder, each failing as a test tells it."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.unavailable_first: dict[str, int] = {}
        self.delay = 0.0

    def handler(self, name: str, reply: Callable[[bytes], bytes]) -> grpc.RpcMethodHandler:
        async def handle(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
            self.calls[name] = self.calls.get(name, 0) + 1
            if self.calls[name] <= self.unavailable_first.get(name, 0):
                await context.abort(grpc.StatusCode.UNAVAILABLE, "restarting")
            await asyncio.sleep(self.delay)
            return reply(request)

        return grpc.unary_unary_rpc_method_handler(handle)

    def generic(self) -> grpc.GenericRpcHandler:
        return grpc.method_handlers_generic_handler(
            ORDERS,
            {
                "GetSalesOrder": self.handler("GetSalesOrder", self.get),
                "PlaceSalesOrder": self.handler("PlaceSalesOrder", self.place),
                "ListSalesOrders": self.handler("ListSalesOrders", self.list),
            },
        )

    @staticmethod
    def get(request: bytes) -> bytes:
        order_id = orders_pb2.GetSalesOrderRequest.FromString(request).order_id
        return orders_pb2.GetSalesOrderResponse(
            order=orders_pb2.SalesOrder(id=order_id)
        ).SerializeToString()

    @staticmethod
    def place(request: bytes) -> bytes:
        return orders_pb2.PlaceSalesOrderResponse().SerializeToString()

    @staticmethod
    def list(request: bytes) -> bytes:
        token = orders_pb2.ListSalesOrdersRequest.FromString(request).page_token
        number = int(token or "0")
        return orders_pb2.ListSalesOrdersResponse(
            orders=[orders_pb2.SalesOrder(id=f"o{number}")],
            next_page_token=str(number + 1) if number < 2 else "",
        ).SerializeToString()


@pytest.fixture
async def served() -> AsyncIterator[tuple[FakeOrders, OrdersClient]]:
    fake = FakeOrders()
    server = grpc.aio.server()
    server.add_generic_rpc_handlers([fake.generic()])
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    retry = RetryPolicy(initial_backoff_seconds=0.01, max_backoff_seconds=0.05)
    channel = grpc.aio.insecure_channel(
        f"127.0.0.1:{port}", options=channel_options(OrdersClient.services, retry)
    )
    client = OrdersClient(channel, timeout=5)
    try:
        yield fake, client
    finally:
        await client.close()
        await server.stop(None)


async def test_a_read_is_retried_while_the_service_is_unavailable(
    served: tuple[FakeOrders, OrdersClient],
) -> None:
    fake, orders = served
    fake.unavailable_first["GetSalesOrder"] = 2

    reply = await orders.get_sales_order(orders_pb2.GetSalesOrderRequest(order_id="o-1"))

    assert reply.order.id == "o-1"
    assert fake.calls["GetSalesOrder"] == 3


async def test_a_write_is_not_retried(served: tuple[FakeOrders, OrdersClient]) -> None:
    fake, orders = served
    fake.unavailable_first["PlaceSalesOrder"] = 1

    with pytest.raises(Unavailable) as raised:
        await orders.place_sales_order(orders_pb2.PlaceSalesOrderRequest())

    assert raised.value.method == f"/{ORDERS}/PlaceSalesOrder"
    assert fake.calls["PlaceSalesOrder"] == 1


async def test_every_call_has_a_deadline(served: tuple[FakeOrders, OrdersClient]) -> None:
    fake, orders = served
    fake.delay = 1.0

    with pytest.raises(DeadlineExceeded):
        await orders.get_sales_order(orders_pb2.GetSalesOrderRequest(), timeout=0.1)
    orders.timeout = 0.1  # the client's default, when a call names none
    with pytest.raises(DeadlineExceeded):
        await orders.get_sales_order(orders_pb2.GetSalesOrderRequest())


async def test_a_servers_field_violations_arrive_with_the_exception() -> None:
    async def refuse(request: bytes, context: grpc.aio.ServicerContext) -> Any:
        status = status_pb2.Status.FromString(_bad_request(("lines[0].quantity", "> 0")))
        await context.abort_with_status(rpc_status.to_status(status))

    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        [
            grpc.method_handlers_generic_handler(
                ORDERS, {"PlaceSalesOrder": grpc.unary_unary_rpc_method_handler(refuse)}
            )
        ]
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with OrdersClient(grpc.aio.insecure_channel(f"127.0.0.1:{port}")) as orders:
            with pytest.raises(InvalidArgument) as raised:
                await orders.place_sales_order(orders_pb2.PlaceSalesOrderRequest())
    finally:
        await server.stop(None)
    assert raised.value.violations == (FieldViolation("lines[0].quantity", "> 0"),)
    assert raised.value.message == "bad"


async def test_pages_follows_the_next_page_token(served: tuple[FakeOrders, OrdersClient]) -> None:
    _, orders = served
    seen = [
        page.orders[0].id
        async for page in pages(orders.list_sales_orders, orders_pb2.ListSalesOrdersRequest())
    ]
    assert seen == ["o0", "o1", "o2"]


async def test_a_client_keeps_trying_a_service_that_is_down_about_every_second() -> None:
    options = channel_options(OrdersClient.services)

    attempts = await connection_attempts(
        lambda target: grpc.aio.insecure_channel(target, options=options), seconds=5
    )

    # gRPC's defaults make 3 or 4 attempts in 5 s, the last gaps 1.6 s and 2.6 s (each +-20 %)
    assert len(attempts) >= 6
    assert longest_gap(attempts) <= 1.5
