"""Edges that hold: stock only for products the catalog has, every size bounded (a field error,
never a database error), every list a page at a time with a capped page size."""

from __future__ import annotations

import uuid

from oms.events.v1 import inventory_pb2 as events
from oms.inventory.v1 import inventory_pb2 as pb
from services.inventory.tests.integration.conftest import (
    WAREHOUSE,
    Inventory,
    invalid_fields,
    new_product,
    placed,
)


async def test_stock_is_kept_only_for_products_the_catalog_has(inventory: Inventory) -> None:
    known, warehouse, other = (
        await inventory.product(),
        await inventory.warehouse(),
        await inventory.warehouse(),
    )
    unknown = str(uuid.uuid4())
    stub = inventory.stub
    calls = {
        "product_id": [
            stub.AdjustStock(
                pb.AdjustStockRequest(
                    warehouse_id=warehouse, product_id=unknown, quantity_delta=1, reason="count"
                ),
                metadata=WAREHOUSE,
            ),
            stub.TransferStock(
                pb.TransferStockRequest(
                    from_warehouse_id=warehouse,
                    to_warehouse_id=other,
                    product_id=unknown,
                    quantity=1,
                ),
                metadata=WAREHOUSE,
            ),
            stub.SetReorderPoint(
                pb.SetReorderPointRequest(
                    product_id=unknown, warehouse_id=warehouse, reorder_point=3
                ),
                metadata=WAREHOUSE,
            ),
        ],
        "lines[1].product_id": [
            stub.ReceiveGoods(
                pb.ReceiveGoodsRequest(
                    warehouse_id=warehouse,
                    lines=[
                        pb.ReceiptLine(product_id=known, quantity=1),
                        pb.ReceiptLine(product_id=unknown, quantity=1),
                    ],
                ),
                metadata=WAREHOUSE,
            ),
            stub.ExpectGoods(
                pb.ExpectGoodsRequest(
                    purchase_order_id="PO-9",
                    warehouse_id=warehouse,
                    lines=[
                        pb.ExpectedLine(product_id=known, quantity=1),
                        pb.ExpectedLine(product_id=unknown, quantity=1),
                    ],
                ),
                metadata=WAREHOUSE,
            ),
        ],
    }
    for field, refused_calls in calls.items():
        for call in refused_calls:
            assert await invalid_fields(call) == [field]
    levels = await stub.GetStock(pb.GetStockRequest(warehouse_id=warehouse))
    assert list(levels.levels) == []  # nothing half-written, not even the known product's line


async def test_oversized_input_is_a_field_error(inventory: Inventory) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    stub = inventory.stub

    def adjust(**fields: object) -> pb.AdjustStockRequest:
        base: dict[str, object] = {
            "warehouse_id": warehouse,
            "product_id": product,
            "quantity_delta": 1,
            "reason": "count",
        }
        return pb.AdjustStockRequest(**{**base, **fields})

    cases = [
        (stub.AdjustStock(adjust(quantity_delta=10**12)), ["quantity_delta"]),
        (stub.AdjustStock(adjust(quantity_delta=-(10**7))), ["quantity_delta"]),
        (stub.AdjustStock(adjust(reason="x" * 501)), ["reason"]),
        (stub.AdjustStock(adjust(product_id="p" * 65)), ["product_id"]),
        (stub.AdjustStock(adjust(product_id="p" * 12_000)), ["product_id"]),
        (
            stub.ReceiveGoods(
                pb.ReceiveGoodsRequest(
                    warehouse_id=warehouse,
                    lines=[pb.ReceiptLine(product_id=product, quantity=2**62)],
                )
            ),
            ["lines[0].quantity"],
        ),
        (
            stub.TransferStock(
                pb.TransferStockRequest(
                    from_warehouse_id=warehouse,
                    to_warehouse_id=str(uuid.uuid4()),
                    product_id=product,
                    quantity=1_000_001,
                )
            ),
            ["quantity"],
        ),
        (
            stub.SetReorderPoint(
                pb.SetReorderPointRequest(
                    product_id=product, warehouse_id=warehouse, reorder_point=10**9
                )
            ),
            ["reorder_point"],
        ),
        (
            stub.ShipOrder(
                pb.ShipOrderRequest(
                    order_id=str(uuid.uuid4()),
                    warehouse_id=warehouse,
                    carrier="c" * 101,
                    lines=[pb.ShipLine(line_id="l-1", quantity=10**7)],
                )
            ),
            ["carrier", "lines[0].quantity"],
        ),
        (
            stub.CreateWarehouse(pb.CreateWarehouseRequest(code="BIG", name="n" * 201)),
            ["name"],
        ),
    ]
    for call, fields in cases:
        assert await invalid_fields(call) == fields
    for listing in (
        stub.ListWarehouses(pb.ListWarehousesRequest(page_size=201)),
        stub.GetStock(pb.GetStockRequest(page_size=10_000)),
        stub.ListShipments(pb.ListShipmentsRequest(page_size=-1)),
        stub.ListReservations(pb.ListReservationsRequest(order_id="o", page_size=201)),
    ):
        assert await invalid_fields(listing) == ["page_size"]
    assert await invalid_fields(
        stub.ListShipments(pb.ListShipmentsRequest(page_token="not-ours"))
    ) == ["page_token"]


