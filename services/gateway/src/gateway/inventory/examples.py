"""Examples of inventory's REST bodies, in the story of gateway.examples."""

from __future__ import annotations

from gateway.examples import (
    AT,
    LATER,
    LINE_ID,
    ORDER_ID,
    ORDER_SHIPMENT,
    PRODUCT_ID,
    PURCHASE_ORDER_ID,
    RETURN_ID,
    SECOND_WAREHOUSE_ID,
    SHIPMENT_LINE,
    WAREHOUSE_ID,
)

WAREHOUSE_IN = {"code": "MAIN", "name": "Main warehouse", "priority": 0}
WAREHOUSE = {"id": WAREHOUSE_ID, **WAREHOUSE_IN}
STOCK_LEVEL = {
    "warehouse_id": WAREHOUSE_ID,
    "product_id": PRODUCT_ID,
    "on_hand": 10,
    "reserved": 3,
    "available": 7,
    "incoming": 20,
    "backordered": 0,
    "reorder_point": 5,
}
STOCK_ADJUSTMENT_IN = {
    "warehouse_id": WAREHOUSE_ID,
    "product_id": PRODUCT_ID,
    "quantity_delta": 10,
    "reason": "initial count",
}
TRANSFER_IN = {
    "from_warehouse_id": WAREHOUSE_ID,
    "to_warehouse_id": SECOND_WAREHOUSE_ID,
    "product_id": PRODUCT_ID,
    "quantity": 2,
    "reason": "rebalance",
}
TRANSFER = {
    "transfer_id": "t-1",
    "from_level": {**STOCK_LEVEL, "on_hand": 8, "available": 5},
    "to_level": {
        **STOCK_LEVEL,
        "warehouse_id": SECOND_WAREHOUSE_ID,
        "on_hand": 2,
        "reserved": 0,
        "available": 2,
        "incoming": 0,
    },
}
REORDER_POINT_IN = {"product_id": PRODUCT_ID, "warehouse_id": WAREHOUSE_ID, "reorder_point": 5}
EXPECTED_GOODS_IN = {
    "purchase_order_id": PURCHASE_ORDER_ID,
    "warehouse_id": WAREHOUSE_ID,
    "lines": [{"product_id": PRODUCT_ID, "quantity": 20}],
}
EXPECTED_GOODS = {
    "purchase_order_id": PURCHASE_ORDER_ID,
    "warehouse_id": WAREHOUSE_ID,
    "lines": [{"product_id": PRODUCT_ID, "quantity": 20, "received": 0}],
}
RECEIPT_IN = {
    "warehouse_id": WAREHOUSE_ID,
    "purchase_order_id": PURCHASE_ORDER_ID,
    "lines": [{"product_id": PRODUCT_ID, "quantity": 20}],
}
RECEIPT = {
    "id": "r-1",
    "warehouse_id": WAREHOUSE_ID,
    "purchase_order_id": PURCHASE_ORDER_ID,
    "lines": [{"product_id": PRODUCT_ID, "quantity": 20}],
    "created_at": AT,
    "created_by": "wes",
}
RESERVATIONS = {
    "order_id": ORDER_ID,
    "status": "approved",
    "placed_at": AT,
    "lines": [
        {
            "line_id": LINE_ID,
            "product_id": PRODUCT_ID,
            "quantity": 3,
            "backordered": 0,
            "allocations": [
                {"warehouse_id": WAREHOUSE_ID, "reserved": 3, "consumed": 0, "released": 0}
            ],
        }
    ],
    "next_page_token": "",
    "approved": True,
    "on_hold": False,
    "hold_reason": "",
}
SHIPMENT = {**ORDER_SHIPMENT, "updated_at": LATER}
SHIPMENT_IN = {
    "order_id": ORDER_ID,
    "warehouse_id": WAREHOUSE_ID,
    "carrier": "DHL",
    "tracking_number": "1Z999",
    "lines": [{"line_id": LINE_ID, "quantity": 3}],
}
SHIPMENT_STATUS_IN = {"status": "in_transit"}
RETURN_RECEIPT_IN = {"warehouse_id": WAREHOUSE_ID}
RETURN = {
    "return_id": RETURN_ID,
    "order_id": ORDER_ID,
    "warehouse_id": WAREHOUSE_ID,
    "lines": [{**SHIPMENT_LINE, "quantity": 1}],
    "status": "received",
    "received_at": LATER,
    "received_by": "wes",
}
