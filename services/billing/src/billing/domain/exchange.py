"""Exchange rates: what finance may set, and an amount converted with them. Plain Python.

A rate says that one unit of `base` is worth `rate` units of `quote` from a day on. An amount is
converted by the rate from its currency into the wanted one or, lacking that, by the inverse of
the rate the other way; with neither there is no conversion, and callers decide what that means
(never a silent guess).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from billing.domain.events import DomainEvent, ExchangeRateSet
from pricing.money import InvalidMoney, Money, check_currency, parse_amount
from servicekit.errors import Violations

# Rates are kept as NUMERIC(24, 12): a rate of a weak currency needs many decimals.
RATE_DECIMALS = 12
RATE_INTEGER_DIGITS = 12


@dataclass(frozen=True)
class Rate:
    """One unit of `base` is worth `rate` units of `quote` from `effective_from` on."""

    base: str
    quote: str
    rate: Decimal
    effective_from: date

    @property
    def pair(self) -> str:
        """How the pair is named on the wire and as the event's key: "USD/EUR"."""
        return f"{self.base}/{self.quote}"

    def facts(self) -> dict[str, str]:
        """What the change log keeps of a rate."""
        return {"rate": rate_text(self.rate), "effective_from": self.effective_from.isoformat()}


@dataclass(frozen=True)
class SetRate:
    """A rate as stored: who set it and when."""

    rate: Rate
    set_at: datetime
    set_by: str

    @classmethod
    def set(cls, rate: Rate, at: datetime, by: str) -> tuple[SetRate, list[DomainEvent]]:
        return cls(rate, at, by), [
            ExchangeRateSet(rate.base, rate.quote, rate.rate, rate.effective_from)
        ]


def rate_text(rate: Decimal) -> str:
    """A rate as a plain decimal string without trailing zeros: 1.084200000000 -> "1.0842"."""
    return format(rate.normalize(), "f")


def pair_in(problems: Violations, base: str, quote: str) -> None:
    """Both currencies ISO 4217 codes we know, and not the same one."""
    for name, code in (("base_currency", base), ("quote_currency", quote)):
        try:
            check_currency(code)
        except InvalidMoney as error:
            problems.add(name, str(error))
    if base and base == quote:
        problems.add("quote_currency", "must differ from base_currency")


def rate_in(problems: Violations, name: str, text: str) -> Decimal | None:
    """A rate as sent: a plain decimal > 0 with at most 12 digits before the point and 12 after."""
    try:
        value = parse_amount(text)
    except InvalidMoney as error:
        problems.add(name, str(error))
        return None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # parse_amount refuses NaN and infinities
    if value <= 0:
        problems.add(name, "must be more than zero")
    elif -exponent > RATE_DECIMALS:
        problems.add(name, f"at most {RATE_DECIMALS} decimals")
    elif value >= Decimal(10) ** RATE_INTEGER_DIGITS:
        problems.add(name, f"at most {RATE_INTEGER_DIGITS} digits before the point")
    else:
        return value
    return None


def converted(
    amount: Money, into: str, direct: Decimal | None, inverse: Decimal | None
) -> Money | None:
    """`amount` in `into`: with `direct` (its currency -> `into`), else dividing by `inverse`
    (`into` -> its currency); None when neither rate is known."""
    if amount.currency == into:
        return amount
    if direct is not None:
        return Money(amount.amount * direct, into)
    if inverse is not None:
        return Money(amount.amount / inverse, into)
    return None
