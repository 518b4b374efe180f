"""WooCommerce orders become sales orders, end to end: the connector as a real process beside
every service, a WooCommerce stand-in sending signed webhooks. The three fixture orders become
sales orders whose totals are the store's to the cent; duplicates and reordered deliveries change
nothing; a bad signature is refused and kept nowhere; an unknown SKU parks the order; the pull
catches a missed webhook; the order desk lists the parked order and retries it through the
gateway; the store's cancellation cancels the sales order; a refund becomes a
credit note for the refunded line and its tax; the parked order goes on once the catalog gains
its SKU; a shipped store order is invoiced and paid with what the store collected, so it reaches
`paid` (and closes) and its customer owes nothing and holds no credit.

Run with `OMS_TEST_PORT_OFFSET=2700`."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from devstack.supervisor import Stack
from devstack.topology import connector_env, database_name
from services.woocommerce.tests.fixtures import (
    CATALOG,
    COMPLETED_PARTIAL_REFUND,
    COUPON_TAX_EXCLUSIVE,
    FOLDER,
    VARIATION_FEE_TAX_INCLUSIVE,
    WEBHOOK_SECRET,
    raw,
)
from services.woocommerce.tests.standin.server import StandIn, serving
from tests.e2e.helpers import Api, eventually
from woocommerce.application.commands.pull_orders import pull_orders
from woocommerce.bootstrap import Connector, connector
from woocommerce.config import Settings
from woocommerce.domain.connector_orders import ConnectorOrder
from woocommerce.domain.stores import Credentials, CustomerPolicy, Store, TaxRounding

TOPICS = ("order.created", "order.updated", "order.deleted", "order.restored")


@dataclass
class Shop:
    store_id: str
    suffix: str
    stand_in: StandIn
    parts: Connector
    api: Api
    gateway_url: str

    def order(self, name: str) -> dict[str, Any]:
        """A fixture order selling this shop's products (SKUs made unique for the run)."""
        data = raw(name)
        for item in data["line_items"]:
            item["sku"] = f"{item['sku']}-{self.suffix}"
        return data

    def refunds(self, name: str) -> list[dict[str, Any]]:
        refunds: list[dict[str, Any]] = json.loads((FOLDER / f"{name}.refunds.json").read_text())
        for refund in refunds:
            for item in refund["line_items"]:
                item["sku"] = f"{item['sku']}-{self.suffix}"
        return refunds

    async def held(self, woo_id: int) -> ConnectorOrder | None:
        async with self.parts.units() as uow:
            return await uow.orders.get(self.store_id, woo_id)

    async def sales_order(self, woo_id: int) -> dict[str, Any]:
        held = await eventually(
            lambda: self.held(woo_id), lambda h: h is not None and bool(h.sales_order_id), 60
        )
        response = await self.api.get(f"/sales-orders/{held.sales_order_id}")
        assert response.status_code == 200, response.text
        order: dict[str, Any] = response.json()
        return order


def _settings(stack: Stack) -> Settings:
    env = connector_env(
        "woocommerce",
        stack.ports,
        stack.postgres.url(database_name("woocommerce")),
        stack.secrets,
    )
    values = {key.removeprefix("WOOCOMMERCE_").lower(): value for key, value in env.items()}
    return Settings(**values)


@pytest.fixture
async def shop(e2e_stack: Stack) -> AsyncIterator[Shop]:
    suffix = uuid.uuid4().hex[:6].upper()
    store_id = f"e2e-{suffix.lower()}"
    api = Api(e2e_stack.gateway_url, "e2e-woo-admin", "admin")
    for sku in CATALOG:
        await api.created(
            "/products",
            {
                "sku": f"{sku}-{suffix}",
                "name": sku,
                "list_price": {"amount": "1", "currency": "EUR"},
            },
        )
    async with serving(StandIn()) as stand_in, connector(_settings(e2e_stack)) as parts:
        store = Store(
            store_id=store_id,
            name="E2E shop",
            base_url=stand_in.base_url,
            credentials=Credentials(
                stand_in.consumer_key, stand_in.consumer_secret, WEBHOOK_SECRET
            ),
            prices_include_tax=False,
            tax_rounding=TaxRounding.PER_LINE,
            warehouses=("WH-1",),
            customer_policy=CustomerPolicy.BY_EMAIL,
        )
        async with parts.units() as uow:
            await uow.stores.add(store)
        url = f"http://127.0.0.1:{e2e_stack.ports.http('woocommerce')}/webhooks/{store_id}"
        for topic in TOPICS:
            stand_in.add_webhook(topic, url, WEBHOOK_SECRET)
        yield Shop(store_id, suffix, stand_in, parts, api, e2e_stack.gateway_url)
    await api.aclose()


