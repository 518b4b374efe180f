"""Every route of the REST API tried by every role: the gateway's first line of role checks,
as a table a reviewer reads. The services decide again (each has its own access table, tested
in its own suite); this table is what the edge refuses with 403 before any service is asked.

A change of who may call a route changes this table, on purpose."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from servicekit.auth import ROLES
from services.gateway.tests.unit.conftest import GatewayOver, gateway_settings
from testkit.services import signed_in

SALES, MANAGER, DESK, WAREHOUSE = "sales", "sales-manager", "order-desk", "warehouse"
PURCHASING, FINANCE, ADMIN = "purchasing", "finance", "admin"
EVERYONE = set(ROLES)

# "METHOD path": the roles that get past the gateway's check (anything but 403)
MAY = {
    "GET /api/v1/products": EVERYONE,
    "POST /api/v1/products": {PURCHASING, ADMIN},
    "GET /api/v1/products/{product_id}": EVERYONE,
    "PATCH /api/v1/products/{product_id}": {PURCHASING, ADMIN},
    "PUT /api/v1/products/{product_id}/list-price": {PURCHASING, ADMIN},
    "POST /api/v1/products/{product_id}/discontinue": {PURCHASING, ADMIN},
    "GET /api/v1/products/{product_id}/variants": EVERYONE,
    "PUT /api/v1/products/{product_id}/suppliers": {PURCHASING, ADMIN},
    "POST /api/v1/products/{product_id}/pictures": {PURCHASING, ADMIN},
    "GET /api/v1/products/{product_id}/pictures/{picture_id}": EVERYONE,
    "GET /api/v1/products/{product_id}/price": {SALES, MANAGER, DESK, PURCHASING, FINANCE, ADMIN},
    "GET /api/v1/products/{product_id}/availability": EVERYONE,
    "GET /api/v1/categories": EVERYONE,
    "POST /api/v1/categories": {PURCHASING, ADMIN},
    "GET /api/v1/price-lists": {SALES, MANAGER, DESK, PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/price-lists": {MANAGER, ADMIN},
    "GET /api/v1/tax-rules": {SALES, MANAGER, DESK, PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/tax-rules": {FINANCE, ADMIN},
    "GET /api/v1/price-lists/{price_list_id}": {SALES, MANAGER, DESK, PURCHASING, FINANCE, ADMIN},
    "GET /api/v1/warehouses": EVERYONE,
    "POST /api/v1/warehouses": {WAREHOUSE, ADMIN},
    "POST /api/v1/stock/adjustments": {WAREHOUSE, ADMIN},
    "GET /api/v1/stock": EVERYONE,
    "POST /api/v1/stock/transfers": {WAREHOUSE, ADMIN},
    "PUT /api/v1/stock/reorder-points": {WAREHOUSE, PURCHASING, ADMIN},
    "POST /api/v1/stock/expected": {WAREHOUSE, PURCHASING, ADMIN},
    "POST /api/v1/receipts": {WAREHOUSE, ADMIN},
    "GET /api/v1/reservations": EVERYONE,
    "GET /api/v1/shipments": EVERYONE,
    "POST /api/v1/shipments": {WAREHOUSE, ADMIN},
    "POST /api/v1/shipments/{shipment_id}/status": {WAREHOUSE, ADMIN},
    "POST /api/v1/returns/{return_id}/receipt": {WAREHOUSE, ADMIN},
    "GET /api/v1/sales-orders": EVERYONE,
    "POST /api/v1/sales-orders": {SALES, MANAGER, DESK, ADMIN},
    "GET /api/v1/sales-orders/{order_id}": EVERYONE,
    "PATCH /api/v1/sales-orders/{order_id}": {SALES, MANAGER, DESK, ADMIN},
    "GET /api/v1/sales-orders/{order_id}/summary": EVERYONE,
    "POST /api/v1/sales-orders/{order_id}/transitions": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/sales-orders/{order_id}/history": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/sales-orders/{order_id}/timeline": EVERYONE,
    "POST /api/v1/sales-orders/{order_id}/cancel": {DESK, ADMIN},
    "GET /api/v1/sales-orders/stalled": {DESK, ADMIN},
    "GET /api/v1/store-orders": {DESK, MANAGER, ADMIN},
    "POST /api/v1/store-orders/{store_id}/{woo_order_id}/retry": {DESK, ADMIN},
    "POST /api/v1/sales-orders/{order_id}/retry": {DESK, ADMIN},
    "POST /api/v1/sales-orders/{order_id}/returns": {DESK, ADMIN},
    "POST /api/v1/sales-orders/{order_id}/costs": {DESK, FINANCE, ADMIN},
    "GET /api/v1/customers": {SALES, MANAGER, DESK, WAREHOUSE, FINANCE, ADMIN},
    "POST /api/v1/customers": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/customers/{customer_id}": {SALES, MANAGER, DESK, WAREHOUSE, FINANCE, ADMIN},
    "PUT /api/v1/customers/{customer_id}": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "POST /api/v1/tasks": EVERYONE,
    "GET /api/v1/tasks": EVERYONE,
    "GET /api/v1/tasks/{task_id}": EVERYONE,
    "PATCH /api/v1/tasks/{task_id}": EVERYONE,
    "GET /api/v1/reports/order-costs": {DESK, FINANCE, ADMIN},
    "GET /api/v1/reports/sales-forecast": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/pipelines/{order_type}": EVERYONE,
    "PUT /api/v1/pipelines/{order_type}": {ADMIN},
    "GET /api/v1/quotes": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "POST /api/v1/quotes": {SALES, MANAGER, ADMIN},
    "GET /api/v1/quotes/{quote_id}": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "PUT /api/v1/quotes/{quote_id}": {SALES, MANAGER, ADMIN},
    "POST /api/v1/quotes/{quote_id}/send": {SALES, MANAGER, ADMIN},
    "POST /api/v1/quotes/{quote_id}/revise": {SALES, MANAGER, ADMIN},
    "POST /api/v1/quotes/{quote_id}/convert": {SALES, MANAGER, ADMIN},
    "POST /api/v1/quotes/{quote_id}/accept": {SALES, MANAGER, ADMIN},
    "POST /api/v1/quotes/{quote_id}/reject": {SALES, MANAGER, ADMIN},
    "GET /api/v1/quotes/{quote_id}/pdf": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "POST /api/v1/quotes/{quote_id}/approval": {MANAGER, ADMIN},
    "POST /api/v1/quotes/{quote_id}/template": {SALES, MANAGER, ADMIN},
    "GET /api/v1/quote-templates": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "POST /api/v1/requests": {SALES, MANAGER, DESK, ADMIN},
    "GET /api/v1/requests": {SALES, MANAGER, DESK, ADMIN},
    "GET /api/v1/requests/{request_id}": {SALES, MANAGER, DESK, ADMIN},
    "POST /api/v1/requests/{request_id}/lost": {SALES, MANAGER, ADMIN},
    "POST /api/v1/requests/{request_id}/quote": {SALES, MANAGER, ADMIN},
    "GET /api/v1/reports/lost-demand": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/invoices": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/invoices/{invoice_id}": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/invoices/{invoice_id}/pdf": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/payments": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "POST /api/v1/payments": {FINANCE, ADMIN},
    "POST /api/v1/payments/{payment_id}/unallocate": {FINANCE, ADMIN},
    "POST /api/v1/customers/{customer_id}/credit/apply": {FINANCE, ADMIN},
    "GET /api/v1/payments/{payment_id}": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/credit-notes": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "POST /api/v1/credit-notes": {FINANCE, ADMIN},
    "GET /api/v1/credit-notes/{credit_note_id}/pdf": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/credit-notes/{credit_note_id}": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/customers/{customer_id}/balance": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/reports/ar-aging": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/reports/revenue": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/bills": {PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/bills": {FINANCE, ADMIN},
    "GET /api/v1/bills/{bill_id}": {PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/bills/{bill_id}/release": {FINANCE, ADMIN},
    "GET /api/v1/payments-sent": {PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/payments-sent": {FINANCE, ADMIN},
    "POST /api/v1/payments-sent/{payment_id}/apply": {FINANCE, ADMIN},
    "GET /api/v1/reports/ap-aging": {PURCHASING, FINANCE, ADMIN},
    "GET /api/v1/exchange-rates": {DESK, FINANCE, ADMIN},
    "POST /api/v1/exchange-rates": {FINANCE, ADMIN},
    "POST /api/v1/exchange-rates/import": {FINANCE, ADMIN},
    "GET /api/v1/dunning": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "POST /api/v1/dunning/runs": {FINANCE, ADMIN},
    "GET /api/v1/dunning/reminders": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/dunning/reminders/{reminder_id}/pdf": {SALES, MANAGER, DESK, FINANCE, ADMIN},
    "GET /api/v1/suppliers": {WAREHOUSE, PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/suppliers": {PURCHASING, ADMIN},
    "GET /api/v1/suppliers/{supplier_id}": {WAREHOUSE, PURCHASING, FINANCE, ADMIN},
    "PUT /api/v1/suppliers/{supplier_id}": {PURCHASING, ADMIN},
    "GET /api/v1/rfqs": {PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/rfqs": {PURCHASING, ADMIN},
    "GET /api/v1/rfqs/{rfq_id}": {PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/rfqs/{rfq_id}/proposals": {PURCHASING, ADMIN},
    "GET /api/v1/rfqs/{rfq_id}/comparison": {PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/rfqs/{rfq_id}/award": {PURCHASING, ADMIN},
    "GET /api/v1/supplier-contracts": {PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/supplier-contracts": {PURCHASING, ADMIN},
    "GET /api/v1/purchase-orders": {WAREHOUSE, PURCHASING, FINANCE, ADMIN},
    "POST /api/v1/purchase-orders": {PURCHASING, ADMIN},
    "GET /api/v1/purchase-orders/{purchase_order_id}": {WAREHOUSE, PURCHASING, FINANCE, ADMIN},
    "PUT /api/v1/purchase-orders/{purchase_order_id}": {PURCHASING, ADMIN},
    "POST /api/v1/purchase-orders/{purchase_order_id}/send": {PURCHASING, ADMIN},
    "POST /api/v1/purchase-orders/{purchase_order_id}/cancel": {PURCHASING, ADMIN},
    "POST /api/v1/purchase-orders/{purchase_order_id}/lines/{product_id}/reduce": {
        PURCHASING,
        ADMIN,
    },
    "GET /api/v1/reorder-rules": {WAREHOUSE, PURCHASING, FINANCE, ADMIN},
    "PUT /api/v1/reorder-rules": {PURCHASING, ADMIN},
    "GET /api/v1/api-keys": {ADMIN},
    "POST /api/v1/api-keys": {ADMIN},
    "DELETE /api/v1/api-keys/{key_id}": {ADMIN},
    "GET /api/v1/api-keys/{key_id}": {ADMIN},
    "GET /api/v1/audit": {FINANCE, ADMIN},
    "GET /api/v1/dead-letters": {ADMIN},
    "POST /api/v1/dead-letters/{service}/{event_id}/redrive": {ADMIN},
    "POST /api/v1/dead-letters/{service}/{event_id}/resolve": {ADMIN},
}


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver) -> AsyncIterator[httpx.AsyncClient]:
    # no fakes behind it: a request the gateway lets through fails later, never with 403
    unlimited = gateway_settings(rate_limit_per_second=1e9, rate_limit_burst=10**9)
    async with gateway_over([], "http://gw", settings=unlimited) as client:
        yield client


async def operations(api: httpx.AsyncClient) -> list[str]:
    document = (await api.get("/openapi.json")).json()
    return [
        f"{method.upper()} {path}"
        for path, found in document["paths"].items()
        if path.startswith("/api/v1")
        for method in found
    ]


async def test_the_table_names_every_route_of_the_api(api: httpx.AsyncClient) -> None:
    assert sorted(await operations(api)) == sorted(MAY)


@pytest.mark.parametrize("operation", sorted(MAY))
async def test_each_role_is_let_through_or_refused_as_the_table_says(
    api: httpx.AsyncClient, operation: str
) -> None:
    method, path = operation.split(" ", 1)
    url = re.sub(r"\{[^}]+\}", "x", path)
    body = {} if method in ("POST", "PUT", "PATCH") else None
    unknown = await api.request(method, url, json=body)
    assert unknown.status_code == 401, operation
    let_through = set()
    for role in ROLES:
        response = await api.request(method, url, json=body, headers=signed_in("eve", role))
        if response.status_code != 403:
            let_through.add(role)
        else:
            assert response.headers["content-type"] == "application/problem+json"
    assert let_through == MAY[operation]
