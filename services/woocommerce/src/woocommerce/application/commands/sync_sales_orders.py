"""The sales sync: each mapped or review order whose sales order has to catch up with its newest
snapshot, in a transaction of its own.

- not placed yet (and the store has it paid or on hold): its buyer's customer found or opened,
  the sales order placed (PlaceSalesOrder with the priced document; the natural key (channel,
  "<store>:<woo id>") makes a retry return the same order), its id recorded;
- cancelled, refunded in full or moved to the trash in the store: the sales order cancelled
  unless any of it shipped (then kept, and said so); a cancelled sales order is never placed
  again;
- completed in the store while the suite has not shipped all of it, or its total changed after
  placing (an order edited while on hold): said in its sync note for a person (the suite's
  pipeline moves on its shipments, not on the store's word);
- each refund the store lists and billing has not credited: a credit note for its lines,
  amounts and tax (idempotent by refund id);
- each invoice billing issued for it: paid with what the store collected (idempotent by invoice),
  so the sales order reaches `paid` as a direct order does.
orders or billing unreachable: the order stays due and is tried on the next round; refused: the
reason is kept as its sync note for a person."""

from __future__ import annotations

import logging
from dataclasses import replace

from woocommerce.application.ports import CatalogUnavailable, SkuCatalog, StoreUnreachable
from woocommerce.application.sales_ports import (
    Refunds,
    SalesChannel,
    SalesRefused,
    SalesUnavailable,
    SalesUnitOfWork,
    SalesUnitsOfWork,
)
from woocommerce.application.snapshots import decode
from woocommerce.domain.connector_orders import ConnectorOrder
from woocommerce.domain.pricing_map import reproduce
from woocommerce.domain.sales_orders import (
    ALL_SHIPPED,
    CANCELLED,
    NOT_PLACED,
    NotPlaceable,
    customer_keys,
    new_customer,
    placement,
    refund_credit,
    refunds_listed,
    sales_document,
)
from woocommerce.domain.store_payments import payments_due
from woocommerce.domain.stores import Store
from woocommerce.domain.woo_order import WooOrder, read_order

log = logging.getLogger(__name__)
PLACED, CANCELLED_STATE, KEPT = "placed", "cancelled", "kept"
CLOSED_STAGES = ("cancelled", "closed", "archived")


async def sync_sales_orders(
    units: SalesUnitsOfWork,
    api: Refunds,
    catalog: SkuCatalog,
    channel: SalesChannel,
    limit: int = 20,
) -> int:
    """Catches up to `limit` due orders; returns how many it finished."""
    finished = 0
    for _ in range(limit):
        uow = units()
        async with uow:
            due = await uow.orders.due(1)
            if not due:
                break
            held = due[0]
            store = await uow.stores.get(held.store_id)
            try:
                if store is None:
                    raise SalesRefused("the store was removed")
                held = await sync_order(uow, store, held, api, catalog, channel)
                held = replace(held, sync_due=False)
                finished += 1
            except (SalesUnavailable, StoreUnreachable, CatalogUnavailable) as error:
                log.warning("order %s:%s waits: %s", held.store_id, held.woo_order_id, error)
                await uow.orders.save(replace(held, sync_note=f"waiting: {error}"))
                break  # the others would wait for the same: the next round tries again
            except (SalesRefused, NotPlaceable) as error:
                held = replace(held, sync_due=False, sync_note=f"refused: {error}")
            await uow.orders.save(held)
    return finished


