"""The sales sync on fakes: mapped and review orders become sales orders once (retries place
nothing more), buyers become customers by the store's policy, the store's cancellation cancels an
unshipped sales order and never moves it back, refunds become credit notes once, and orders or
billing being down keeps the order due."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from services.woocommerce.tests.fixtures import (
    CATALOG,
    COMPLETED_PARTIAL_REFUND,
    COUPON_TAX_EXCLUSIVE,
    FOLDER,
    VARIATION_FEE_TAX_INCLUSIVE,
    raw,
    store,
)
from services.woocommerce.tests.unit.fakes import FakeClock, FakeConnector, FakeSkuCatalog
from services.woocommerce.tests.unit.sales_fakes import FakeRefunds, FakeSalesChannel
from woocommerce.application.commands.sync_sales_orders import sync_sales_orders
from woocommerce.application.ports import UnitOfWork
from woocommerce.application.sales_ports import SalesStatus
from woocommerce.application.snapshots import take_snapshot
from woocommerce.domain.connector_orders import ConnectorOrder
from woocommerce.domain.sales_orders import line_id
from woocommerce.domain.stores import CustomerPolicy

NOW = datetime(2024, 6, 3, 17, 0, tzinfo=UTC)
REFUNDS = json.loads(
    (FOLDER / "completed_partial_refund.refunds.json").read_text(), parse_float=Decimal
)


class World:
    def __init__(self, **store_fields: Any) -> None:
        self.units = FakeConnector(FakeClock(NOW))
        self.catalog = FakeSkuCatalog(CATALOG)
        self.channel = FakeSalesChannel()
        self.refunds = FakeRefunds({910: REFUNDS})
        self.store = replace(store("shop-us"), **store_fields)

    async def receive(self, data: dict[str, Any]) -> None:
        async with self.units() as uow:
            await uow.stores.add(self.store)
            decoded = json.loads(json.dumps(data), parse_float=Decimal)
            await take_snapshot(uow, self.store, decoded, _NoApi(), self.catalog)  # type: ignore[arg-type]

    async def sync(self) -> int:
        return await sync_sales_orders(self.units, self.refunds, self.catalog, self.channel)

    async def held(self, woo_id: int) -> ConnectorOrder:
        async with self.units() as uow:
            found = await _orders(uow).get("shop-us", woo_id)
        assert found is not None
        return found


class _NoApi:
    async def order(self, *_: Any) -> None:
        raise AssertionError("not asked")


def _orders(uow: UnitOfWork) -> Any:
    return uow.orders


def later(data: dict[str, Any], seconds: int, **changes: Any) -> dict[str, Any]:
    changed = dict(data, **changes)
    stamp = datetime.fromisoformat(data["date_modified_gmt"]).timestamp() + seconds
    changed["date_modified_gmt"] = datetime.fromtimestamp(stamp).strftime("%Y-%m-%dT%H:%M:%S")
    return changed


async def test_a_mapped_order_becomes_one_sales_order_with_the_stores_figures() -> None:
    w = World()
    await w.receive(raw(COUPON_TAX_EXCLUSIVE))
    assert await w.sync() == 1
    held = await w.held(727)
    assert (held.sales_order_id, held.sales_state, held.sync_due) == (
        "so-shop-us:727",
        "placed",
        False,
    )
    placement = w.channel.orders["shop-us:727"]
    assert placement.document.figures.total == Decimal("133.58")
    assert placement.review_note == ""
    assert placement.lines == (("p-hoodie", 2), ("p-socks", 3))
    assert placement.document.lines[0].line_id == line_id(
        "shop-us", 727, "item-" + str(raw(COUPON_TAX_EXCLUSIVE)["line_items"][0]["id"])
    )
    assert [c.kind for c in w.channel.customers] == ["guest"]
    assert await w.sync() == 0  # nothing due: nothing placed again


async def test_a_review_order_keeps_the_stores_figures_and_says_why() -> None:
    w = World()
    data = raw(COUPON_TAX_EXCLUSIVE)
    data["tax_lines"][0]["tax_total"] = "10.19"
    data["total_tax"], data["cart_tax"], data["total"] = "10.19", "10.19", "133.59"
    await w.receive(data)
    await w.sync()
    placement = w.channel.orders["shop-us:727"]
    assert placement.document.figures.total == Decimal("133.59")
    # the rate's tax on goods and on shipping, as the store has it
    assert [t.amount for t in placement.document.figures.taxes] == [Decimal("11.02")]
    assert placement.review_note == (
        "tax woo-1: store 11.02, engine 10.18; total: store 133.59, engine 133.58"
    )


async def test_registered_buyers_are_found_again_by_their_id_or_email() -> None:
    w = World()
    first = raw(VARIATION_FEE_TAX_INCLUSIVE)
    await w.receive(first)
    second = dict(raw(VARIATION_FEE_TAX_INCLUSIVE), id=813)
    await w.receive(second)
    third = dict(raw(VARIATION_FEE_TAX_INCLUSIVE), id=814, customer_id=99)  # same e-mail
    await w.receive(third)
    await w.sync()
    assert [c.kind for c in w.channel.customers] == ["person"]
    assert {p.customer_id for p in w.channel.orders.values()} == {"c-1"}


async def test_a_guests_repeat_orders_share_a_guest_account_and_never_a_registered_one() -> None:
    w = World()
    guest = raw(COUPON_TAX_EXCLUSIVE)  # customer_id 0
    await w.receive(guest)
    await w.receive(dict(raw(COUPON_TAX_EXCLUSIVE), id=728))  # the same e-mail again
    email = guest["billing"]["email"]
    registered = dict(raw(VARIATION_FEE_TAX_INCLUSIVE), customer_id=42)
    registered["billing"] = dict(registered["billing"], email=email.upper())
    await w.receive(registered)
    nameless = dict(raw(COUPON_TAX_EXCLUSIVE), id=729)
    nameless["billing"] = dict(nameless["billing"], email="")
    await w.receive(nameless)
    await w.sync()
    owner = {p.woo_order_id: p.customer_id for p in w.channel.orders.values()}
    assert owner[727] == owner[728]
    assert len({owner[727], owner[812], owner[729]}) == 3
    assert sorted(c.kind for c in w.channel.customers) == ["guest", "guest", "person"]


async def test_the_default_customer_policy_opens_no_account() -> None:
    w = World(customer_policy=CustomerPolicy.DEFAULT_CUSTOMER, default_customer_id="c-shop")
    await w.receive(raw(COUPON_TAX_EXCLUSIVE))
    await w.sync()
    assert w.channel.customers == []
    assert w.channel.orders["shop-us:727"].customer_id == "c-shop"


async def test_the_stores_cancellation_cancels_an_unshipped_order_once() -> None:
    w = World()
    data = raw(COUPON_TAX_EXCLUSIVE)
    await w.receive(data)
    await w.sync()
    await w.receive(later(data, 60, status="cancelled"))
    await w.receive(data)  # the older snapshot arriving late: stale
    await w.sync()
    assert [c[0] for c in w.channel.cancelled] == ["so-shop-us:727"]
    assert (await w.held(727)).sales_state == "cancelled"
    await w.receive(later(data, 120, status="processing"))  # restored in the store
    await w.sync()
    assert (await w.held(727)).sales_state == "cancelled"  # never placed again
    assert len(w.channel.orders) == 1


async def test_a_shipped_order_is_kept_when_the_store_cancels_it() -> None:
    w = World()
    data = raw(COUPON_TAX_EXCLUSIVE)
    await w.receive(data)
    await w.sync()
    w.channel.status_of["so-shop-us:727"] = SalesStatus("shipped", True)
    await w.receive(later(data, 60, status="cancelled"))
    await w.sync()
    assert w.channel.cancelled == []
    assert (await w.held(727)).sales_state == "kept"


async def test_a_refund_becomes_one_credit_note_for_its_line_and_tax() -> None:
    w = World()
    data = raw(COMPLETED_PARTIAL_REFUND)
    await w.receive(data)
    await w.sync()
    await w.receive(later(data, 60, customer_note="again"))
    await w.sync()
    (credit,) = w.channel.credits.values()
    assert (credit.amount, credit.currency, credit.sales_order_id) == (
        Decimal("9.60"), "GBP", "so-shop-us:910",
    )  # fmt: skip
    (line,) = credit.lines
    assert (line.sku, line.quantity, line.unit_price, line.line_total) == (
        "MUG-ENAMEL", 1, Decimal("8.00"), Decimal("9.60"),
    )  # fmt: skip
    assert [(t.code, t.rate, t.amount) for t in line.taxes] == [
        ("woo-5", Decimal("0.2"), Decimal("1.60"))
    ]
    assert line.order_line_id == line_id("shop-us", 910, "item-501")
    assert (await w.held(910)).credited == ("911=cn-911",)


async def test_orders_down_keeps_the_order_due_and_a_refusal_is_noted() -> None:
    w = World()
    await w.receive(raw(COUPON_TAX_EXCLUSIVE))
    w.channel.down = True
    assert await w.sync() == 0
    held = await w.held(727)
    assert (held.sync_due, held.sales_order_id) == (True, "")
    assert held.sync_note.startswith("waiting: ")
    w.channel.down = False
    w.channel.refusing = "PlaceSalesOrder: INVALID_ARGUMENT document"
    await w.sync()
    held = await w.held(727)
    assert (held.sync_due, held.sync_note) == (
        False,
        "refused: PlaceSalesOrder: INVALID_ARGUMENT document",
    )


async def test_an_order_moved_to_the_trash_cancels_its_sales_order() -> None:
    w = World()
    await w.receive(raw(COUPON_TAX_EXCLUSIVE))
    await w.sync()
    async with w.units() as uow:
        held = await uow.orders.get("shop-us", 727)
        assert held is not None
        await uow.orders.save(held.moved_to_trash())
    await w.sync()
    assert [reason for _, reason in w.channel.cancelled] == [
        "WooCommerce order 727 moved to the trash in the store"
    ]
