"""The stand-in speaks the REST v3 shapes the connector uses and will use: authentication, pages
with X-WP-Total / X-WP-TotalPages, modified_after in GMT, order update, refunds, products and
variations by SKU, batches of at most 100 items."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.woocommerce.tests.fixtures import (
    COMPLETED_PARTIAL_REFUND,
    COUPON_TAX_EXCLUSIVE,
    VARIATION_FEE_TAX_INCLUSIVE,
    raw,
)
from services.woocommerce.tests.standin.server import StandIn, serving

pytestmark = pytest.mark.integration
REFUNDS = [{"id": 911, "amount": "9.60", "line_items": [{"sku": "MUG-ENAMEL", "quantity": -1}]}]


@pytest.fixture
async def api() -> AsyncIterator[tuple[StandIn, httpx.AsyncClient]]:
    async with serving(StandIn()) as stand_in:
        stand_in.add_order(raw(COUPON_TAX_EXCLUSIVE))
        stand_in.add_order(raw(VARIATION_FEE_TAX_INCLUSIVE))
        stand_in.add_order(raw(COMPLETED_PARTIAL_REFUND), REFUNDS)
        stand_in.products = {
            93: {"id": 93, "sku": "HOODIE-TRAIL", "type": "simple", "manage_stock": True,
                 "stock_quantity": 12},
            200: {"id": 200, "sku": "SHIRT-LINEN", "type": "variable", "manage_stock": False},
        }  # fmt: skip
        stand_in.variations = {
            200: {205: {"id": 205, "sku": "SHIRT-LINEN-BLUE-M", "manage_stock": "parent"}}
        }
        auth = (stand_in.consumer_key, stand_in.consumer_secret)
        base = f"{stand_in.base_url}/wp-json/wc/v3"
        async with httpx.AsyncClient(base_url=base, auth=auth) as client:
            yield stand_in, client


async def test_orders_are_paged_and_filtered_by_modification(
    api: tuple[StandIn, httpx.AsyncClient],
) -> None:
    _, client = api
    params = {"modified_after": "2024-06-01T00:00:00", "dates_are_gmt": "true",
              "orderby": "modified", "order": "asc", "per_page": "2"}  # fmt: skip
    first = await client.get("/orders", params={**params, "page": "1"})
    assert (first.headers["X-WP-Total"], first.headers["X-WP-TotalPages"]) == ("3", "2")
    assert [o["id"] for o in first.json()] == [910, 727]
    second = await client.get("/orders", params={**params, "page": "2"})
    assert [o["id"] for o in second.json()] == [812]
    assert b"https:\\/\\/" in second.content  # PHP's json_encode escapes "/"
    later = await client.get("/orders", params={**params, "modified_after": "2024-06-03T16:12:44"})
    assert [o["id"] for o in later.json()] == [812]  # exclusive, to the second
    assert (await client.get("/orders", params={"per_page": "101"})).status_code == 400


async def test_authentication_errors_and_order_update(
    api: tuple[StandIn, httpx.AsyncClient],
) -> None:
    stand_in, client = api
    anonymous = await httpx.AsyncClient().get(f"{stand_in.base_url}/wp-json/wc/v3/orders/727")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "woocommerce_rest_cannot_view"
    missing = await client.get("/orders/1")
    assert (missing.status_code, missing.json()["code"]) == (
        404,
        "woocommerce_rest_shop_order_invalid_id",
    )
    updated = (await client.put("/orders/727", json={"status": "completed"})).json()
    assert (updated["status"], updated["date_modified_gmt"]) == ("completed", "2024-06-03T16:12:45")
    assert (await client.get("/orders/910/refunds")).json() == REFUNDS


async def test_products_variations_and_batches(api: tuple[StandIn, httpx.AsyncClient]) -> None:
    stand_in, client = api
    assert [
        p["id"] for p in (await client.get("/products", params={"sku": "HOODIE-TRAIL"})).json()
    ] == [93]
    found = await client.get("/products/200/variations", params={"sku": "SHIRT-LINEN-BLUE-M"})
    assert found.json()[0]["manage_stock"] == "parent"
    too_many = {"update": [{"id": n, "stock_quantity": 1} for n in range(101)]}
    refused = await client.post("/products/batch", json=too_many)
    assert (refused.status_code, refused.json()["code"]) == (
        413,
        "woocommerce_rest_request_entity_too_large",
    )
    batch = {
        "update": [
            {"id": 93, "manage_stock": True, "stock_quantity": 7},
            {"id": 999, "stock_quantity": 1},
        ]
    }
    done = (await client.post("/products/batch", json=batch)).json()["update"]
    assert done[0]["stock_quantity"] == 7
    assert done[1]["error"]["code"] == "woocommerce_rest_product_invalid_id"
    assert stand_in.products[93]["stock_quantity"] == 7
    await client.post(
        "/products/200/variations/batch", json={"update": [{"id": 205, "stock_quantity": 3}]}
    )
    assert stand_in.variations[200][205]["stock_quantity"] == 3
    assert len(stand_in.batches) == 2