async def sync_order(
    uow: SalesUnitOfWork,
    store: Store,
    held: ConnectorOrder,
    api: Refunds,
    catalog: SkuCatalog,
    channel: SalesChannel,
) -> ConnectorOrder:
    data = decode(held.body)
    order = read_order(data)
    held = replace(held, sync_note="")
    gone = held.trashed or order.status in CANCELLED
    if not held.sales_order_id:
        if gone or order.status in NOT_PLACED:
            return held
        products = await catalog.products_by_sku(sorted({i.sku for i in order.line_items if i.sku}))
        document = sales_document(held, order, reproduce(order, store, products))
        customer_id = await _customer(uow, store, held, channel)
        sales_order_id = await channel.place(placement(held, order, document, customer_id, data))
        held = replace(held, sales_order_id=sales_order_id, sales_state=PLACED)
        await uow.orders.save(held)  # recorded before anything else may fail
    if gone and held.sales_state == PLACED:
        why = "moved to the trash" if held.trashed else order.status
        why = f"{why} in the store"
        held = replace(held, sales_state=await _cancel(held, channel, why))
    elif held.sales_state == PLACED:
        held = replace(held, sync_note=await _drift(held, order, channel))
    listed = [r for r in refunds_listed(data) if r not in held.credited_refunds]
    if listed:
        held = await _credit_refunds(uow, store, held, api, catalog, channel)
    for payment in payments_due(held, data):
        payment_id = await channel.pay(payment)
        entry = f"{payment.invoice_id}={payment_id}={payment.amount}"
        held = replace(held, payments=(*held.payments, entry))
        await uow.orders.save(held)
    return held


async def _drift(held: ConnectorOrder, order: WooOrder, channel: SalesChannel) -> str:
    """What a person should know when the store's order moved apart from the sales order: a
    total changed after placing (an order edited on hold), or completed before the suite
    shipped it. The sales order is not changed on the store's word."""
    status = await channel.status(held.sales_order_id)
    notes = []
    if status.total is not None and status.total != order.totals.total:
        notes.append(
            f"the store's total is now {order.totals.total}, the sales order's {status.total}"
        )
    if order.status == "completed" and status.status not in ALL_SHIPPED:
        notes.append(f"completed in the store; {status.status} here")
    return "; ".join(notes)


async def _customer(
    uow: SalesUnitOfWork, store: Store, held: ConnectorOrder, channel: SalesChannel
) -> str:
    data = decode(held.body)
    order = read_order(data)
    keys = customer_keys(store, order)
    if not keys:
        return store.default_customer_id
    for key in keys:
        found = await uow.customers.get(store.store_id, key)
        if found is not None:
            for other in keys:
                await uow.customers.add(store.store_id, other, found)
            return found
    customer_id = await channel.open_customer(new_customer(order, data))
    for key in keys:
        await uow.customers.add(store.store_id, key, customer_id)
    return customer_id


async def _cancel(held: ConnectorOrder, channel: SalesChannel, why: str) -> str:
    status = await channel.status(held.sales_order_id)
    if status.status in CLOSED_STAGES:
        return CANCELLED_STATE
    if status.shipped:
        return KEPT  # shipped goods are not un-shipped by a store's cancellation
    await channel.cancel(held.sales_order_id, f"WooCommerce order {held.number} {why}")
    return CANCELLED_STATE


async def _credit_refunds(
    uow: SalesUnitOfWork,
    store: Store,
    held: ConnectorOrder,
    api: Refunds,
    catalog: SkuCatalog,
    channel: SalesChannel,
) -> ConnectorOrder:
    order = read_order(decode(held.body))
    customer_id = await _customer(uow, store, held, channel)
    refunds = await api.refunds(store, held.woo_order_id)
    skus = sorted(
        {str(i.get("sku")) for r in refunds for i in r.get("line_items", []) if i.get("sku")}
    )
    products = await catalog.products_by_sku(skus) if skus else {}
    for refund in sorted(refunds, key=lambda r: int(r["id"])):
        if int(refund["id"]) in held.credited_refunds:
            continue
        credit = refund_credit(held, order, refund, customer_id, products)
        note_id = await channel.credit(credit)
        held = replace(held, credited=(*held.credited, f"{credit.refund_id}={note_id}"))
        await uow.orders.save(held)
    return held
