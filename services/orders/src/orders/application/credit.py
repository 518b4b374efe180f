"""Credit control's figures for an order, read in the order's transaction, and the exchange rates
finance sets (billing's ExchangeRateSet), kept as a local copy to convert credit limits with."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from oms.events.v1 import billing_pb2
from orders.adapters.customers import credit_position
from orders.adapters.rates import ExchangeRates
from orders.adapters.repository import OrderRepository
from orders.domain.credit import Exposure, exchange_rate, into, unregistered
from orders.domain.model import SalesOrder


async def exposure_of(session: AsyncSession, order: SalesOrder) -> Exposure:
    """The customer's credit limit, open invoices and other open orders, with today's rates into
    the limit's currency; an exposure that holds every order when the customer is unknown."""
    position = await credit_position(session, order.customer_id)
    if position is None:
        return unregistered(order.customer_id)
    if position.credit_limit is None:
        return Exposure(None)
    currency = position.credit_limit.currency
    today = datetime.now(UTC).date()
    return Exposure(
        position.credit_limit,
        position.open_balances,
        await OrderRepository(session).open_orders(order.customer_id, besides=order.id),
        into(currency, await ExchangeRates(session).current(currency, today)),
    )


async def on_exchange_rate_set(
    session: AsyncSession, event: billing_pb2.ExchangeRateSet, envelope: Envelope
) -> None:
    """Keeps finance's rate; a later statement for the same pair and day replaces it."""
    try:
        rate = exchange_rate(
            event.base_currency, event.quote_currency, event.rate, event.effective_from
        )
    except ValueError as error:
        pair = f"{event.base_currency}/{event.quote_currency}"
        raise PoisonEvent(f"exchange rate {pair}: {error}") from error
    await ExchangeRates(session).set(rate, envelope.time)
