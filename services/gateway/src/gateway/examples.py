"""Examples of the REST bodies, for the OpenAPI document: one consistent story (a widget, its
warehouse, a customer, an order of three, its shipment), so that a reader can follow an id from
one answer to the next. A unit test validates each against its schema."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

PRODUCT_ID = "5b0c2f4e-8a3d-4c1b-9e7f-1a2b3c4d5e6f"
CATEGORY_ID = "c1a7e0d2-3b4c-4d5e-8f90-a1b2c3d4e5f6"
WAREHOUSE_ID = "7e3f1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
SECOND_WAREHOUSE_ID = "8f4a2b3c-5d6e-4f70-9a1b-1c2d3e4f5a6b"
CUSTOMER_ID = "2d9e8f7a-6b5c-4d3e-9f1a-2b3c4d5e6f7a"
ORDER_ID = "0b7d6c1e-5f0a-4b8e-9a51-3c1f2d4e5a60"
LINE_ID = "a4c3b2d1-0e9f-4a8b-8c7d-6e5f4a3b2c1d"
QUOTE_ID = "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
SHIPMENT_ID = "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b"
RETURN_ID = "f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c"
PRICE_LIST_ID = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
TEMPLATE_ID = "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70"
PURCHASE_ORDER_ID = "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b"
SUPPLIER_ID = "4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c"
AT = "2026-12-05T10:15:00Z"
LATER = "2026-12-05T14:30:00Z"


def examples(*values: dict[str, Any]) -> ConfigDict:
    """A model's `model_config` naming its examples (for the document only)."""
    return ConfigDict(json_schema_extra={"examples": list(values)})


