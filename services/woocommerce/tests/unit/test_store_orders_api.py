"""The store orders API (woocommerce.v1.StoreOrdersService) on the fakes, served by a real gRPC
server with mutual TLS and the connector's own access table: listing by store, state and page,
a parked order taken up again as `cli retry` does, refusals with their codes and fields, and who
may call which RPC."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import grpc
import pytest

from oms.woocommerce.v1 import store_orders_pb2 as pb
from oms.woocommerce.v1 import store_orders_pb2_grpc
from servicekit.access import EVERY_ROLE, Access, ClientRegistry
from servicekit.auth import INTERNAL_AUDIENCE, INTERNAL_ISSUER, TokenVerifier
from servicekit.grpc import start_server
from services.woocommerce.tests.repository_contracts import connector_order
from services.woocommerce.tests.unit.fakes import FakeClock, FakeConnector
from testkit.security import session_security
from testkit.services import free_port
from woocommerce.domain.connector_orders import ConnectorOrder, OrderState
from woocommerce.entrypoints.access import ACCESS
from woocommerce.entrypoints.grpc_server import StoreOrdersServicer

MODIFIED = datetime(2026, 12, 5, 10, 15, tzinfo=UTC)


def order(store_id: str, woo_order_id: int, state: OrderState, **more: object) -> ConnectorOrder:
    made = replace(
        connector_order("processing", state),
        store_id=store_id,
        woo_order_id=woo_order_id,
        number=str(woo_order_id),
        date_modified_gmt=MODIFIED,
    )
    return replace(made, **more)  # type: ignore[arg-type]


HELD = [
    order("shop-eu", 727, OrderState.PARKED, reason="unknown SKU: line 2: MUG-BLUE"),
    order("shop-eu", 728, OrderState.MAPPED, sales_order_id="so-1"),
    order("shop-eu", 729, OrderState.REVIEW, differences=("total: store 10, engine 11",)),
    order("shop-us", 5, OrderState.PARKED, reason="unknown SKU: line 1: (no SKU)"),
    order("shop-us", 6, OrderState.MAPPED, sync_note="refused: customer blocked"),
]


class Served:
    def __init__(self, units: FakeConnector, channel: grpc.aio.Channel) -> None:
        self.units = units
        self.channel = channel

    def stub(self, *roles: str) -> store_orders_pb2_grpc.StoreOrdersServiceStub:
        token = session_security().token("olga", *roles)
        metadata = (("authorization", f"Bearer {token}"),)

        class _Stub:  # every call as the person with `roles`
            def __init__(self, inner: store_orders_pb2_grpc.StoreOrdersServiceStub) -> None:
                self.inner = inner

            def __getattr__(self, name: str) -> object:
                method = getattr(self.inner, name)
                return lambda request: method(request, metadata=metadata)

        return _Stub(store_orders_pb2_grpc.StoreOrdersServiceStub(self.channel))  # type: ignore[return-value]


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    security = session_security()
    units = FakeConnector(FakeClock(MODIFIED))
    for held in HELD:
        units.state.orders[(held.store_id, held.woo_order_id)] = held
    verifier = TokenVerifier(security.gateway_key.key_set(), INTERNAL_ISSUER, INTERNAL_AUDIENCE)
    port = free_port()
    server = await start_server(
        [
            (
                store_orders_pb2_grpc.add_StoreOrdersServiceServicer_to_server,
                StoreOrdersServicer(units),
            )
        ],
        [ACCESS.service],
        host="127.0.0.1",
        port=port,
        tls=security.pki.files("woocommerce"),
        access=Access([ACCESS], verifier, ClientRegistry(None)),
    )
    channel = security.channel(f"127.0.0.1:{port}", token="")
    try:
        yield Served(units, channel)
    finally:
        await channel.close()
        await server.stop(None)


def keys(reply: pb.ListStoreOrdersResponse) -> list[tuple[str, int]]:
    return [(o.store_id, o.woo_order_id) for o in reply.orders]


async def test_the_parked_orders_of_every_store_are_listed_with_why(served: Served) -> None:
    reply = await served.stub("order-desk").ListStoreOrders(
        pb.ListStoreOrdersRequest(state="parked")
    )
    assert keys(reply) == [("shop-eu", 727), ("shop-us", 5)]
    first = reply.orders[0]
    assert (first.number, first.state, first.why) == (
        "727",
        "parked",
        "unknown SKU: line 2: MUG-BLUE",
    )
    assert first.received_at.ToDatetime(tzinfo=UTC) == MODIFIED
    assert (first.currency, first.total, first.sales_order_id) == ("USD", "133.58", "")
    assert reply.next_page_token == ""


async def test_one_stores_orders_in_any_state_with_the_sales_order_and_review_differences(
    served: Served,
) -> None:
    reply = await served.stub("sales-manager").ListStoreOrders(
        pb.ListStoreOrdersRequest(store_id="shop-eu")
    )
    assert keys(reply) == [("shop-eu", 727), ("shop-eu", 728), ("shop-eu", 729)]
    assert reply.orders[1].sales_order_id == "so-1"
    assert reply.orders[2].why == "total: store 10, engine 11"


async def test_pages_follow_one_another_without_gaps_or_repeats(served: Served) -> None:
    stub, seen, token = served.stub("admin"), [], ""
    while True:
        reply = await stub.ListStoreOrders(pb.ListStoreOrdersRequest(page_size=2, page_token=token))
        seen += keys(reply)
        token = reply.next_page_token
        if not token:
            break
    assert seen == sorted((h.store_id, h.woo_order_id) for h in HELD)


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (pb.ListStoreOrdersRequest(state="lost"), "state"),
        (pb.ListStoreOrdersRequest(page_size=201), "page_size"),
        (pb.ListStoreOrdersRequest(page_token="not-ours"), "page_token"),
    ],
)
async def test_bad_list_requests_are_invalid_arguments_naming_the_field(
    served: Served, request_: pb.ListStoreOrdersRequest, field: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await served.stub("order-desk").ListStoreOrders(request_)
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field in (refused.value.details() or "")


async def test_a_parked_order_is_taken_up_again(served: Served) -> None:
    reply = await served.stub("order-desk").RetryStoreOrder(
        pb.RetryStoreOrderRequest(store_id="shop-eu", woo_order_id=727)
    )
    assert (reply.order.state, reply.order.why) == ("received", "")
    assert reply.outcome.startswith("taken up again")
    held = served.units.state.orders[("shop-eu", 727)]
    assert (held.state, held.reason) == (OrderState.RECEIVED, "")


async def test_a_refused_sales_sync_is_made_due_again(served: Served) -> None:
    reply = await served.stub("order-desk").RetryStoreOrder(
        pb.RetryStoreOrderRequest(store_id="shop-us", woo_order_id=6)
    )
    assert reply.outcome.startswith("due again")
    assert served.units.state.orders[("shop-us", 6)].sync_due


@pytest.mark.parametrize(
    ("store_id", "woo_order_id", "code"),
    [
        ("shop-eu", 1, grpc.StatusCode.NOT_FOUND),
        ("shop-eu", 728, grpc.StatusCode.FAILED_PRECONDITION),
        ("", 727, grpc.StatusCode.INVALID_ARGUMENT),
        ("shop-eu", 0, grpc.StatusCode.INVALID_ARGUMENT),
    ],
)
async def test_what_cannot_be_retried_is_refused(
    served: Served, store_id: str, woo_order_id: int, code: grpc.StatusCode
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await served.stub("order-desk").RetryStoreOrder(
            pb.RetryStoreOrderRequest(store_id=store_id, woo_order_id=woo_order_id)
        )
    assert refused.value.code() is code
    assert served.units.state.orders[("shop-eu", 728)].state is OrderState.MAPPED


READERS = {"order-desk", "sales-manager", "admin"}
RETRIERS = {"order-desk", "admin"}


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
async def test_each_role_may_do_what_the_access_table_says(served: Served, role: str) -> None:
    stub = served.stub(role)
    calls = {
        "list": lambda: stub.ListStoreOrders(pb.ListStoreOrdersRequest()),
        "retry": lambda: stub.RetryStoreOrder(
            pb.RetryStoreOrderRequest(store_id="shop-us", woo_order_id=5)
        ),
    }
    for name, allowed in (("list", READERS), ("retry", RETRIERS)):
        code = grpc.StatusCode.OK
        try:
            await calls[name]()
        except grpc.aio.AioRpcError as error:
            code = error.code()
        expected = grpc.StatusCode.OK if role in allowed else grpc.StatusCode.PERMISSION_DENIED
        assert code is expected, (role, name)
