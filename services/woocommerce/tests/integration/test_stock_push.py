"""Stock out and shipments back on PostgreSQL against the stand-in over HTTP: 150 changed levels
go in batches of at most 100, variations under their parent (or the parent holding the stock),
a store refusing the call is tried again later; a shipment puts a tracking note on the store's order
and completes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import select

from services.woocommerce.tests.fixtures import COUPON_TAX_EXCLUSIVE, raw
from services.woocommerce.tests.integration.conftest import Connector
from services.woocommerce.tests.unit.stock_fakes import FakeLinks, FakeSkus
from woocommerce.adapters.secrets import DEVELOPMENT_KEY, SecretBox
from woocommerce.adapters.stock import SqlStockUnitOfWork
from woocommerce.adapters.tables import stock_pushes
from woocommerce.adapters.woo_writes import WooWriteApi
from woocommerce.application.commands.push_shipment import push_status, push_tracking
from woocommerce.application.commands.push_stock import flush_stock, note_stock_change

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)


def catalog(count: int) -> dict[int, dict[str, object]]:
    found: dict[int, dict[str, object]] = {
        1000 + i: {"id": 1000 + i, "sku": f"SKU-{i}", "type": "simple", "manage_stock": True,
                   "stock_quantity": 0}
        for i in range(count)
    }  # fmt: skip
    found[200] = {"id": 200, "sku": "SHIRT", "type": "variable", "manage_stock": True,
                  "stock_quantity": 0}  # fmt: skip
    return found


async def test_levels_reach_the_store_in_batches_on_the_entity_holding_the_stock(
    connector: Connector,
) -> None:
    stand_in = connector.stand_in
    stand_in.products = catalog(148)
    stand_in.variations = {200: {
        205: {"id": 205, "sku": "SHIRT-M", "manage_stock": True, "stock_quantity": 0},
        206: {"id": 206, "sku": "SHIRT-L", "manage_stock": "parent", "stock_quantity": 0},
    }}  # fmt: skip
    units = partial(SqlStockUnitOfWork, connector.database, SecretBox(DEVELOPMENT_KEY))
    skus = {f"p{i}": f"SKU-{i}" for i in range(148)} | {"pm": "SHIRT-M", "pl": "SHIRT-L"}
    for product in skus:
        await note_stock_change(units, product, "WH-1", 1, NOW)
        await note_stock_change(units, product, "WH-1", 7, NOW)  # coalesced with the first
    await note_stock_change(units, "pl", "WH-9", 50, NOW)  # not the store's warehouse
    api = WooWriteApi(timeout=10)
    try:
        assert await flush_stock(units, api, FakeSkus(skus), NOW) == 150
    finally:
        await api.close()
    sizes = [(path, len(body["update"])) for path, body in stand_in.batch_calls]
    assert sorted(sizes) == [
        ("/products/200/variations/batch", 1), ("/products/batch", 49), ("/products/batch", 100),
    ]  # fmt: skip
    assert all(p["stock_quantity"] == 7 for p in stand_in.products.values())
    assert stand_in.variations[200][205]["stock_quantity"] == 7
    assert stand_in.products[200]["stock_quantity"] == 7  # SHIRT-L inherits its parent's stock
    async with connector.database.transaction() as session:
        assert (await session.execute(select(stock_pushes))).all() == []


async def test_a_failing_store_keeps_the_push_for_later(connector: Connector) -> None:
    units = partial(SqlStockUnitOfWork, connector.database, SecretBox(DEVELOPMENT_KEY))
    connector.stand_in.products = catalog(1)
    await note_stock_change(units, "p0", "WH-1", 3, NOW)
    api = WooWriteApi(timeout=10)
    stopped = connector.stand_in.consumer_secret
    connector.stand_in.consumer_secret = "rotated"  # the store answers 401: tried again later
    try:
        assert await flush_stock(units, api, FakeSkus({"p0": "SKU-0"}), NOW) == 0
        async with connector.database.transaction() as session:
            row = (await session.execute(select(stock_pushes))).one()
        assert row.attempts == 1
        assert row.due_at >= NOW + timedelta(seconds=5)
        assert "401" in row.last_error
        connector.stand_in.consumer_secret = stopped
        assert await flush_stock(units, api, FakeSkus({"p0": "SKU-0"}), row.due_at) == 1
    finally:
        await api.close()
    assert connector.stand_in.products[1000]["stock_quantity"] == 3


async def test_a_shipment_notes_its_tracking_and_completes_the_stores_order(
    connector: Connector,
) -> None:
    order = raw(COUPON_TAX_EXCLUSIVE)
    connector.stand_in.add_order(order)
    units = partial(SqlStockUnitOfWork, connector.database, SecretBox(DEVELOPMENT_KEY))
    links = FakeLinks({"so-1": ("shop-us", order["id"])})
    api = WooWriteApi(timeout=10)
    try:
        assert await push_tracking(units, api, links, "so-1", "DHL", "JD014600003828")
        assert await push_status(units, api, links, "so-1", "shipped")
    finally:
        await api.close()
    [note] = connector.stand_in.notes[order["id"]]
    assert note["note"] == "Shipped with DHL, tracking number JD014600003828."
    assert connector.stand_in.orders[order["id"]]["status"] == "completed"
    assert connector.stand_in.status_changes == [(order["id"], "completed")]