def page(*items: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A page of `items` that has more after it."""
    return {"items": list(items), "next_page_token": "eyJhZnRlciI6IjEifQ", **more}


# FastAPI leaves null out of the document (examples included): no example has a null field.


def money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


MONEY = money("12.50")

# Shipments (inventory's; an order's summary shows them too)

SHIPMENT_LINE = {"line_id": LINE_ID, "product_id": PRODUCT_ID, "quantity": 3}
ORDER_SHIPMENT = {
    "id": SHIPMENT_ID,
    "order_id": ORDER_ID,
    "warehouse_id": WAREHOUSE_ID,
    "lines": [SHIPMENT_LINE],
    "carrier": "DHL",
    "tracking_number": "1Z999",
    "status": "dispatched",
    "created_at": LATER,
    "created_by": "wes",
}


# Priced documents: three widgets at 12.50 with 19 % VAT

NO_DISCOUNT = {"percent": "", "amount": ""}
VAT = {"code": "VAT19", "rate": "0.19"}
DOCUMENT = {
    "currency": "EUR",
    "policy": {"rounding_mode": "per_line", "rounding": "half_up", "prices_include_tax": False},
    "engine_version": "1",
    "groups": [
        {
            "name": "",
            "discount": NO_DISCOUNT,
            "taxes": [],
            "lines": [
                {
                    "line_id": LINE_ID,
                    "product_id": PRODUCT_ID,
                    "sku": "WIDGET-1",
                    "description": "Widget",
                    "quantity": "3",
                    "unit_price": "12.50",
                    "discount": NO_DISCOUNT,
                    "taxes": [VAT],
                    "kind": "stocked",
                    "price_rule": "list price",
                    "kit_parts": [],
                    "extended": "37.50",
                    "discount_amount": "0.00",
                    "net": "37.50",
                    "tax_amounts": [{"code": "VAT19", "amount": "7.13"}],
                }
            ],
        }
    ],
    "shipping": [],
    "totals": {
        "subtotal": "37.50",
        "discounts": "0.00",
        "net": "37.50",
        "shipping": "0.00",
        "taxes": [{"code": "VAT19", "rate": "0.19", "base": "37.50", "amount": "7.13"}],
        "total": "44.63",
        "groups": [
            {"name": "", "subtotal": "37.50", "discount": "0.00", "net": "37.50", "tax": "7.13"}
        ],
        "shipping_tax": "0.00",
    },
    "tax_exemption": "",
}

# Orders

SALES_ORDER_IN = {
    "customer_id": CUSTOMER_ID,
    "currency": "EUR",
    "lines": [{"product_id": PRODUCT_ID, "quantity": 3}],
    "external_reference": "WC-1001",
}
SALES_ORDER = {
    "id": ORDER_ID,
    "customer_id": CUSTOMER_ID,
    "status": "execution",
    "status_reason": "",
    "currency": "EUR",
    "channel": "direct",
    "lines": [
        {
            "id": LINE_ID,
            "product_id": PRODUCT_ID,
            "sku": "WIDGET-1",
            "quantity": 3,
            "unit_price": MONEY,
            "line_total": money("37.50"),
            "shipped": 0,
            "needed_by": "",
            "reserved": 3,
            "backordered": 0,
            "returned": 0,
            "unit_cost": "7.10",
            "category_id": CATEGORY_ID,
        }
    ],
    "total": money("44.63"),
    "created_at": AT,
    "created_by": "sam",
    "updated_at": AT,
    "quote_id": "",
    "document": DOCUMENT,
    "order_type": "standard",
    "salesperson": "sam",
    "contract_number": "",
    "payment_terms": "30 days net",
    "shipping_address": {"city": "Berlin", "country": "DE"},
    "stock_status": "reserved",
    "credit_hold": "",
    "stalled": "",
    "estimated_cost": "21.30",
    "next_stages": ["invoiced", "cancelled"],
    "external_reference": "WC-1001",
    "team": "north",
    "prices_hidden": False,
    "needs_review": False,
    "review_note": "",
}
SALES_ORDER_PAGE = page(
    SALES_ORDER, totals=[{"currency": "EUR", "orders": 1, "total": money("44.63")}]
)
ORDER_SUMMARY = {
    "order": SALES_ORDER,
    "shipments": [ORDER_SHIPMENT],
    "invoices": [],
    "missing": [{"part": "invoices", "service": "billing", "reason": "unavailable"}],
}
TRANSITION_IN = {
    "to_stage": "execution",
    "fields": {"contract_number": "K-2026-17", "payment_terms": "30 days net"},
}
HISTORY = page(
    {
        "from_status": "approval",
        "to_status": "execution",
        "reason": "",
        "note": "",
        "actor": "finn",
        "caused_by": "",
        "at": AT,
    }
)
CANCEL_IN = {"reason": "the customer withdrew the order"}
ORDER_CHANGE_IN = {"lines": [{"line_id": LINE_ID, "quantity": 2}]}
RETURN_IN = {"lines": [{"line_id": LINE_ID, "quantity": 1}], "reason": "damaged in transit"}
RETURN_AUTHORISED = {"return_id": RETURN_ID, "order": SALES_ORDER}
COST_IN = {"kind": "shipping", "amount": "12.50", "description": "courier"}
COST_REPORT = page(
    {
        "order_id": ORDER_ID,
        "currency": "EUR",
        "estimated": "21.30",
        "actual": "33.80",
        "variance": "12.50",
        "items": [{"kind": "shipping", "amount": "12.50", "description": "courier"}],
    }
)
REPORTING_TOTAL = {
    "currency": "EUR",
    "total": money("44.63"),
    "complete": True,
    "rates_on": "2026-12-05",
    "conversions": [
        {
            "amount": money("44.63"),
            "converted": money("44.63"),
            "rate": "1",
            "rate_pair": "EUR/EUR",
            "rate_effective_from": "2026-12-05",
            "missing": "",
        }
    ],
}
FORECAST = {
    "items": [{"month": "2026-12", "expected": money("44.63")}],
    "reporting_total": REPORTING_TOTAL,
}
PIPELINE_IN = {
    "stages": [
        {"name": "approval", "probability": "0.5", "requires": [], "open": True},
        {"name": "execution", "probability": "0.9", "requires": [], "open": True},
        {"name": "invoiced", "probability": "1", "requires": [], "open": False},
        {"name": "cancelled", "probability": "0", "requires": [], "open": False},
    ],
    "transitions": [
        {"from_stage": "approval", "to_stage": "execution", "roles": ["finance"], "auto": True},
        {"from_stage": "execution", "to_stage": "invoiced", "roles": [], "auto": True},
        {"from_stage": "approval", "to_stage": "cancelled", "roles": ["order-desk"], "auto": False},
    ],
}
PIPELINE = {"order_type": "standard", **PIPELINE_IN}
STALLED_STEP = {
    "order_id": ORDER_ID,
    "quote_id": "",
    "step": "StockReserved",
    "reason": "the order was not found",
    "status": "stalled",
    "stalled_at": AT,
    "attempts": 0,
    "retried_by": "",
}

# Customers

ADDRESS = {
    "line1": "Hauptstr. 1",
    "line2": "",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
    "state": "",
}
CONTACT = {"name": "Ada Buyer", "email": "ada@acme.example", "phone": "+49 30 123456", "role": ""}
CUSTOMER_IN = {
    "name": "Acme GmbH",
    "kind": "company",
    "tax_id": "DE123456789",
    "email": "orders@acme.example",
    "currency": "EUR",
    "payment_terms": "30 days net",
    "contacts": [CONTACT],
    "billing_address": ADDRESS,
    "tax_zone": "DE",
}
CUSTOMER_UPDATE_IN = {"payment_terms": "14 days net", "version": 3}
CUSTOMER = {
    "id": CUSTOMER_ID,
    "name": "Acme GmbH",
    "kind": "company",
    "tax_id": "DE123456789",
    "email": "orders@acme.example",
    "customer_group": "wholesale",
    "currency": "EUR",
    "payment_terms": "30 days net",
    "credit_limit": money("10000.00"),
    "contacts": [CONTACT],
    "billing_address": ADDRESS,
    "shipping_address": {**ADDRESS, "line1": "Lagerweg 5", "postal_code": "10117"},
    "tax_zone": "DE",
    "tax_exemption": "",
    "version": 3,
    "created_at": AT,
    "created_by": "sam",
    "updated_at": LATER,
    "updated_by": "finn",
}

# Quotes

QUOTE_IN = {
    "customer_id": CUSTOMER_ID,
    "currency": "EUR",
    "valid_until": "2026-12-31",
    "groups": [
        {
            "name": "Hardware",
            "taxes": [VAT],
            "lines": [{"sku": "WIDGET-1", "quantity": 3}],
        }
    ],
}
QUOTE = {
    "id": QUOTE_ID,
    "version": 1,
    "latest_version": 1,
    "status": "sent",
    "customer_id": CUSTOMER_ID,
    "customer_group": "",
    "salesperson": "sam",
    "currency": "EUR",
    "valid_until": "2026-12-31",
    "payment_terms": "30 days net",
    "terms_and_conditions": "",
    "notes": "",
    "converted_to": "",
    "converted_id": "",
    "rejection_reason": "",
    "created_at": AT,
    "created_by": "sam",
    "updated_at": AT,
    "team": "north",
    "number": "Q-2026-000001",
    "order_stalled": "",
    "approval": {
        "status": "approved",
        "reason": "line 1: 35% off is above the 20% that needs approval",
        "decided_by": "nina",
        "decided_at": LATER,
        "note": "key account, agreed for this order only",
    },
    "total": money("44.63"),
    "document": DOCUMENT,
    "lines": [
        {
            "description": "Widget",
            "quantity": 3,
            "unit_price": MONEY,
            "line_total": money("37.50"),
        }
    ],
}
ACCEPT_IN = {"convert_to": "sales_order"}
APPROVAL_IN = {"decision": "approve", "note": "key account, agreed for this order only"}
REJECT_IN = {"reason": "too expensive"}
TEMPLATE_IN = {"name": "Widget starter kit"}
TEMPLATE = {
    "id": TEMPLATE_ID,
    "name": "Widget starter kit",
    "groups": [
        {
            "name": "Hardware",
            "discount": NO_DISCOUNT,
            "taxes": [VAT],
            "lines": [
                {
                    "sku": "WIDGET-1",
                    "product_id": PRODUCT_ID,
                    "description": "Widget",
                    "quantity": 3,
                    "unit_price": MONEY,
                    "discount": NO_DISCOUNT,
                    "taxes": [],
                }
            ],
        }
    ],
    "created_at": AT,
    "created_by": "sam",
}

TIMELINE = {
    "items": [
        {
            "at": AT,
            "service": "inventory",
            "event_type": "oms.inventory.StockReserved.v1",
            "summary": "Stock reserved for 1 line",
            "actor": "sam",
            "cause_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
            "correlation_id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
            "event_id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
        }
    ]
}
