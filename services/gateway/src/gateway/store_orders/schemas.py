"""A store order in the WooCommerce connector as the order desk reads it."""

from typing import Literal

from pydantic import Field

from gateway import examples as ex
from gateway.bodies import Response, When
from gateway.store_orders import examples as so

StoreOrderState = Literal["received", "mapped", "parked", "review"]


class StoreOrder(Response):
    """An order a WooCommerce store sent, and what the connector made of it."""

    model_config = ex.examples(so.STORE_ORDER)

    store_id: str = Field(description="the store it came from")
    woo_order_id: int = Field(description="the order's id in WooCommerce")
    number: str = Field(description="the order number the store shows its buyer")
    state: str = Field(
        description="received (waiting to be mapped), mapped, parked (a SKU the catalog does not "
        "know) or review (the engine's figures differ from the store's)"
    )
    why: str = Field(description="why it is parked or in review; empty otherwise")
    sales_order_id: str = Field(description="the sales order it became; empty until placed")
    received_at: When = Field(description="when the store last changed the order")
    currency: str = Field(description="ISO 4217")
    total: str = Field(description="the store's total, a decimal string in `currency`")


class StoreOrderList(Response):
    """A page of store orders, by store and WooCommerce order id."""

    model_config = ex.examples(ex.page(so.STORE_ORDER))

    items: list[StoreOrder]
    next_page_token: str = Field(description="empty on the last page")


class StoreOrderRetried(Response):
    """The order after the retry, and what the retry did."""

    model_config = ex.examples(so.RETRIED)

    order: StoreOrder
    outcome: str = Field(description="what the retry did, as a person reads it")
