"""The inventory routes at the edge, over a fake inventory that records what it is asked: the
Idempotency-Key of each POST that creates a warehouse or moves stock travels on as its
request_id, lists come a page at a time, and oversized input is a 422 naming the field before
inventory is asked."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from google.protobuf.message import Message

from gateway.edge.idempotency import HEADER
from oms.inventory.v1 import inventory_pb2 as pb
from oms.inventory.v1 import inventory_pb2_grpc
from services.gateway.tests.unit.conftest import GatewayOver
from services.gateway.tests.unit.fakes import memory_stores
from testkit.services import signed_in

WAREHOUSE = signed_in("wendy", "warehouse")
LEVEL = pb.StockLevel(warehouse_id="w-1", product_id="p-1", on_hand=5, available=5)
SHIPMENT = pb.Shipment(id="s-1", order_id="o-1", warehouse_id="w-1", carrier="DHL")


class FakeInventory(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self) -> None:
        self.asked: list[Message] = []

    async def _seen(self, request: Message, reply: Message) -> Any:
        self.asked.append(request)
        return reply

    async def CreateWarehouse(self, request: Any, context: Any) -> Any:
        created = pb.Warehouse(id="w-1", code=request.code, name=request.name)
        return await self._seen(request, pb.CreateWarehouseResponse(warehouse=created))

    async def AdjustStock(self, request: Any, context: Any) -> Any:
        return await self._seen(request, pb.AdjustStockResponse(level=LEVEL))

    async def TransferStock(self, request: Any, context: Any) -> Any:
        reply = pb.TransferStockResponse(transfer_id="t-1", from_level=LEVEL, to_level=LEVEL)
        return await self._seen(request, reply)

    async def ReceiveGoods(self, request: Any, context: Any) -> Any:
        return await self._seen(request, pb.ReceiveGoodsResponse(receipt=pb.Receipt(id="r-1")))

    async def ShipOrder(self, request: Any, context: Any) -> Any:
        return await self._seen(request, pb.ShipOrderResponse(shipment=SHIPMENT))

    async def ReceiveReturn(self, request: Any, context: Any) -> Any:
        reply = pb.ReceiveReturnResponse(received=pb.Return(return_id="ret-1", status="received"))
        return await self._seen(request, reply)

    async def ListWarehouses(self, request: Any, context: Any) -> Any:
        reply = pb.ListWarehousesResponse(
            warehouses=[pb.Warehouse(id="w-1", code="MAIN", name="Main")], next_page_token="n"
        )
        return await self._seen(request, reply)

    async def GetStock(self, request: Any, context: Any) -> Any:
        return await self._seen(request, pb.GetStockResponse(levels=[LEVEL], next_page_token="n"))

    async def ListShipments(self, request: Any, context: Any) -> Any:
        reply = pb.ListShipmentsResponse(shipments=[SHIPMENT], next_page_token="n")
        return await self._seen(request, reply)

    async def ListReservations(self, request: Any, context: Any) -> Any:
        reply = pb.ListReservationsResponse(
            order_id="o-1",
            status="approved",
            on_hold=True,
            hold_reason="credit",
            next_page_token="n",
        )
        return await self._seen(request, reply)


@pytest.fixture(scope="module")
def inventory() -> FakeInventory:
    return FakeInventory()


@pytest.fixture(scope="module")
async def api(
    gateway_over: GatewayOver, inventory: FakeInventory
) -> AsyncIterator[httpx.AsyncClient]:
    registration = (inventory_pb2_grpc.add_InventoryServiceServicer_to_server, inventory)
    async with gateway_over([registration], "http://gw") as client:
        yield client


MOVES = [
    (
        "/api/v1/stock/adjustments",
        {"warehouse_id": "w-1", "product_id": "p-1", "quantity_delta": 5, "reason": "count"},
    ),
    (
        "/api/v1/stock/transfers",
        {"from_warehouse_id": "w-1", "to_warehouse_id": "w-2", "product_id": "p-1", "quantity": 1},
    ),
    ("/api/v1/receipts", {"warehouse_id": "w-1", "lines": [{"product_id": "p-1", "quantity": 2}]}),
    ("/api/v1/shipments", {"order_id": "o-1", "warehouse_id": "w-1", "carrier": "DHL"}),
    ("/api/v1/returns/ret-1/receipt", {"warehouse_id": "w-1"}),
]


@pytest.mark.parametrize(("path", "body"), MOVES)
async def test_a_post_that_moves_stock_passes_its_idempotency_key_on_as_request_id(
    api: httpx.AsyncClient, inventory: FakeInventory, path: str, body: dict[str, Any]
) -> None:
    ids = []
    one, two = str(uuid.uuid4()), str(uuid.uuid4())
    for key, who in ((one, "wendy"), (two, "wendy"), (one, "walt"), ("", "wendy")):
        headers = signed_in(who, "warehouse") | ({"Idempotency-Key": key} if key else {})
        response = await api.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.text
        ids.append(inventory.asked[-1].request_id)  # type: ignore[attr-defined]
    first, other_key, other_caller, without = ids
    assert "" not in (first, other_key, other_caller)
    assert len({first, other_key, other_caller}) == 3
    assert without == ""


async def test_a_warehouse_is_created_with_a_request_id_that_the_same_key_repeats(
    gateway_over: GatewayOver,
) -> None:
    inventory = FakeInventory()
    registration = (inventory_pb2_grpc.add_InventoryServiceServicer_to_server, inventory)
    body = {"code": "EAST", "name": "East"}
    # two gateways that share no record of the first response, then one without a key
    for headers in (WAREHOUSE | {HEADER: "k-1"}, WAREHOUSE | {HEADER: "k-1"}, WAREHOUSE):
        async with gateway_over([registration], "http://gw", stores=memory_stores()) as api:
            created = await api.post("/api/v1/warehouses", json=body, headers=headers)
            assert created.status_code == 201, created.text
    first, second, plain = (r.request_id for r in inventory.asked)  # type: ignore[attr-defined]
    assert first != ""
    assert second == first  # so inventory answers the retry with the first warehouse
    assert plain == ""


LISTS = [
    ("/api/v1/warehouses", {}),
    ("/api/v1/stock", {"product_id": "p-1"}),
    ("/api/v1/shipments", {"order_id": "o-1"}),
    ("/api/v1/reservations", {"order_id": "o-1"}),
]


@pytest.mark.parametrize(("path", "query"), LISTS)
async def test_every_list_is_paged(
    api: httpx.AsyncClient, inventory: FakeInventory, path: str, query: dict[str, str]
) -> None:
    page = await api.get(
        path, params={**query, "page_size": 2, "page_token": "t"}, headers=WAREHOUSE
    )
    assert page.status_code == 200, page.text
    asked = inventory.asked[-1]
    assert (asked.page_size, asked.page_token) == (2, "t")  # type: ignore[attr-defined]
    assert page.json()["next_page_token"] == "n"
    for size in (0, 201, 10**30):
        too_big = await api.get(path, params={**query, "page_size": size}, headers=WAREHOUSE)
        assert too_big.status_code == 422
        assert too_big.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in too_big.json()["errors"]] == ["page_size"]


async def test_a_held_order_shows_why_in_its_reservations(api: httpx.AsyncClient) -> None:
    body = (
        await api.get("/api/v1/reservations", params={"order_id": "o-1"}, headers=WAREHOUSE)
    ).json()
    assert (body["on_hold"], body["hold_reason"]) == (True, "credit")


HUGE_ID = "x" * 12_000
OVERSIZED = [
    (
        "post",
        "/api/v1/stock/adjustments",
        {**MOVES[0][1], "quantity_delta": 10**13},
        "quantity_delta",
    ),
    ("post", "/api/v1/stock/adjustments", {**MOVES[0][1], "product_id": HUGE_ID}, "product_id"),
    ("post", "/api/v1/stock/adjustments", {**MOVES[0][1], "reason": "r" * 501}, "reason"),
    ("post", "/api/v1/stock/transfers", {**MOVES[1][1], "quantity": 1_000_001}, "quantity"),
    (
        "post",
        "/api/v1/receipts",
        {"warehouse_id": "w-1", "lines": [{"product_id": "p-1", "quantity": 10**40}]},
        "lines[0].quantity",
    ),
    ("post", "/api/v1/shipments", {**MOVES[3][1], "warehouse_id": HUGE_ID}, "warehouse_id"),
    (
        "post",
        "/api/v1/shipments",
        {**MOVES[3][1], "lines": [{"line_id": "l-1", "quantity": 0}]},
        "lines[0].quantity",
    ),
    ("post", f"/api/v1/returns/{HUGE_ID}/receipt", MOVES[4][1], "return_id"),
    ("post", f"/api/v1/shipments/{HUGE_ID}/status", {"status": "delivered"}, "shipment_id"),
    (
        "put",
        "/api/v1/stock/reorder-points",
        {"product_id": "p-1", "warehouse_id": "w-1", "reorder_point": -1},
        "reorder_point",
    ),
    (
        "post",
        "/api/v1/stock/expected",
        {
            "purchase_order_id": "PO-1",
            "warehouse_id": "w-1",
            "lines": [{"product_id": "p-1", "quantity": 2_000_000}],
        },
        "lines[0].quantity",
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), OVERSIZED)
async def test_oversized_input_is_a_422_naming_the_field(
    api: httpx.AsyncClient,
    inventory: FakeInventory,
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    before = len(inventory.asked)
    response = await api.request(method, path, json=body, headers=WAREHOUSE)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert len(inventory.asked) == before


async def test_a_huge_query_id_is_a_422(api: httpx.AsyncClient) -> None:
    for path in ("/api/v1/stock", "/api/v1/shipments", "/api/v1/reservations"):
        key = "product_id" if path.endswith("stock") else "order_id"
        response = await api.get(path, params={key: HUGE_ID}, headers=WAREHOUSE)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [key]
