"""Stock and shipments back to a WooCommerce store, end to end: the connector as a real process
reading inventory's and orders' events from the broker, a WooCommerce stand-in as the store. A
stock adjustment through the gateway reaches the store in a batch, as the level summed over the
store's warehouses; shipping a sales order of channel woocommerce puts the carrier and tracking
number on the store's order (placed through the connector: a webhook) and completes it.

Run with `OMS_TEST_PORT_OFFSET=2800`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from devstack.supervisor import Stack
from devstack.topology import connector_env, database_name
from services.woocommerce.tests.fixtures import COMPLETED_PARTIAL_REFUND, WEBHOOK_SECRET, raw
from services.woocommerce.tests.standin.server import StandIn, serving
from tests.e2e.helpers import Api, eventually
from woocommerce.bootstrap import connector
from woocommerce.config import Settings
from woocommerce.domain.stores import Credentials, CustomerPolicy, Store, TaxRounding


@dataclass
class Shop:
    store_id: str
    stand_in: StandIn
    api: Api
    product_id: str
    sku: str
    warehouses: tuple[str, str]


def _settings(stack: Stack) -> Settings:
    env = connector_env(
        "woocommerce",
        stack.ports,
        stack.postgres.url(database_name("woocommerce")),
        stack.secrets,
    )
    return Settings(**{k.removeprefix("WOOCOMMERCE_").lower(): v for k, v in env.items()})


async def _warehouse(api: Api) -> str:
    created = await api.created("/warehouses", {"code": f"W{uuid.uuid4().hex[:6]}", "name": "W"})
    return str(created["id"])


@pytest.fixture
async def shop(e2e_stack: Stack) -> AsyncIterator[Shop]:
    api = Api(e2e_stack.gateway_url, "e2e-woo-stock", "admin")
    sku = f"MUG-{uuid.uuid4().hex[:8].upper()}"
    product = await api.created(
        "/products", {"sku": sku, "name": "Mug", "list_price": {"amount": "9", "currency": "EUR"}}
    )
    warehouses = (await _warehouse(api), await _warehouse(api))
    store_id = f"e2e-stock-{uuid.uuid4().hex[:6]}"
    async with serving(StandIn()) as stand_in, connector(_settings(e2e_stack)) as parts:
        stand_in.products = {
            93: {"id": 93, "sku": sku, "type": "simple", "manage_stock": True, "stock_quantity": 0}
        }
        store = Store(
            store_id=store_id,
            name="E2E stock shop",
            base_url=stand_in.base_url,
            credentials=Credentials(
                stand_in.consumer_key, stand_in.consumer_secret, WEBHOOK_SECRET
            ),
            prices_include_tax=False,
            tax_rounding=TaxRounding.PER_LINE,
            warehouses=warehouses,
            customer_policy=CustomerPolicy.BY_EMAIL,
        )
        async with parts.units() as uow:
            await uow.stores.add(store)
        url = f"http://127.0.0.1:{e2e_stack.ports.http('woocommerce')}/webhooks/{store_id}"
        stand_in.add_webhook("order.created", url, WEBHOOK_SECRET)
        yield Shop(store_id, stand_in, api, str(product["id"]), sku, warehouses)
    await api.aclose()


async def _adjust(shop: Shop, warehouse: str, units: int) -> None:
    body = {"warehouse_id": warehouse, "product_id": shop.product_id, "quantity_delta": units,
            "reason": "count"}  # fmt: skip
    adjusted = await shop.api.post("/stock/adjustments", body)
    assert adjusted.status_code in (200, 201), adjusted.text


async def test_a_stock_change_reaches_the_store_in_a_batch(shop: Shop) -> None:
    await _adjust(shop, shop.warehouses[0], 10)
    await _adjust(shop, shop.warehouses[1], 5)
    calls = shop.stand_in.batch_calls

    def pushed() -> list[int]:
        return [u["stock_quantity"] for _, body in calls for u in body["update"] if u["id"] == 93]

    async def probe() -> list[int]:
        return pushed()

    await eventually(probe, lambda levels: bool(levels) and levels[-1] == 15, 60)
    assert all(path == "/products/batch" for path, _ in calls)
    assert all(len(body["update"]) <= 100 for _, body in calls)
    assert shop.stand_in.products[93]["stock_quantity"] == 15
    assert shop.stand_in.products[93]["manage_stock"] is True


async def test_a_shipment_updates_the_stores_order(shop: Shop) -> None:
    await _adjust(shop, shop.warehouses[0], 4)
    woo_id = 4711
    order = raw(COMPLETED_PARTIAL_REFUND)  # 4 mugs, paid; here still to be shipped
    order.update(id=woo_id, number=str(woo_id), status="processing", refunds=[])
    order["line_items"][0].update(sku=shop.sku, product_id=93)
    shop.stand_in.add_order(order)
    assert await shop.stand_in.deliver("order.created", woo_id) == 200

    async def placed() -> list[dict[str, Any]]:
        listed = await shop.api.get("/sales-orders", channel="woocommerce", page_size="200")
        reference = f"{shop.store_id}:{woo_id}"
        return [o for o in listed.json()["items"] if o["external_reference"] == reference]

    (sales_order,) = await eventually(placed, lambda found: len(found) == 1, 60)

    async def stock_status() -> str:
        found = await shop.api.get(f"/sales-orders/{sales_order['id']}")
        return str(found.json()["stock_status"])

    await eventually(stock_status, lambda s: s == "reserved", 60)
    shipment = {"order_id": sales_order["id"], "warehouse_id": shop.warehouses[0],
                "carrier": "DHL", "tracking_number": "JD014600003828"}  # fmt: skip
    await shop.api.created("/shipments", shipment)

    async def store_order() -> tuple[str, list[str]]:
        notes = [n["note"] for n in shop.stand_in.notes.get(woo_id, [])]
        return str(shop.stand_in.orders[woo_id]["status"]), notes

    _, notes = await eventually(store_order, lambda found: found[0] == "completed" and found[1], 60)
    assert notes == ["Shipped with DHL, tracking number JD014600003828."]
    assert shop.stand_in.status_changes == [(woo_id, "completed")]
