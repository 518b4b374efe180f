"""Examples of the store orders' REST bodies, in the story of gateway.examples."""

from __future__ import annotations

from gateway.examples import AT

STORE_ORDER = {
    "store_id": "shop-eu",
    "woo_order_id": 727,
    "number": "727",
    "state": "parked",
    "why": "unknown SKU: line 2: MUG-BLUE",
    "sales_order_id": "",
    "received_at": AT,
    "currency": "EUR",
    "total": "133.58",
}
RETRIED = {
    "order": {**STORE_ORDER, "state": "received", "why": ""},
    "outcome": "taken up again: it is mapped on the worker's next round",
}