async def test_the_fixture_orders_become_sales_orders_to_the_cent(shop: Shop) -> None:
    s = shop.stand_in
    s.add_order(shop.order(COUPON_TAX_EXCLUSIVE))
    s.add_order(shop.order(VARIATION_FEE_TAX_INCLUSIVE))
    s.add_order(shop.order(COMPLETED_PARTIAL_REFUND), shop.refunds(COMPLETED_PARTIAL_REFUND))
    created = s.prepare("order.created", 727)
    s.change_order(727, 30, status="on-hold")
    on_hold = s.prepare("order.updated", 727)
    assert await s.send(on_hold) == 200
    assert await s.send(on_hold) == 200  # a duplicate
    assert await s.send(created) == 200  # older, arriving late
    for woo_id in (812, 910):
        assert await s.deliver("order.created", woo_id) == 200
    expected = {727: ("133.58", "USD"), 812: ("70.45", "EUR"), 910: ("42.60", "GBP")}
    for woo_id, (total, currency) in expected.items():
        order = await shop.sales_order(woo_id)
        assert order["channel"] == "woocommerce"
        assert order["external_reference"] == f"{shop.store_id}:{woo_id}"
        assert (order["total"]["amount"], order["total"]["currency"]) == (total, currency)
        assert order["needs_review"] is False  # the engine reproduced the store's figures
    held = await shop.held(727)
    assert held is not None
    assert held.woo_status == "on-hold"
    # the duplicate and the late delivery placed nothing more
    listed = await shop.api.get("/sales-orders", channel="woocommerce", page_size="200")
    references = [o["external_reference"] for o in listed.json()["items"]]
    assert references.count(f"{shop.store_id}:727") == 1
    # the guest's account is one of its own; the registered customers' are theirs
    first, second = await shop.sales_order(727), await shop.sales_order(812)
    assert first["customer_id"] != second["customer_id"]


async def test_a_refund_becomes_a_credit_note_for_its_line_and_tax(shop: Shop) -> None:
    s = shop.stand_in
    s.add_order(shop.order(COMPLETED_PARTIAL_REFUND), shop.refunds(COMPLETED_PARTIAL_REFUND))
    assert await s.deliver("order.created", 910) == 200
    order = await shop.sales_order(910)

    async def notes() -> list[dict[str, Any]]:
        response = await shop.api.get("/credit-notes", order_id=order["id"])
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    found = await eventually(notes, lambda items: len(items) == 1, 60)
    note = found[0]
    assert note["total"]["amount"] == "9.60"
    assert note["total"]["currency"] == "GBP"
    assert [(x["sku"], x["quantity"], x["line_total"]["amount"]) for x in note["lines"]] == [
        (f"MUG-ENAMEL-{shop.suffix}", 1, "9.60")
    ]
    assert [(t["code"], t["amount"]["amount"]) for t in note["taxes"]] == [("woo-5", "1.60")]
    # the same order delivered again credits nothing twice
    s.change_order(910, 30, customer_note="again")
    assert await s.deliver("order.updated", 910) == 200
    held = await eventually(
        lambda: shop.held(910), lambda h: h is not None and not h.sync_due and h.woo_status, 60
    )
    assert held.credited
    assert len(held.credited) == 1
    assert len(await notes()) == 1


async def test_a_bad_signature_is_refused_and_kept_nowhere(shop: Shop) -> None:
    s = shop.stand_in
    s.add_order(shop.order(COUPON_TAX_EXCLUSIVE))
    prepared = s.prepare("order.created", 727)
    forged = dataclasses.replace(prepared, body=prepared.body.replace(b"133.58", b"1.00"))
    assert await s.send(forged) == 401
    async with shop.parts.units() as uow:
        assert await uow.orders.of_store(shop.store_id) == []


