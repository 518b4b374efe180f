"""A store order's life after it became a sales order, on fakes: what the store collected pays
each invoice billing issues (never more than the order's total, each invoice once, nothing while
the store awaits the money); a full refund before shipping cancels the sales order; the store
completing an order the suite has not shipped is said in its note; parked orders are taken up
again when the catalog gains their SKU, or by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from services.woocommerce.tests.fixtures import (
    CATALOG,
    COMPLETED_PARTIAL_REFUND,
    COUPON_TAX_EXCLUSIVE,
    raw,
)
from services.woocommerce.tests.repository_contracts import connector_order
from services.woocommerce.tests.unit.fakes import FakeSkuCatalog
from services.woocommerce.tests.unit.test_sales_sync import World, later
from woocommerce.application.commands.process_deliveries import finish_waiting_orders
from woocommerce.application.commands.retry_orders import retry_order
from woocommerce.application.reactions.sales_events import note_invoice, note_product
from woocommerce.application.sales_ports import SalesStatus
from woocommerce.domain.connector_orders import OrderState
from woocommerce.domain.store_payments import collected, payments_due


async def invoice(w: World, sales_order_id: str, invoice_id: str, total: str) -> bool:
    async with w.units() as uow:
        return await note_invoice(
            uow.orders, sales_order_id, invoice_id, f"INV-{invoice_id}", Decimal(total)
        )


async def test_each_invoice_is_paid_with_what_the_store_collected_once() -> None:
    w = World()
    await w.receive(raw(COUPON_TAX_EXCLUSIVE))  # 133.58 USD, paid by card
    await w.sync()
    assert not await invoice(w, "so-of-another-channel", "i-0", "10.00")
    assert await invoice(w, "so-shop-us:727", "i-1", "100.00")  # the first shipment
    await w.sync()
    assert await invoice(w, "so-shop-us:727", "i-2", "33.58")  # the rest
    assert await invoice(w, "so-shop-us:727", "i-2", "33.58")  # the event again: nothing new
    await w.sync()
    await w.sync()
    paid = {p.invoice_id: p for p in w.channel.payments.values()}
    assert {k: p.amount for k, p in paid.items()} == {
        "i-1": Decimal("100.00"),
        "i-2": Decimal("33.58"),
    }
    first = paid["i-1"]
    assert (first.currency, first.received_on) == ("USD", "2024-06-03")
    assert first.reference == "WooCommerce shop-us order 727, INV-i-1"
    assert first.request_id == "woocommerce:shop-us:payment:i-1"
    held = await w.held(727)
    assert held.payments == ("i-1=pay-i-1=100.00", "i-2=pay-i-2=33.58")
    assert not held.sync_due


def test_payments_never_exceed_the_total_and_wait_for_the_money() -> None:
    data = raw(COUPON_TAX_EXCLUSIVE)
    assert collected(data) == Decimal("133.58")
    assert collected(dict(data, status="on-hold")) == 0  # a bank transfer not arrived yet
    assert collected(dict(data, date_paid_gmt=None)) == 0
    held = replace(connector_order("processing"), invoices=("a=A=100.00", "b=B=100.00"))
    assert [(p.invoice_id, p.amount) for p in payments_due(held, data)] == [
        ("a", Decimal("100.00")),
        ("b", Decimal("33.58")),
    ]
    settled = replace(held, payments=("a=p=100.00",))
    assert [(p.invoice_id, p.amount) for p in payments_due(settled, data)] == [
        ("b", Decimal("33.58"))
    ]


async def test_a_refund_is_credited_as_paid_back_and_the_invoice_paid_in_full() -> None:
    w = World()
    await w.receive(raw(COMPLETED_PARTIAL_REFUND))  # 42.60 GBP, 9.60 refunded
    await w.sync()
    assert await invoice(w, "so-shop-us:910", "i-9", "42.60")
    await w.sync()
    (payment,) = w.channel.payments.values()
    assert payment.amount == Decimal("42.60")  # the refund went back out on its own note
    (credit,) = w.channel.credits.values()
    assert "paid back by the store" in credit.memo


async def test_a_full_refund_before_shipping_cancels_and_after_shipping_keeps() -> None:
    w = World()
    data = raw(COUPON_TAX_EXCLUSIVE)
    await w.receive(data)
    await w.sync()
    await w.receive(later(data, 60, status="refunded"))
    await w.sync()
    assert w.channel.cancelled == [
        ("so-shop-us:727", "WooCommerce order 727 refunded in the store")
    ]
    shipped = World()
    await shipped.receive(data)
    await shipped.sync()
    shipped.channel.status_of["so-shop-us:727"] = SalesStatus("shipped", True)
    await shipped.receive(later(data, 60, status="refunded"))
    await shipped.sync()
    assert shipped.channel.cancelled == []
    assert (await shipped.held(727)).sales_state == "kept"


async def test_completed_in_the_store_but_not_shipped_here_is_said() -> None:
    w = World()
    data = raw(COUPON_TAX_EXCLUSIVE)
    await w.receive(data)
    await w.sync()
    await w.receive(later(data, 60, status="completed"))
    await w.sync()
    held = await w.held(727)
    assert held.sync_note == "completed in the store; execution here"
    w.channel.status_of["so-shop-us:727"] = SalesStatus("shipped", True, Decimal("133.58"))
    await w.receive(later(data, 120, status="completed", customer_note="thanks"))
    await w.sync()
    assert (await w.held(727)).sync_note == ""


async def test_a_total_changed_in_the_store_after_placing_is_said() -> None:
    w = World()
    data = raw(COUPON_TAX_EXCLUSIVE)
    await w.receive(dict(data, status="on-hold"))
    await w.sync()
    await w.receive(later(data, 60, status="on-hold", total="140.00"))  # edited on hold
    await w.sync()
    assert (await w.held(727)).sync_note == (
        "the store's total is now 140.00, the sales order's 133.58"
    )
    assert len(w.channel.orders) == 1


async def test_a_parked_order_goes_on_when_the_catalog_gains_its_sku() -> None:
    w = World()
    w.catalog = FakeSkuCatalog({k: v for k, v in CATALOG.items() if k != "HOODIE-TRAIL"})
    data = raw(COUPON_TAX_EXCLUSIVE)
    await w.receive(data)
    assert (await w.held(727)).state is OrderState.PARKED
    async with w.units() as uow:
        assert await note_product(uow.orders, "SOMETHING-ELSE") == 0
    assert (await w.held(727)).state is OrderState.PARKED
    w.catalog = FakeSkuCatalog(CATALOG)  # the product was added
    async with w.units() as uow:
        assert await note_product(uow.orders, "HOODIE-TRAIL") == 1
    await finish_waiting_orders(w.units, w.catalog)
    assert (await w.held(727)).state is OrderState.MAPPED
    await w.sync()
    assert list(w.channel.orders) == ["shop-us:727"]


async def test_by_hand_a_parked_order_or_a_refused_sync_goes_on() -> None:
    w = World()
    w.catalog = FakeSkuCatalog({})
    await w.receive(raw(COUPON_TAX_EXCLUSIVE))
    w.catalog = FakeSkuCatalog(CATALOG)
    assert (await retry_order(w.units, "shop-us", 727)).said.startswith("taken up again")
    await finish_waiting_orders(w.units, w.catalog)
    w.channel.refusing = "PlaceSalesOrder: FAILED_PRECONDITION customer on hold"
    await w.sync()
    assert (await w.held(727)).sync_note.startswith("refused:")
    w.channel.refusing = ""
    assert (await retry_order(w.units, "shop-us", 727)).said.startswith("due again")
    await w.sync()
    assert list(w.channel.orders) == ["shop-us:727"]
    assert (await retry_order(w.units, "shop-us", 727)).said.startswith("nothing to retry")
    assert (await retry_order(w.units, "shop-us", 1)).said == "no such order"
