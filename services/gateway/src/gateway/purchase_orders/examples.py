"""Examples of the bodies of /purchase-orders and /reorder-rules, for the OpenAPI document, in the
story of gateway.examples: 20 widgets ordered from their supplier at the contract's 7.10 EUR, all
received. A unit test validates each against its schema; none has a null field (FastAPI leaves
null out of the document)."""

from __future__ import annotations

from typing import Any

from gateway.examples import AT, PRODUCT_ID, PURCHASE_ORDER_ID, SUPPLIER_ID, WAREHOUSE_ID, money

PRICE = money("7.10")
LINE_IN = {"product_id": PRODUCT_ID, "sku": "WIDGET-1", "quantity": 20}
GROUP_IN = {"name": "Widgets", "lines": [LINE_IN]}
PURCHASE_ORDER_IN = {
    "supplier_id": SUPPLIER_ID,
    "warehouse_id": WAREHOUSE_ID,
    "currency": "EUR",
    "expected_on": "2026-12-05",
    "payment_terms": "",
    "notes": "deliver to gate 3",
    "groups": [GROUP_IN],
}
CANCEL_IN = {"reason": "the supplier cannot deliver this quarter"}
REDUCE_IN = {"quantity": 15, "reason": "5 are no longer needed"}
LINE = {
    "line_id": "1",
    "product_id": PRODUCT_ID,
    "sku": "WIDGET-1",
    "quantity": 20,
    "received": 20,
    "cancelled": 0,
    "billed": 0,
    "unit_price": PRICE,
    "price_rule": "contract Widgets 2026",
}
RECEIPT = {
    "receipt_id": "r-1",
    "product_id": PRODUCT_ID,
    "quantity": 20,
    "note": "",
    "received_at": AT,
}
STATUS_CHANGE = {
    "from_status": "sent",
    "to_status": "received",
    "reason": "",
    "at": AT,
    "by": "wes",
}
PURCHASE_ORDER: dict[str, Any] = {
    "id": PURCHASE_ORDER_ID,
    "number": "PO-2026-000017",
    "supplier_id": SUPPLIER_ID,
    "warehouse_id": WAREHOUSE_ID,
    "currency": "EUR",
    "status": "received",
    "total": money("142.00"),
    "expected_on": "2026-12-05",
    "payment_terms": "30 days net",
    "notes": "deliver to gate 3",
    "lines": [LINE],
    "receipts": [RECEIPT],
    "history": [STATUS_CHANGE],
    "source": "manual",
    "rfq_id": "",
    "bill_id": "",
    "bill_status": "",
    "created_at": "2026-11-28T10:00:00Z",
    "created_by": "pia",
    "updated_at": AT,
    "prices_hidden": False,
}
REORDER_RULE_IN = {
    "product_id": PRODUCT_ID,
    "warehouse_id": WAREHOUSE_ID,
    "sku": "WIDGET-1",
    "minimum": 5,
    "maximum": 20,
    "supplier_id": SUPPLIER_ID,
    "unit_price": PRICE,
    "lead_time_days": 5,
}
REORDER_RULE = REORDER_RULE_IN | {
    "updated_at": "2026-11-20T08:00:00Z",
    "updated_by": "pia",
    "prices_hidden": False,
}
