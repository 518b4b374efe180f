"""One contract per repository, run on the fakes (unit tier) and on PostgreSQL (integration
tier), so a fake cannot drift from the adapter it stands for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.woocommerce.tests.fixtures import store
from woocommerce.domain.connector_orders import ConnectorOrder, OrderState
from woocommerce.domain.webhooks import Delivery, Outcome

Units = Callable[[], Any]
Check = Callable[[Units], Awaitable[None]]
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)


async def stores_keep_what_they_are_given(units: Units) -> None:
    async with units() as uow:
        await uow.stores.add(store("shop-b"))
        await uow.stores.add(store("shop-a", prices_include_tax=True))
    async with units() as uow:
        await uow.stores.pulled("shop-a", NOW)
    async with units() as uow:
        assert await uow.stores.get("shop-a") == replace(
            store("shop-a", prices_include_tax=True), pulled_until=NOW
        )
        assert [s.store_id for s in await uow.stores.all()] == ["shop-a", "shop-b"]
        assert await uow.stores.get("nope") is None


def delivery(delivery_id: str, body: bytes) -> Delivery:
    return Delivery("shop-a", delivery_id, "order.updated", 7, body, NOW)


async def deliveries_are_kept_once_and_claimed_oldest_first(units: Units) -> None:
    async with units() as uow:
        assert await uow.deliveries.add(delivery("d1", b'{"id":7}'))
        assert not await uow.deliveries.add(delivery("d1", b'{"id":7}'))
        assert await uow.deliveries.add(delivery("d1", b'{"id":7,"x":1}'))
        assert await uow.deliveries.add(delivery("d2", b'{"id":8}'))
    async with units() as uow:
        first, second = await uow.deliveries.claim(2)
        assert (first.delivery_id, first.body, first.resource_id) == ("d1", b'{"id":7}', 7)
        assert second.body == b'{"id":7,"x":1}'
        await uow.deliveries.done(first, Outcome("mapped"))
        await uow.deliveries.failed(second, "StoreUnreachable: down")
    async with units() as uow:
        assert [d.delivery_id for d in await uow.deliveries.claim(5)] == ["d2"]


def connector_order(status: str, state: OrderState = OrderState.MAPPED) -> ConnectorOrder:
    return ConnectorOrder(
        store_id="shop-a", woo_order_id=727, number="727", woo_status=status,
        date_modified_gmt=NOW, fingerprint="f" * 64, currency="USD",
        total=Decimal("133.58"), state=state, body='{"id": 727}',
    )  # fmt: skip


async def orders_are_one_per_store_and_order_id(units: Units) -> None:
    async with units() as uow:
        await uow.orders.save(connector_order("processing"))
    review = connector_order("completed").in_review(("total: store 1, engine 2",))
    async with units() as uow:
        await uow.orders.save(review.moved_to_trash())
    async with units() as uow:
        assert await uow.orders.get("shop-a", 727) == review.moved_to_trash()
        assert await uow.orders.of_store("shop-a") == [review.moved_to_trash()]
        assert await uow.orders.get("shop-b", 727) is None
        assert await uow.orders.waiting(5) == []
        await uow.orders.save(
            replace(connector_order("pending", OrderState.RECEIVED), woo_order_id=8)
        )
    async with units() as uow:
        assert [o.woo_order_id for o in await uow.orders.waiting(5)] == [8]


async def orders_keep_their_sales_order_and_are_due_until_synced(units: Units) -> None:
    placed = replace(
        connector_order("processing"),
        sales_order_id="so-1",
        sales_state="placed",
        credited=("911=cn-1",),
        sync_note="waiting: orders down",
    )
    async with units() as uow:
        await uow.orders.save(placed)
        await uow.orders.save(replace(connector_order("x", OrderState.PARKED), woo_order_id=9))
        await uow.orders.save(replace(placed, woo_order_id=10, sync_due=False))
    async with units() as uow:
        assert await uow.orders.get("shop-a", 727) == placed
        assert [o.woo_order_id for o in await uow.orders.due(5)] == [727]
        assert (await uow.orders.get("shop-a", 727)).credited_refunds == {911}  # type: ignore[union-attr]
        # a snapshot read before the link was kept does not erase it
        await uow.orders.save(replace(connector_order("completed"), number="727b"))
    async with units() as uow:
        again = await uow.orders.get("shop-a", 727)
        assert again is not None
        assert (again.number, again.sales_order_id, again.sales_state, again.credited) == (
            "727b", "so-1", "placed", ("911=cn-1",),
        )  # fmt: skip


async def orders_are_found_by_sales_order_and_parked_and_keep_their_payments(
    units: Units,
) -> None:
    paid = replace(
        connector_order("completed"),
        sales_order_id="so-7",
        sales_state="placed",
        invoices=("inv-1=INV-1=10.00",),
        payments=("inv-1=pay-1=10.00",),
    )
    async with units() as uow:
        await uow.orders.save(paid)
        parked = connector_order("processing").parked("unknown SKU: line 1: MUG")
        await uow.orders.save(replace(parked, woo_order_id=5))
        await uow.orders.save(replace(parked, woo_order_id=6, store_id="shop-b"))
    async with units() as uow:
        assert await uow.orders.of_sales_order("so-7") == paid
        assert await uow.orders.of_sales_order("so-8") is None
        assert [(o.store_id, o.woo_order_id) for o in await uow.orders.parked()] == [
            ("shop-a", 5), ("shop-b", 6),
        ]  # fmt: skip
        assert [o.woo_order_id for o in await uow.orders.parked("shop-b")] == [6]
        # a snapshot read before the invoice's event committed does not erase what it added
        await uow.orders.save(replace(paid, invoices=(), payments=()))
    async with units() as uow:
        again = await uow.orders.get("shop-a", 727)
        assert again is not None
        assert (again.invoices, again.payments) == (paid.invoices, paid.payments)


async def customers_are_kept_per_store_and_key(units: Units) -> None:
    async with units() as uow:
        assert await uow.customers.get("shop-a", "woo:17") is None
        await uow.customers.add("shop-a", "woo:17", "c-1")
        await uow.customers.add("shop-a", "woo:17", "c-2")  # a kept key keeps its customer
        await uow.customers.add("shop-b", "woo:17", "c-3")
    async with units() as uow:
        assert await uow.customers.get("shop-a", "woo:17") == "c-1"
        assert await uow.customers.get("shop-b", "woo:17") == "c-3"


async def a_failed_unit_of_work_keeps_nothing(units: Units) -> None:
    try:
        async with units() as uow:
            await uow.stores.add(store("shop-c"))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    async with units() as uow:
        assert await uow.stores.get("shop-c") is None


async def orders_are_listed_by_store_and_order_id_after_a_key(units: Units) -> None:
    async with units() as uow:
        for store_id, woo_order_id, state in [
            ("shop-b", 3, OrderState.PARKED),
            ("shop-a", 10, OrderState.MAPPED),
            ("shop-a", 9, OrderState.PARKED),
            ("shop-b", 1, OrderState.REVIEW),
        ]:
            held = connector_order("processing", state)
            await uow.orders.save(replace(held, store_id=store_id, woo_order_id=woo_order_id))
    async with units() as uow:

        async def keys(
            store_id: str, state: OrderState | None, after: tuple[str, int] | None, limit: int
        ) -> list[tuple[str, int]]:
            found = await uow.orders.listed(store_id, state, after, limit)
            return [(o.store_id, o.woo_order_id) for o in found]

        every = [("shop-a", 9), ("shop-a", 10), ("shop-b", 1), ("shop-b", 3)]
        assert await keys("", None, None, 10) == every
        assert await keys("", None, ("shop-a", 10), 2) == [("shop-b", 1), ("shop-b", 3)]
        assert await keys("", OrderState.PARKED, None, 10) == [("shop-a", 9), ("shop-b", 3)]
        assert await keys("shop-b", None, None, 1) == [("shop-b", 1)]
        assert await keys("shop-b", OrderState.MAPPED, None, 10) == []


EVERY_CHECK: list[Check] = [
    orders_are_listed_by_store_and_order_id_after_a_key,
    stores_keep_what_they_are_given,
    orders_are_found_by_sales_order_and_parked_and_keep_their_payments,
    deliveries_are_kept_once_and_claimed_oldest_first,
    orders_are_one_per_store_and_order_id,
    a_failed_unit_of_work_keeps_nothing,
    orders_keep_their_sales_order_and_are_due_until_synced,
    customers_are_kept_per_store_and_key,
]