async def test_an_unknown_sku_parks_the_order_until_the_catalog_has_it(shop: Shop) -> None:
    s = shop.stand_in
    data = shop.order(COUPON_TAX_EXCLUSIVE)
    missing = f"NO-SUCH-{shop.suffix}"
    data["line_items"][0]["sku"] = missing
    s.add_order(data)
    assert await s.deliver("order.created", 727) == 200
    held = await eventually(
        lambda: shop.held(727), lambda h: h is not None and h.state.value == "parked", 60
    )
    assert "NO-SUCH" in held.reason
    assert held.sales_order_id == ""
    # the order desk sees it in its queue (the connector's API through the gateway) and retries
    # it: taken up again, parked again while the SKU is still unknown
    desk = Api(shop.gateway_url, "e2e-woo-desk", "order-desk")
    try:
        queue = await desk.get("/store-orders", store_id=shop.store_id, state="parked")
        assert queue.status_code == 200, queue.text
        (listed,) = queue.json()["items"]
        assert (listed["woo_order_id"], listed["why"]) == (727, held.reason)
        retried = await desk.post(f"/store-orders/{shop.store_id}/727/retry", {})
        assert retried.status_code == 200, retried.text
        assert retried.json()["order"]["state"] == "received"
    finally:
        await desk.aclose()
    await eventually(
        lambda: shop.held(727), lambda h: h is not None and h.state.value == "parked", 60
    )
    # a person adds the product: catalog's event takes the order up again
    price = {"amount": "1", "currency": "EUR"}
    await shop.api.created("/products", {"sku": missing, "name": "Hoodie", "list_price": price})
    order = await shop.sales_order(727)
    assert (order["total"]["amount"], order["needs_review"]) == ("133.58", False)


async def _stock(shop: Shop, skus: list[str], units: int) -> str:
    code = f"W{uuid.uuid4().hex[:6]}"
    warehouse = str((await shop.api.created("/warehouses", {"code": code, "name": code}))["id"])
    for sku in skus:
        found = (await shop.api.get("/products", sku=sku)).json()["items"]
        product_id = next(p["id"] for p in found if p["sku"] == sku)
        body = {"warehouse_id": warehouse, "product_id": product_id, "quantity_delta": units,
                "reason": "count"}  # fmt: skip
        adjusted = await shop.api.post("/stock/adjustments", body)
        assert adjusted.status_code in (200, 201), adjusted.text
    return warehouse


async def test_a_shipped_store_order_is_paid_with_what_the_store_collected(shop: Shop) -> None:
    s = shop.stand_in
    data = shop.order(COMPLETED_PARTIAL_REFUND)  # 42.60 GBP paid by PayPal, 9.60 refunded
    warehouse = await _stock(shop, [i["sku"] for i in data["line_items"]], 10)
    s.add_order(data, shop.refunds(COMPLETED_PARTIAL_REFUND))
    assert await s.deliver("order.created", 910) == 200
    order = await shop.sales_order(910)

    async def now() -> dict[str, Any]:
        found: dict[str, Any] = (await shop.api.get(f"/sales-orders/{order['id']}")).json()
        return found

    await eventually(now, lambda o: o["stock_status"] == "reserved", 60)
    await shop.api.created(
        "/shipments", {"order_id": order["id"], "warehouse_id": warehouse, "carrier": "DHL"}
    )
    # paid, then closed by the pipeline on its own
    paid = await eventually(now, lambda o: o["status"] in ("paid", "closed"), 90)
    assert paid["total"]["amount"] == "42.60"
    payments = (await shop.api.get("/payments", customer_id=order["customer_id"])).json()
    assert [(p["amount"]["amount"], p["amount"]["currency"]) for p in payments["items"]] == [
        ("42.60", "GBP")
    ]
    balance = (await shop.api.get(f"/customers/{order['customer_id']}/balance")).json()
    # the refund's credit note was paid back by the store: no credit, nothing owed
    owed = [b for b in balance["balances"] if b["amount"] not in ("0", "0.00")]
    credit = [c for c in balance["credits"] if c["amount"] not in ("0", "0.00")]
    assert (owed, credit) == ([], [])


async def test_the_pull_catches_a_missed_webhook_and_a_cancellation_cancels(shop: Shop) -> None:
    s = shop.stand_in
    s.add_order(shop.order(VARIATION_FEE_TAX_INCLUSIVE))  # no webhook sent
    report = await pull_orders(shop.parts.units, shop.parts.api, shop.parts.catalog, shop.store_id)
    assert report.outcomes.get("mapped") == 1
    order = await shop.sales_order(812)
    assert order["total"]["amount"] == "70.45"
    older = s.prepare("order.updated", 812)
    s.change_order(812, 60, status="cancelled")
    assert await s.deliver("order.updated", 812) == 200

    async def status() -> str:
        response = await shop.api.get(f"/sales-orders/{order['id']}")
        return str(response.json()["status"])

    await eventually(status, lambda now: now == "cancelled", 60)
    # an older delivery arriving late does not move it back
    assert await s.send(older) == 200
    held = await eventually(lambda: shop.held(812), lambda h: h is not None and not h.sync_due, 30)
    assert held.sales_state == "cancelled"
    assert await status() == "cancelled"
