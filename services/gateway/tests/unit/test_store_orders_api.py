"""/store-orders over a fake connector: the filters and page the gateway passes on, the orders it
shapes, the connector's refusals as problems, the bounds it holds at the edge, and a 503 while
the connector is not running."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from gateway.clients import CHANNELS
from oms.woocommerce.v1 import store_orders_pb2 as pb
from oms.woocommerce.v1 import store_orders_pb2_grpc
from services.gateway.tests.unit.conftest import GatewayOver, gateway_at, gateway_settings
from testkit.services import free_port, signed_in

API = "/api/v1"
AT = Timestamp(seconds=1_796_000_000)
DESK = signed_in("olga", "order-desk")
PARKED = pb.StoreOrder(
    store_id="shop-eu",
    woo_order_id=727,
    number="727",
    state="parked",
    why="unknown SKU: line 2: MUG-BLUE",
    received_at=AT,
    currency="EUR",
    total="133.58",
)
seen: dict[str, list[Any]] = {}


class FakeConnector(store_orders_pb2_grpc.StoreOrdersServiceServicer):
    async def ListStoreOrders(self, request: Any, context: Any) -> Any:
        seen.setdefault("ListStoreOrders", []).append(request)
        return pb.ListStoreOrdersResponse(orders=[PARKED], next_page_token="more")

    async def RetryStoreOrder(self, request: Any, context: Any) -> Any:
        seen.setdefault("RetryStoreOrder", []).append(request)
        if request.woo_order_id == 1:
            await context.abort(grpc.StatusCode.NOT_FOUND, "store shop-eu has no order 1")
        if request.woo_order_id == 2:
            await context.abort(grpc.StatusCode.FAILED_PRECONDITION, "nothing to retry (mapped)")
        taken = pb.StoreOrder()
        taken.CopyFrom(PARKED)
        taken.state, taken.why = "received", ""
        return pb.RetryStoreOrderResponse(order=taken, outcome="taken up again")


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver) -> AsyncIterator[httpx.AsyncClient]:
    registration = (store_orders_pb2_grpc.add_StoreOrdersServiceServicer_to_server, FakeConnector())
    async with gateway_over([registration], "http://gw") as client:
        yield client


async def test_the_parked_orders_are_listed_with_the_filters_passed_on(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get(
        f"{API}/store-orders",
        params={"store_id": "shop-eu", "state": "parked", "page_size": 20, "page_token": "t"},
        headers=DESK,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "items": [
            {
                "store_id": "shop-eu",
                "woo_order_id": 727,
                "number": "727",
                "state": "parked",
                "why": "unknown SKU: line 2: MUG-BLUE",
                "sales_order_id": "",
                "received_at": "2026-11-30T00:53:20Z",
                "currency": "EUR",
                "total": "133.58",
            }
        ],
        "next_page_token": "more",
    }
    passed = seen["ListStoreOrders"][-1]
    assert (passed.store_id, passed.state, passed.page_size, passed.page_token) == (
        "shop-eu",
        "parked",
        20,
        "t",
    )


async def test_without_filters_every_store_and_state_is_asked_for(api: httpx.AsyncClient) -> None:
    response = await api.get(f"{API}/store-orders", headers=signed_in("max", "sales-manager"))
    assert response.status_code == 200, response.text
    passed = seen["ListStoreOrders"][-1]
    assert (passed.store_id, passed.state, passed.page_size) == ("", "", 50)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "lost"}, "state"),
        ({"page_size": 201}, "page_size"),
        ({"store_id": "s" * 41}, "store_id"),
    ],
)
async def test_bad_filters_are_refused_at_the_edge_with_the_field(
    api: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await api.get(f"{API}/store-orders", params=params, headers=DESK)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in response.text


async def test_a_parked_order_is_retried(api: httpx.AsyncClient) -> None:
    response = await api.post(f"{API}/store-orders/shop-eu/727/retry", headers=DESK)
    assert response.status_code == 200, response.text
    assert response.json()["order"]["state"] == "received"
    assert response.json()["outcome"] == "taken up again"
    passed = seen["RetryStoreOrder"][-1]
    assert (passed.store_id, passed.woo_order_id) == ("shop-eu", 727)


@pytest.mark.parametrize(("woo_order_id", "status"), [(1, 404), (2, 409)])
async def test_the_connectors_refusals_are_problems(
    api: httpx.AsyncClient, woo_order_id: int, status: int
) -> None:
    response = await api.post(f"{API}/store-orders/shop-eu/{woo_order_id}/retry", headers=DESK)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("woo_order_id", ["abc", "0"])
async def test_a_bad_order_id_is_refused_at_the_edge(
    api: httpx.AsyncClient, woo_order_id: str
) -> None:
    response = await api.post(f"{API}/store-orders/shop-eu/{woo_order_id}/retry", headers=DESK)
    assert response.status_code == 422
    assert "woo_order_id" in response.text


async def test_a_sales_manager_reads_but_does_not_retry(api: httpx.AsyncClient) -> None:
    response = await api.post(
        f"{API}/store-orders/shop-eu/727/retry", headers=signed_in("max", "sales-manager")
    )
    assert response.status_code == 403


async def test_the_list_answers_503_while_the_connector_is_not_running() -> None:
    nobody = f"127.0.0.1:{free_port()}"
    settings = gateway_settings(grpc_deadline_seconds=2.0, grpc_read_attempts=1)
    async with gateway_at(dict.fromkeys(CHANNELS, nobody), "http://gw", settings=settings) as api:
        response = await api.get(f"{API}/store-orders", headers=DESK)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
