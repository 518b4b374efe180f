"""Credit control: what a customer owes and has on order, against its credit limit. Plain Python.

Every figure is compared in the limit's currency. Amounts in another currency are converted with
the exchange rates finance maintains (billing publishes them); when a rate is missing, or the
customer is not registered, credit cannot be checked and the order waits at approval with the
reason -- credit control never skips an order silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pricing.money import Money, check_currency, parse_amount

# Rates are kept as NUMERIC(24, 12).
_LARGEST_RATE = Decimal(10) ** 12


@dataclass(frozen=True)
class ExchangeRate:
    """One unit of `base` is worth `rate` units of `quote` from `effective_from` on."""

    base: str
    quote: str
    rate: Decimal
    effective_from: date


def exchange_rate(base: str, quote: str, rate: str, effective_from: str) -> ExchangeRate:
    """A rate as billing states it; ValueError says what is wrong with it."""
    check_currency(base)
    check_currency(quote)
    value = parse_amount(rate)
    day = date.fromisoformat(effective_from)
    if base == quote:
        raise ValueError(f"a rate from {base} to itself")
    if not 0 < value < _LARGEST_RATE:
        raise ValueError(f"rate {rate} must be greater than 0 and below {_LARGEST_RATE}")
    return ExchangeRate(base, quote, value, day)


def into(currency: str, rates: Sequence[ExchangeRate]) -> dict[str, Decimal]:
    """How many units of `currency` one unit of each other currency is worth, from `rates` (the
    latest of each pair): a rate straight into `currency` wins over the inverse of one out of it."""
    factors: dict[str, Decimal] = {}
    for rate in rates:
        if rate.base == currency and rate.quote not in factors:
            factors[rate.quote] = Decimal(1) / rate.rate
    for rate in rates:
        if rate.quote == currency:
            factors[rate.base] = rate.rate
    return factors


@dataclass(frozen=True)
class Exposure:
    """What a customer owes on open invoices and has on open orders (any currencies), against
    its credit limit (None: no limit)."""

    limit: Money | None
    open_balances: tuple[Money, ...] = ()
    open_orders: tuple[Money, ...] = ()
    # Units of the limit's currency per unit of each other currency.
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    # Why credit cannot be checked at all (no such customer): every order waits for it.
    unknown: str = ""

    def refuses(self, order_total: Money) -> str:
        """Why `order_total` more is too much, with the figures; empty when it is not."""
        if self.unknown:
            return self.unknown
        if self.limit is None:
            return ""
        limit = self.limit
        owed = [m for m in (*self.open_balances, *self.open_orders, order_total) if m.amount]
        missing = sorted({m.currency for m in owed if self._factor(m.currency) is None})
        if missing:
            return f"no exchange rate {missing[0]}->{limit.currency} for the credit limit"
        balance = self._sum(self.open_balances)
        on_order = self._sum(self.open_orders)
        this = self._converted(order_total)
        exposure = balance + on_order + this
        if exposure.amount <= limit.amount:
            return ""
        shown = this.rounded().trimmed()
        if order_total.currency != limit.currency:
            shown_text = f"{shown} from {order_total.trimmed()}"
        else:
            shown_text = str(order_total.trimmed())
        return (
            f"credit limit {limit.trimmed()} exceeded: exposure would be"
            f" {exposure.rounded().trimmed()} (open invoices {balance.rounded().trimmed()},"
            f" open orders {on_order.rounded().trimmed()}, this order {shown_text})"
            f"{self._rates_used(owed)}"
        )

    def _rates_used(self, owed: Sequence[Money]) -> str:
        """The rates the figures were converted with, kept with the hold: "; at rates
        USD->EUR 0.92"."""
        assert self.limit is not None
        into = self.limit.currency
        foreign = sorted({m.currency for m in owed if m.currency != into})
        if not foreign:
            return ""
        shown = ", ".join(f"{c}->{into} {_rate_text(self.rates[c])}" for c in foreign)
        return f"; at rates {shown}"

    def _factor(self, currency: str) -> Decimal | None:
        assert self.limit is not None
        return Decimal(1) if currency == self.limit.currency else self.rates.get(currency)

    def _converted(self, amount: Money) -> Money:
        assert self.limit is not None
        factor = self._factor(amount.currency)
        assert factor is not None
        return Money(amount.amount * factor, self.limit.currency)

    def _sum(self, amounts: Sequence[Money]) -> Money:
        assert self.limit is not None
        total = Money.zero(self.limit.currency)
        for amount in amounts:
            if amount.amount:
                total += self._converted(amount)
        return total


def _rate_text(rate: Decimal) -> str:
    return format(rate.quantize(Decimal(1).scaleb(-12)).normalize(), "f")


def held_by_billing(reason: str) -> Exposure:
    """For a customer whose credit billing holds: every new order waits for finance."""
    return Exposure(None, unknown=f"billing holds the customer's credit: {reason}")


def unregistered(customer_id: str) -> Exposure:
    """For an order whose customer the master does not know (an order made from a quote)."""
    return Exposure(None, unknown=f"customer {customer_id} is not registered: credit is unknown")
