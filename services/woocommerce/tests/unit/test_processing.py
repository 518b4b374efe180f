"""The worker over kept deliveries and the reconciliation pull, on fakes: each order ends mapped,
parked or in review; duplicates and late deliveries change nothing; a missed webhook is caught."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.woocommerce.tests.fixtures import (
    CATALOG,
    COMPLETED_PARTIAL_REFUND,
    COUPON_TAX_EXCLUSIVE,
    raw,
    store,
)
from services.woocommerce.tests.unit.fakes import (
    FakeClock,
    FakeConnector,
    FakeSkuCatalog,
    FakeWooApi,
)
from woocommerce.application.commands.process_deliveries import (
    finish_waiting_orders,
    process_deliveries,
)
from woocommerce.application.commands.pull_orders import OVERLAP, pull_orders
from woocommerce.application.commands.receive_delivery import receive_delivery
from woocommerce.application.ports import StoreUnreachable
from woocommerce.domain.connector_orders import OrderState
from woocommerce.domain.webhooks import signature_of

NOW = datetime(2024, 6, 3, 17, 0, tzinfo=UTC)


def later(data: dict[str, Any], seconds: int, **changes: Any) -> dict[str, Any]:
    modified = datetime.fromisoformat(data["date_modified_gmt"]) + timedelta(seconds=seconds)
    return {**data, **changes, "date_modified_gmt": modified.strftime("%Y-%m-%dT%H:%M:%S")}


class Harness:
    def __init__(self, catalog: dict[str, str] | None = None, orders: list[Any] = ()) -> None:  # type: ignore[assignment]
        self.clock = FakeClock(NOW)
        self.units = FakeConnector(self.clock)
        self.catalog = FakeSkuCatalog(CATALOG if catalog is None else catalog)
        self.api = FakeWooApi(orders)
        self.count = 0

    async def setup(self) -> Harness:
        async with self.units() as uow:
            await uow.stores.add(store())
        return self

    async def deliver(self, data: dict[str, Any], topic: str = "order.updated") -> None:
        self.count += 1
        body = json.dumps(data).replace("/", "\\/").encode()
        headers = {
            "x-wc-webhook-topic": topic,
            "x-wc-webhook-signature": signature_of(body, store().credentials.webhook_secret),
            "x-wc-webhook-delivery-id": f"d{self.count}",
        }
        await receive_delivery(self.units, "shop-us", body, headers, self.clock.now)

    async def process(self) -> int:
        return await process_deliveries(self.units, self.api, self.catalog)

    def order(self, woo_id: int = 727) -> Any:
        return self.units.state.orders.get(("shop-us", woo_id))

    def outcomes(self) -> list[str]:
        return [row["outcome"] for row in self.units.state.deliveries]


async def test_a_delivery_becomes_a_mapped_order() -> None:
    h = await Harness().setup()
    await h.deliver(raw(COUPON_TAX_EXCLUSIVE), "order.created")
    assert await h.process() == 1
    held = h.order()
    assert (held.state, held.woo_status, str(held.total)) == (
        OrderState.MAPPED,
        "processing",
        "133.58",
    )
    assert h.outcomes() == ["mapped"]


async def test_duplicates_and_late_deliveries_change_nothing() -> None:
    h = await Harness().setup()
    first = raw(COUPON_TAX_EXCLUSIVE)
    newer = later(first, 60, status="completed")
    await h.deliver(newer)
    await h.deliver(first)  # sent earlier, arrives later
    await h.deliver(newer)  # the same content again under another delivery id
    await h.process()
    assert h.order().woo_status == "completed"
    assert h.outcomes() == ["mapped", "stale", "duplicate"]


async def test_the_same_second_with_other_content_asks_the_store() -> None:
    first = raw(COUPON_TAX_EXCLUSIVE)
    h = await Harness(orders=[{**first, "status": "on-hold"}]).setup()
    await h.deliver(first)
    await h.deliver({**first, "status": "cancelled"})  # same modification second
    await h.process()
    assert h.api.fetched == [727]
    assert h.order().woo_status == "on-hold"


async def test_an_unknown_sku_parks_the_order_with_the_reason() -> None:
    h = await Harness(catalog={"HOODIE-TRAIL": "p-hoodie"}).setup()
    await h.deliver(raw(COUPON_TAX_EXCLUSIVE))
    await h.process()
    assert h.order().state is OrderState.PARKED
    assert h.order().reason == "unknown SKU: line 2: SOCKS-WOOL"


async def test_differing_figures_put_the_order_in_review() -> None:
    h = await Harness().setup()
    await h.deliver({**raw(COUPON_TAX_EXCLUSIVE), "total": "133.60"})
    await h.process()
    assert h.order().state is OrderState.REVIEW
    assert h.order().differences == ("total: store 133.60, engine 133.58",)
    assert str(h.order().total) == "133.60"  # the store's figure is kept


async def test_while_the_catalog_is_down_the_order_waits_as_received() -> None:
    h = await Harness().setup()
    h.catalog.available = False
    await h.deliver(raw(COUPON_TAX_EXCLUSIVE))
    assert await h.process() == 1
    assert h.order().state is OrderState.RECEIVED
    assert h.outcomes() == ["received: catalog down"]
    assert await finish_waiting_orders(h.units, h.catalog) == 0
    await h.deliver(raw(COUPON_TAX_EXCLUSIVE))  # the same snapshot again still finishes it
    h.catalog.available = True
    assert await finish_waiting_orders(h.units, h.catalog) == 1
    assert h.order().state is OrderState.MAPPED
    await h.process()
    assert h.outcomes()[-1] == "duplicate"


async def test_a_store_that_cannot_be_reached_is_asked_again_later() -> None:
    h = await Harness().setup()
    first = raw(COUPON_TAX_EXCLUSIVE)
    await h.deliver(first)
    await h.process()
    h.api.down = True
    await h.deliver({**first, "status": "cancelled"})  # in doubt: the store must be asked
    assert await h.process() == 0
    assert h.units.state.deliveries[1]["attempts"] == 1
    h.api.down = False
    assert await h.process() == 0  # not due yet
    h.clock.now += timedelta(seconds=6)
    assert await h.process() == 1


async def test_deleted_and_restored() -> None:
    h = await Harness().setup()
    data = raw(COUPON_TAX_EXCLUSIVE)
    await h.deliver(data)
    await h.deliver({"id": 727}, "order.deleted")
    await h.process()
    assert h.order().trashed
    await h.deliver(later(data, 5, status="on-hold"), "order.restored")
    await h.process()
    assert not h.order().trashed
    assert h.order().woo_status == "on-hold"


async def test_drafts_and_error_bodies_are_recorded_not_applied() -> None:
    h = await Harness().setup()
    await h.deliver({**raw(COUPON_TAX_EXCLUSIVE), "status": "checkout-draft"}, "order.created")
    await h.deliver({"code": "woocommerce_rest_cannot_view", "data": {"status": 401}})
    await h.process()
    assert h.order() is None
    assert [o.split(":")[0] for o in h.outcomes()] == ["ignored", "not an order"]


async def test_the_pull_catches_a_missed_webhook_and_resumes_from_its_cursor() -> None:
    missed = raw(COMPLETED_PARTIAL_REFUND)
    seen = raw(COUPON_TAX_EXCLUSIVE)
    h = await Harness(orders=[seen, missed]).setup()
    h.api.page_size = 1
    await h.deliver(seen)
    await h.process()
    progress: list[tuple[int, int]] = []
    report = await pull_orders(
        h.units, h.api, h.catalog, "shop-us", lambda r, t: progress.append((r.pages, t))
    )
    assert h.order(910).state is OrderState.MAPPED
    assert report.outcomes == {"mapped": 1, "duplicate": 1}
    assert progress == [(1, 2), (2, 2)]
    pulled_until = h.units.state.stores["shop-us"].pulled_until
    assert pulled_until == datetime(2024, 6, 3, 16, 12, 44, tzinfo=UTC)
    await pull_orders(h.units, h.api, h.catalog, "shop-us")
    assert h.api.listed[-1] == (pulled_until - OVERLAP, 1)


async def test_a_pull_that_stops_resumes_after_the_last_page_it_finished() -> None:
    first, second = raw(COUPON_TAX_EXCLUSIVE), raw(COMPLETED_PARTIAL_REFUND)
    h = await Harness(orders=[first, second]).setup()
    h.api.page_size = 1
    h.api.failing_pages = {2}
    with pytest.raises(StoreUnreachable):
        await pull_orders(h.units, h.api, h.catalog, "shop-us")
    cursor = h.units.state.stores["shop-us"].pulled_until
    assert cursor == datetime(2024, 6, 2, 10, 47, 19, tzinfo=UTC)  # order 910, page 1
    h.api.failing_pages = set()
    await pull_orders(h.units, h.api, h.catalog, "shop-us")
    assert h.api.listed[-2] == (cursor - OVERLAP, 1)
    assert h.order(727).state is OrderState.MAPPED


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(4))), st.lists(st.integers(0, 3), max_size=4))
async def test_any_arrival_order_ends_on_the_newest_snapshot(
    arrival: list[int], repeats: list[int]
) -> None:
    base = raw(COUPON_TAX_EXCLUSIVE)
    statuses = ["pending", "processing", "on-hold", "completed"]
    snapshots = [later(base, 10 * n, status=statuses[n]) for n in range(4)]
    h = await Harness().setup()
    for n in [*arrival, *repeats]:
        await h.deliver(snapshots[n])
    await h.process()
    assert h.order().woo_status == "completed"
    assert h.order().date_modified_gmt == datetime(2024, 6, 3, 16, 13, 14, tzinfo=UTC)
