"""Examples of the bodies of /rfqs, for the OpenAPI document, in the story of gateway.examples:
20 widgets asked of two suppliers; the widget's supplier proposes 7.10 EUR and is awarded, which
drafts a purchase order. A unit test validates each against its schema; none has a null field
(FastAPI leaves null out of the document)."""

from __future__ import annotations

from typing import Any

from gateway.examples import AT, PRODUCT_ID, SUPPLIER_ID, WAREHOUSE_ID, money
from gateway.purchase_orders.examples import LINE as ORDER_LINE
from gateway.purchase_orders.examples import PURCHASE_ORDER

RFQ_ID = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"
OTHER_SUPPLIER_ID = "6b5c4d3e-2f10-4bac-9d8e-7f6a5b4c3d2e"
AWARDED_ORDER_ID = "7d6e5f4a-3b2c-4d1e-8f0a-9b8c7d6e5f4a"
PRICE = money("7.10")

LINE_IN = {
    "product_id": PRODUCT_ID,
    "sku": "WIDGET-1",
    "description": "Widget, blue",
    "quantity": 20,
    "needed_by": "2027-01-15",
}
RFQ_IN = {
    "title": "Widgets for January",
    "currency": "EUR",
    "warehouse_id": WAREHOUSE_ID,
    "deadline": "2026-12-12T17:00:00Z",
    "supplier_ids": [SUPPLIER_ID, OTHER_SUPPLIER_ID],
    "lines": [LINE_IN],
    "notes": "",
}
PROPOSAL_LINE_IN = {"product_id": PRODUCT_ID, "unit_price": PRICE}
PROPOSAL_IN = {
    "supplier_id": SUPPLIER_ID,
    "lines": [PROPOSAL_LINE_IN],
    "lead_time_days": 5,
    "terms": "30 days net",
    "valid_until": "2026-12-31",
}
AWARD_IN = {"supplier_id": SUPPLIER_ID}
LINE = LINE_IN | {"line_id": "1"}
PROPOSAL_LINE = PROPOSAL_LINE_IN
PROPOSAL = PROPOSAL_IN | {"recorded_at": "2026-12-08T12:00:00Z", "recorded_by": "pia"}
RFQ: dict[str, Any] = RFQ_IN | {
    "id": RFQ_ID,
    "lines": [LINE],
    "status": "open",
    "proposals": [PROPOSAL],
    "awarded_supplier_id": "",
    "purchase_order_id": "",
    "created_at": AT,
    "created_by": "pia",
    "updated_at": "2026-12-08T12:00:00Z",
}
OFFER_LINE = {
    "product_id": PRODUCT_ID,
    "sku": "WIDGET-1",
    "quantity": 20,
    "unit_price": PRICE,
    "line_total": money("142.00"),
}
OFFER = {
    "supplier_id": SUPPLIER_ID,
    "supplier_name": "Anvil Components GmbH",
    "total": money("142.00"),
    "lead_time_days": 5,
    "terms": "30 days net",
    "valid_until": "2026-12-31",
    "lines": [OFFER_LINE],
    "cheapest": True,
    "expired": False,
}
COMPARISON = {
    "rfq_id": RFQ_ID,
    "currency": "EUR",
    "offers": [OFFER],
    "pending_supplier_ids": [OTHER_SUPPLIER_ID],
}
AWARD = {
    "rfq": RFQ
    | {
        "status": "awarded",
        "awarded_supplier_id": SUPPLIER_ID,
        "purchase_order_id": AWARDED_ORDER_ID,
        "updated_at": "2026-12-13T09:00:00Z",
    },
    "purchase_order": PURCHASE_ORDER
    | {
        "id": AWARDED_ORDER_ID,
        "number": "PO-2026-000018",
        "status": "draft",
        "expected_on": "2026-12-18",
        "lines": [ORDER_LINE | {"received": 0, "price_rule": "proposal"}],
        "receipts": [],
        "history": [],
        "source": "rfq",
        "rfq_id": RFQ_ID,
        "created_at": "2026-12-13T09:00:00Z",
        "updated_at": "2026-12-13T09:00:00Z",
    },
}
