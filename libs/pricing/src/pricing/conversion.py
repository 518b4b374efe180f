"""A report's amounts in one reporting currency, with the exchange rate used for each currency
(or why there is none). Plain Python: the services look the rates up, this does the arithmetic
the same way everywhere.

Conversion rounds once per currency: each currency's total is converted and rounded half up to
the reporting currency's minor unit, and the reporting total is the sum of those rounded
amounts -- so a reader can check it from what the report shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pricing.money import Money, Rounding

# Rates are shown (and kept) to 12 decimals.
RATE_DECIMALS = 12


@dataclass(frozen=True)
class StatedRate:
    """One unit of `base` is worth `rate` units of `quote` from `effective_from` on."""

    base: str
    quote: str
    rate: Decimal
    effective_from: date

    @property
    def pair(self) -> str:
        return f"{self.base}/{self.quote}"


@dataclass(frozen=True)
class AppliedRate:
    """A stated rate as applied to convert into the other currency of its pair: as it stands,
    or inverted (dividing by it)."""

    stated: StatedRate
    inverted: bool = False

    @property
    def factor(self) -> Decimal:
        """Units of the target currency per unit of the source, to 12 decimals (as shown)."""
        value = Decimal(1) / self.stated.rate if self.inverted else self.stated.rate
        return value.quantize(Decimal(1).scaleb(-RATE_DECIMALS))

    def apply(self, amount: Decimal) -> Decimal:
        """`amount` converted, unrounded: multiplied by the rate, or divided by it inverted."""
        return amount / self.stated.rate if self.inverted else amount * self.stated.rate


def rate_into(currency: str, into: str, rates: Iterable[StatedRate]) -> AppliedRate | None:
    """From the rates in force: the pair's own (`currency`/`into`), else the opposite pair's
    inverted; None when neither is there."""
    inverse = None
    for rate in rates:
        if (rate.base, rate.quote) == (currency, into):
            return AppliedRate(rate)
        if (rate.base, rate.quote) == (into, currency):
            inverse = AppliedRate(rate, inverted=True)
    return inverse


@dataclass(frozen=True)
class Conversion:
    """One currency's amount of a report in the reporting currency, or why it is not."""

    amount: Money
    converted: Money | None
    applied: AppliedRate | None
    missing: str = ""


@dataclass(frozen=True)
class ReportingTotal:
    """A report's amounts in every currency summed in one reporting currency; incomplete when a
    currency has no rate (it is listed with the reason, never silently dropped)."""

    currency: str
    rates_on: date
    conversions: tuple[Conversion, ...]

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for conversion in self.conversions:
            if conversion.converted is not None:
                total = total + conversion.converted
        return total.rounded()

    @property
    def complete(self) -> bool:
        return all(c.converted is not None for c in self.conversions)


def reporting_total(
    amounts: Mapping[str, Decimal],
    into: str,
    rates_on: date,
    rates: Mapping[str, AppliedRate | None],
) -> ReportingTotal:
    """Each currency's amount (rounded to its own minor unit) converted into `into` with its
    rate and rounded once, half up, to `into`'s minor unit."""
    conversions = []
    for currency in sorted(amounts):
        amount = Money(amounts[currency], currency).rounded()
        if currency == into:
            conversions.append(Conversion(amount, amount, None))
            continue
        applied = rates.get(currency)
        if applied is None:
            missing = f"no exchange rate {currency}->{into} on {rates_on.isoformat()}"
            conversions.append(Conversion(amount, None, None, missing))
            continue
        value = Money(applied.apply(amount.amount), into).rounded(Rounding.HALF_UP)
        conversions.append(Conversion(amount, value, applied))
    return ReportingTotal(into, rates_on, tuple(conversions))


def sums_per_currency(amounts: Iterable[Money]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for amount in amounts:
        sums[amount.currency] = sums.get(amount.currency, Decimal(0)) + amount.amount
    return sums
