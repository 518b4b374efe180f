"""The connector on PostgreSQL against the stand-in over HTTP: signed deliveries are kept and
processed, a bad signature is refused and kept nowhere, duplicates and reordered deliveries
change nothing, a missed webhook is caught by the pull, an unknown SKU parks the order."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from sqlalchemy import func, select

from services.woocommerce.tests.fixtures import (
    COMPLETED_PARTIAL_REFUND,
    COUPON_TAX_EXCLUSIVE,
    VARIATION_FEE_TAX_INCLUSIVE,
    raw,
)
from services.woocommerce.tests.integration.conftest import Connector
from woocommerce.adapters.tables import deliveries, stores
from woocommerce.application.commands.process_deliveries import process_deliveries
from woocommerce.application.commands.pull_orders import pull_orders
from woocommerce.domain.connector_orders import OrderState

pytestmark = pytest.mark.integration


async def process(c: Connector) -> int:
    return await process_deliveries(c.units, c.api, c.catalog)


async def held(c: Connector, woo_id: int = 727):  # type: ignore[no-untyped-def]
    async with c.units() as uow:
        return await uow.orders.get("shop-us", woo_id)


async def kept_deliveries(c: Connector) -> list[tuple[str, str | None]]:
    async with c.database.transaction() as session:
        rows = await session.execute(
            select(deliveries.c.topic, deliveries.c.outcome).order_by(deliveries.c.id)
        )
        return [(r.topic, r.outcome) for r in rows]


async def test_a_signed_webhook_is_kept_and_processed(connector: Connector) -> None:
    c = connector
    c.stand_in.add_order(raw(COUPON_TAX_EXCLUSIVE))
    assert await c.stand_in.ping("order.created") == 200
    assert await c.stand_in.deliver("order.created", 727) == 200
    assert await kept_deliveries(c) == [("order.created", None)]
    assert await process(c) == 1
    order = await held(c)
    assert order.state is OrderState.MAPPED
    assert str(order.total) == "133.580000"
    assert await kept_deliveries(c) == [("order.created", "mapped")]


async def test_a_bad_signature_is_refused_and_kept_nowhere(connector: Connector) -> None:
    c = connector
    c.stand_in.add_order(raw(COUPON_TAX_EXCLUSIVE))
    prepared = c.stand_in.prepare("order.updated", 727)
    forged = dataclasses.replace(prepared, body=prepared.body.replace(b"133.58", b"1.00"))
    assert await c.stand_in.send(forged) == 401
    assert await kept_deliveries(c) == []
    async with httpx.AsyncClient() as client:
        unsigned = await client.post(c.webhooks_url, content=prepared.body)
        assert unsigned.status_code == 401
        huge = await client.post(c.webhooks_url, content=b"x" * 300_000)
        assert huge.status_code == 413
    assert await kept_deliveries(c) == []


async def test_duplicates_and_reordered_deliveries_change_nothing(connector: Connector) -> None:
    c = connector
    c.stand_in.add_order(raw(COUPON_TAX_EXCLUSIVE))
    created = c.stand_in.prepare("order.created", 727)
    c.stand_in.change_order(727, 60, status="completed")
    completed = c.stand_in.prepare("order.updated", 727)
    assert await c.stand_in.send(completed) == 200
    assert await c.stand_in.send(completed) == 200  # the same delivery twice: kept once
    assert await c.stand_in.send(created) == 200  # the older snapshot arrives last
    await process(c)
    order = await held(c)
    assert (order.woo_status, order.state) == ("completed", OrderState.MAPPED)
    assert await kept_deliveries(c) == [
        ("order.updated", "mapped"),
        ("order.created", "stale"),
    ]


async def test_a_missed_webhook_is_caught_by_the_pull(connector: Connector) -> None:
    c = connector
    for name in (COUPON_TAX_EXCLUSIVE, COMPLETED_PARTIAL_REFUND, VARIATION_FEE_TAX_INCLUSIVE):
        c.stand_in.add_order(raw(name))
    await c.stand_in.deliver("order.created", 727)
    await process(c)
    # 910 and 812 changed in the store and their deliveries never came
    report = await pull_orders(c.units, c.api, c.catalog, "shop-us")
    assert (await held(c, 910)).state is OrderState.MAPPED
    # the tax-inclusive store's order was pulled for a store set up tax-exclusive: the order
    # says prices_include_tax, and that is what its figures were computed under
    assert (await held(c, 812)).state is OrderState.MAPPED
    assert report.pages == 2  # 3 orders, 2 a page (X-WP-TotalPages)
    assert report.outcomes == {"mapped": 2, "duplicate": 1}
    listed = [r for r in c.stand_in.requests if r.startswith("GET /wp-json/wc/v3/orders?")]
    assert "dates_are_gmt=true" in listed[0]
    assert "modified_after=" in listed[0]
    async with c.database.transaction() as session:
        cursor = (await session.execute(select(stores.c.pulled_until))).scalar_one()
    assert cursor.isoformat() == "2024-06-04T08:05:15+00:00"


async def test_an_unknown_sku_parks_the_order(connector: Connector) -> None:
    c = connector
    data = raw(COUPON_TAX_EXCLUSIVE)
    data["line_items"][1]["sku"] = "SOCKS-NOT-IN-CATALOG"
    c.stand_in.add_order(data)
    await c.stand_in.deliver("order.created", 727)
    await process(c)
    order = await held(c)
    assert order.state is OrderState.PARKED
    assert order.reason == "unknown SKU: line 2: SOCKS-NOT-IN-CATALOG"


async def test_the_store_secrets_are_encrypted_at_rest(connector: Connector) -> None:
    c = connector
    async with c.database.transaction() as session:
        row = (await session.execute(select(stores))).one()._mapping
        count = (await session.execute(select(func.count()).select_from(stores))).scalar_one()
    assert count == 1
    for name in ("consumer_key", "consumer_secret", "webhook_secret"):
        assert getattr(c.store.credentials, name).encode() not in row[name]
    assert "cs_standin" not in repr(c.store)
    async with c.units() as uow:
        assert (await uow.stores.get("shop-us")) == c.store


async def test_a_deleted_order_is_marked_trashed_and_a_restored_one_is_back(
    connector: Connector,
) -> None:
    c = connector
    c.stand_in.add_order(raw(COUPON_TAX_EXCLUSIVE))
    await c.stand_in.deliver("order.created", 727)
    assert await c.stand_in.deliver("order.deleted", 727) == 200  # body: {"id":727}
    await process(c)
    assert (await held(c)).trashed
    c.stand_in.change_order(727, 30, status="on-hold")
    await c.stand_in.deliver("order.restored", 727)
    await process(c)
    order = await held(c)
    assert (order.trashed, order.woo_status) == (False, "on-hold")
