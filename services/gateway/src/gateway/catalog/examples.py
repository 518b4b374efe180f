"""Examples of the catalog's REST bodies, in the story of gateway.examples."""

from __future__ import annotations

from gateway.examples import (
    AT,
    CATEGORY_ID,
    MONEY,
    PRICE_LIST_ID,
    PRODUCT_ID,
    SUPPLIER_ID,
    WAREHOUSE_ID,
    money,
)

PRODUCT = {
    "id": PRODUCT_ID,
    "sku": "WIDGET-1",
    "name": "Widget",
    "description": "A blue widget",
    "list_price": MONEY,
    "active": True,
    "created_at": AT,
    "created_by": "pia",
    "category_id": CATEGORY_ID,
    "attributes": {"colour": "blue"},
    "kind": "stocked",
    "unit_of_measure": "pc",
    "cost": "7.10",
    "tax_category": "standard",
    "parent_id": "",
    "variant_options": {},
    "pictures": [
        {
            "id": "p-1",
            "url": "https://img.example/widget.jpg",
            "alt_text": "A blue widget",
            "position": 0,
            "stored": False,
        }
    ],
    "suppliers": [
        {
            "supplier_id": SUPPLIER_ID,
            "supplier_sku": "AC-77",
            "cost": "7.10",
            "currency": "EUR",
            "minimum_order_quantity": 10,
            "lead_time_days": 5,
        }
    ],
    "components": [],
    "kit_pricing": "",
    "withheld": [],
}
PRODUCT_IN = {
    "sku": "WIDGET-1",
    "name": "Widget",
    "description": "A blue widget",
    "list_price": MONEY,
    "category_id": CATEGORY_ID,
    "attributes": {"colour": "blue"},
    "cost": "7.10",
}
PRODUCT_CHANGE = {"name": "Widget, blue", "cost": "7.40"}
SUPPLIERS_IN = {"suppliers": [PRODUCT["suppliers"][0]]}  # type: ignore[index]
PICTURE_IN = {"url": "https://img.example/widget.jpg", "alt_text": "A blue widget"}
AVAILABILITY = {
    "product_id": PRODUCT_ID,
    "kind": "stocked",
    "warehouses": [{"warehouse_id": WAREHOUSE_ID, "available": 7}],
    "total": 7,
}
CATEGORY = {"id": CATEGORY_ID, "name": "Fasteners", "parent_id": ""}
CATEGORY_IN = {"name": "Fasteners", "parent_id": ""}
PRICE_BREAK = {"product_id": PRODUCT_ID, "min_quantity": 10, "unit_price": "11.00"}
PRICE_LIST_IN = {
    "name": "Wholesale 2027",
    "currency": "EUR",
    "customer_group": "wholesale",
    "valid_from": "2027-01-01",
    "valid_to": "2027-12-31",
    "breaks": [PRICE_BREAK],
}
PRICE_LIST = {
    "id": PRICE_LIST_ID,
    **PRICE_LIST_IN,
    "break_count": 1,
}
RESOLVED_PRICE = {"unit_price": money("11.00"), "rule": "price list Wholesale 2027, from 10"}
