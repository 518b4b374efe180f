"""Orders a person (or the catalog) lets go on:

- a parked order is taken up again once the catalog knows one of its SKUs: back to received,
  and the worker maps it from its snapshot (parked again, with the SKUs still missing, if any
  are) -- automatically when catalog publishes a product, or by hand (`cli retry`);
- an order whose sales sync was refused (its `refused:` note) is made due again by hand, once a
  person fixed what billing or orders refused."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from woocommerce.application.ports import Orders, UnitsOfWork
from woocommerce.application.snapshots import decode
from woocommerce.domain.connector_orders import ConnectorOrder, OrderState
from woocommerce.domain.woo_order import read_order


def _skus(held: ConnectorOrder) -> set[str]:
    return {item.sku for item in read_order(decode(held.body)).line_items}


async def retry_parked(orders: Orders, skus: Collection[str] | None, store_id: str = "") -> int:
    """Takes up the parked orders with a line of one of `skus` (None: every parked order);
    returns how many."""
    taken = 0
    for held in await orders.parked(store_id):
        if skus is None or _skus(held) & set(skus):
            await orders.save(held.retried())
            taken += 1
    return taken


@dataclass(frozen=True)
class Retry:
    """What retrying one order did: the order as it is now (None: no such order), whether it
    goes on, and what a person reads."""

    order: ConnectorOrder | None
    goes_on: bool
    said: str


async def retry_order(units: UnitsOfWork, store_id: str, woo_order_id: int) -> Retry:
    """Lets one order go on; says what it did."""
    async with units() as uow:
        held = await uow.orders.get(store_id, woo_order_id)
        if held is None:
            return Retry(None, False, "no such order")
        if held.state is OrderState.PARKED:
            taken = held.retried()
            await uow.orders.save(taken)
            return Retry(taken, True, "taken up again: it is mapped on the worker's next round")
        if held.placeable and held.sync_note.startswith("refused:"):
            due = replace(held, sync_due=True, sync_note="")
            await uow.orders.save(due)
            return Retry(due, True, "due again: the sales sync tries it on the worker's next round")
        said = f"nothing to retry ({held.state.value}, {held.sync_note or 'in sync'})"
        return Retry(held, False, said)