async def test_every_list_comes_a_page_at_a_time(inventory: Inventory) -> None:
    product = await inventory.product()
    created = [await inventory.warehouse(priority=p) for p in (3, 1, 2)]
    stub = inventory.stub

    async def pages(call: str, field: str, **request: object) -> list[list[str]]:
        """Ids (or what stands for them) of each page of two."""
        found, token = [], ""
        for _ in range(5):
            reply = await getattr(stub, call)(
                REQUESTS[call](page_size=2, page_token=token, **request)
            )
            found.append([ITEM_KEYS[call](x) for x in getattr(reply, field)])
            token = reply.next_page_token
            if not token:
                return found
        raise AssertionError("the pages never ended")

    assert await pages("ListWarehouses", "warehouses") == [
        [created[1], created[2]],
        [created[0]],
    ]
    for warehouse in created:
        await inventory.stock(warehouse, product, 5)
    assert await pages("GetStock", "levels", product_id=product) == [
        sorted(created)[:2],
        sorted(created)[2:],
    ]

    order = placed((product, 1), (product, 1), (product, 1))
    async with inventory.events(events.StockReserved) as log:
        await inventory.place(order)
        await log.wait_for(order.order_id)
    lines = [x.line_id for x in order.lines]
    assert await pages("ListReservations", "lines", order_id=order.order_id) == [
        lines[:2],
        lines[2:],
    ]
    await inventory.approve(order.order_id)
    shipped = []
    for line in lines:
        reply = await stub.ShipOrder(
            pb.ShipOrderRequest(
                order_id=order.order_id,
                warehouse_id=created[1],
                carrier="DHL",
                lines=[pb.ShipLine(line_id=line, quantity=1)],
            ),
            metadata=WAREHOUSE,
        )
        shipped.append(reply.shipment.id)
    newest_first = shipped[::-1]
    assert await pages("ListShipments", "shipments", order_id=order.order_id) == [
        newest_first[:2],
        newest_first[2:],
    ]
    assert await pages("ListShipments", "shipments", order_id=new_product()) == [[]]


REQUESTS = {
    "ListWarehouses": pb.ListWarehousesRequest,
    "GetStock": pb.GetStockRequest,
    "ListReservations": pb.ListReservationsRequest,
    "ListShipments": pb.ListShipmentsRequest,
}
ITEM_KEYS = {
    "ListWarehouses": lambda w: w.id,
    "GetStock": lambda level: level.warehouse_id,
    "ListReservations": lambda line: line.line_id,
    "ListShipments": lambda s: s.id,
}
