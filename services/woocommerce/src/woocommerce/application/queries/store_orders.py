"""A store's orders in the connector, with their state and why."""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.errors import InvalidArgument
from servicekit.paging import page_after, page_limit, page_token
from woocommerce.application.ports import UnitsOfWork
from woocommerce.domain.connector_orders import ConnectorOrder, OrderState
from woocommerce.domain.stores import Store


async def store_orders(units: UnitsOfWork, store_id: str) -> list[ConnectorOrder]:
    async with units() as uow:
        return await uow.orders.of_store(store_id)


async def stores(units: UnitsOfWork) -> list[Store]:
    async with units() as uow:
        return await uow.stores.all()


@dataclass(frozen=True)
class StoreOrdersPage:
    orders: list[ConnectorOrder]
    next_page_token: str  # "" on the last page


def _state(text: str) -> OrderState | None:
    if not text:
        return None
    try:
        return OrderState(text)
    except ValueError as error:
        allowed = ", ".join(s.value for s in OrderState)
        raise InvalidArgument.of("state", f"one of {allowed}") from error


def _after(token: str) -> tuple[str, int] | None:
    key = page_after(token, 2)
    if not key:
        return None
    if not key[1].isdigit():
        raise InvalidArgument.of("page_token", "not a token this API issued")
    return key[0], int(key[1])


async def list_store_orders(
    units: UnitsOfWork, store_id: str, state: str, page_size: int, token: str
) -> StoreOrdersPage:
    """Orders of one store ("" every store) in one state ("" any), by store and WooCommerce
    order id, a page at a time; InvalidArgument on an unknown state, page size or token."""
    wanted, limit, after = _state(state), page_limit(page_size), _after(token)
    async with units() as uow:
        found = await uow.orders.listed(store_id, wanted, after, limit + 1)
    if len(found) <= limit:
        return StoreOrdersPage(found, "")
    last = found[limit - 1]
    return StoreOrdersPage(found[:limit], page_token(last.store_id, str(last.woo_order_id)))
