"""Stock out and shipments back, on fakes: levels summed over the store's warehouses, rapid
changes coalesced into one push, batches of at most 100, variations written under their parent
(or the parent when it holds the stock), failures tried again later and later."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from oms.events.v1 import billing_pb2, inventory_pb2, orders_pb2
from services.woocommerce.tests.fixtures import store
from services.woocommerce.tests.unit.stock_fakes import (
    FakeLinks,
    FakeSkus,
    FakeStock,
    FakeWrites,
)
from woocommerce.application.commands.push_shipment import (
    completes_store_order,
    push_status,
    push_tracking,
)
from woocommerce.application.commands.push_stock import flush_stock, note_stock_change
from woocommerce.domain.sales_orders import may_be_a_store_order
from woocommerce.domain.stock_push import (
    BATCH_LIMIT,
    LAST_RETRY,
    WooItem,
    backoff,
    batches,
    store_level,
    woo_order_key,
)
from woocommerce.entrypoints.subscriptions import Reactions

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=2)
SHOP = replace(store("shop-eu"), warehouses=("WH-1", "WH-2"))
OTHER = replace(store("shop-us"), warehouses=("WH-3",))


def product(woo_id: int, sku: str) -> dict[str, object]:
    return {"id": woo_id, "sku": sku, "type": "simple", "parent_id": 0, "manage_stock": True}


def variation(woo_id: int, parent: int, sku: str, manage: object = True) -> dict[str, object]:
    return {"id": woo_id, "sku": sku, "type": "variation", "parent_id": parent,
            "manage_stock": manage}  # fmt: skip


async def test_rapid_changes_coalesce_into_one_push_of_the_sum_over_the_stores_warehouses() -> None:
    stock = FakeStock([SHOP, OTHER])
    assert await note_stock_change(stock, "p1", "WH-1", 5, LATER) == 1
    await note_stock_change(stock, "p1", "WH-1", 4, LATER + timedelta(seconds=1))
    await note_stock_change(stock, "p1", "WH-2", 7, LATER)
    await note_stock_change(stock, "p1", "WH-9", 100, LATER)  # no store sells from it
    api = FakeWrites({"SKU-1": product(11, "SKU-1")})
    assert await flush_stock(stock, api, FakeSkus({"p1": "SKU-1"}), NOW) == 0  # not due yet
    assert await flush_stock(stock, api, FakeSkus({"p1": "SKU-1"}), LATER) == 1
    [batch] = api.batches
    assert batch.path == "/products/batch"
    assert batch.body() == {"update": [{"id": 11, "manage_stock": True, "stock_quantity": 11}]}
    assert stock.state.pushes == {}
    await note_stock_change(stock, "p1", "WH-2", 0, LATER)
    await flush_stock(stock, api, FakeSkus({"p1": "SKU-1"}), LATER)
    assert api.batches[-1].update[0]["stock_quantity"] == 4
    assert api.looked_up == ["SKU-1"]  # the store's id is remembered


async def test_250_products_go_in_batches_of_at_most_100() -> None:
    stock = FakeStock([SHOP])
    skus = {f"p{i}": f"SKU-{i}" for i in range(250)}
    for i in range(250):
        await note_stock_change(stock, f"p{i}", "WH-1", i, NOW)
    api = FakeWrites({f"SKU-{i}": product(1000 + i, f"SKU-{i}") for i in range(250)})
    assert await flush_stock(stock, api, FakeSkus(skus), NOW) == 250
    assert [len(b.update) for b in api.batches] == [100, 100, 50]
    pushed = {u["id"]: u["stock_quantity"] for b in api.batches for u in b.update}
    assert pushed == {1000 + i: i for i in range(250)}


async def test_variations_are_written_on_the_entity_holding_their_stock() -> None:
    stock = FakeStock([SHOP])
    for name in ("own", "inherits", "simple"):
        await note_stock_change(stock, name, "WH-1", 3, NOW)
    api = FakeWrites({"V-OWN": variation(205, 200, "V-OWN"),
                      "V-PARENT": variation(305, 300, "V-PARENT", manage="parent"),
                      "S": product(7, "S")})  # fmt: skip
    skus = FakeSkus({"own": "V-OWN", "inherits": "V-PARENT", "simple": "S"})
    await flush_stock(stock, api, skus, NOW)
    calls = {b.path: sorted(u["id"] for u in b.update) for b in api.batches}  # type: ignore[misc]
    assert calls == {"/products/200/variations/batch": [205], "/products/batch": [7, 300]}


async def test_a_failing_store_is_tried_again_later_and_later() -> None:
    stock = FakeStock([SHOP])
    await note_stock_change(stock, "p1", "WH-1", 2, NOW)
    api = FakeWrites({"SKU-1": product(11, "SKU-1")})
    skus = FakeSkus({"p1": "SKU-1"})
    await flush_stock(stock, api, skus, NOW)  # remembers the id, then the batch fails
    api.failures = 2
    await note_stock_change(stock, "p1", "WH-1", 1, NOW)
    stock.state.items.clear()
    assert await flush_stock(stock, api, skus, NOW) == 0  # the look-up fails
    attempts, due, error = stock.state.pushes[("shop-eu", "p1")]
    assert (attempts, due) == (1, NOW + timedelta(seconds=5))
    assert "503" in error
    assert await flush_stock(stock, api, skus, due) == 0  # looked up; the batch fails
    attempts, due2, _ = stock.state.pushes[("shop-eu", "p1")]
    assert (attempts, due2) == (2, due + timedelta(seconds=10))
    assert await flush_stock(stock, api, skus, due2 - timedelta(seconds=1)) == 0
    assert await flush_stock(stock, api, skus, due2) == 1
    assert api.batches[-1].update[0]["stock_quantity"] == 1


async def test_an_unavailable_catalog_and_unknown_products_lose_nothing() -> None:
    stock = FakeStock([SHOP])
    await note_stock_change(stock, "p1", "WH-1", 2, NOW)
    await note_stock_change(stock, "p2", "WH-1", 2, NOW)
    api = FakeWrites({"SKU-1": product(11, "SKU-1")})
    assert await flush_stock(stock, api, FakeSkus({}, available=False), NOW) == 0
    assert stock.state.pushes[("shop-eu", "p1")][0] == 1
    later = NOW + timedelta(minutes=1)
    assert await flush_stock(stock, api, FakeSkus({"p1": "SKU-1"}), later) == 1
    assert stock.state.pushes == {}  # p2 has no SKU: settled, logged


async def test_items_the_store_refuses_stay_pending() -> None:
    stock = FakeStock([SHOP])
    await note_stock_change(stock, "p1", "WH-1", 2, NOW)
    await note_stock_change(stock, "p2", "WH-1", 2, NOW)
    api = FakeWrites({"A": product(1, "A"), "B": product(2, "B")})
    api.refuse = {2: "Invalid ID."}
    assert await flush_stock(stock, api, FakeSkus({"p1": "A", "p2": "B"}), NOW) == 1
    assert list(stock.state.pushes) == [("shop-eu", "p2")]
    assert stock.state.pushes[("shop-eu", "p2")][2] == "Invalid ID."


@given(st.dictionaries(st.sampled_from(["WH-1", "WH-2", "WH-3"]), st.integers(-5, 10**6)))
def test_the_store_level_is_the_sum_over_its_warehouses(levels: dict[str, int]) -> None:
    expected = max(0, levels.get("WH-1", 0) + levels.get("WH-2", 0))
    assert store_level(levels, ("WH-1", "WH-2")) == expected


@given(st.lists(st.tuples(st.integers(1, 400), st.sampled_from([0, 7, 9]), st.integers(0, 50))))
def test_batches_hold_every_entity_once_and_at_most_100(
    levels: list[tuple[int, int, int]],
) -> None:
    found = batches([(WooItem(i, parent), n) for i, parent, n in levels])
    assert all(0 < len(b.update) <= BATCH_LIMIT for b in found)
    written = {(b.path, u["id"]): u["stock_quantity"] for b in found for u in b.update}
    assert len(written) == sum(len(b.update) for b in found)
    assert written == {(WooItem(i, p).path, i): n for i, p, n in levels}


def test_backoff_doubles_up_to_half_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in range(5)] == [0, 5, 10, 20, 40]
    assert backoff(40) == LAST_RETRY


def test_external_references_name_store_and_order() -> None:
    assert woo_order_key("shop-eu:727") == ("shop-eu", 727)
    assert woo_order_key("727") is None
    assert woo_order_key("shop:x") is None


async def test_a_shipment_adds_the_tracking_note_and_full_shipping_completes_the_order() -> None:
    stock = FakeStock([SHOP])
    api = FakeWrites()
    links = FakeLinks({"so-1": ("shop-eu", 727)})
    assert await push_tracking(stock, api, links, "so-1", "DHL", "JD0001")
    assert api.notes == [(727, "Shipped with DHL, tracking number JD0001.")]
    assert not await push_status(stock, api, links, "so-1", "partially_shipped")
    assert await push_status(stock, api, links, "so-1", "shipped")
    assert api.orders == [(727, {"status": "completed"})]
    assert not await push_tracking(stock, api, links, "so-direct", "DHL", "X")
    assert not await push_status(stock, api, FakeLinks({"so-2": ("gone", 1)}), "so-2", "shipped")


def test_the_connector_reads_only_the_status_change_that_completes_a_store_order() -> None:
    # the consumer skips the others before any transaction (Subscription.wants)
    subscription = next(
        s
        for s in Reactions(None, FakeWrites(), 0).subscriptions()  # type: ignore[arg-type]
        if s.message is orders_pb2.SalesOrderStatusChanged
    )
    assert subscription.wants is not None
    for status, wanted in (("shipped", True), ("partially_shipped", False), ("reserved", False)):
        assert completes_store_order(status) is wanted
        assert subscription.wants(orders_pb2.SalesOrderStatusChanged(to_status=status)) is wanted


def test_the_connector_skips_other_channels_orders_unread_and_reads_those_naming_none() -> None:
    wants = {
        s.message: s.wants
        for s in Reactions(None, FakeWrites(), 0).subscriptions()  # type: ignore[arg-type]
    }
    shipped, dispatched, issued = (
        orders_pb2.SalesOrderStatusChanged,
        inventory_pb2.ShipmentDispatched,
        billing_pb2.InvoiceIssued,
    )
    for channel, wanted in (("woocommerce", True), ("", True), ("direct", False), ("quote", False)):
        assert may_be_a_store_order(channel) is wanted
        for kind in (dispatched, issued):
            check = wants[kind]
            assert check is not None
            assert check(kind(order_id="o-1", channel=channel)) is wanted
        status = wants[shipped]
        assert status is not None
        assert status(shipped(to_status="shipped", channel=channel)) is wanted
        assert status(shipped(to_status="reserved", channel=channel)) is False
