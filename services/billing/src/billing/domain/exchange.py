"""Exchange rates: what finance may set, and an amount converted with them. Plain Python.

A rate says that one unit of `base` is worth `rate` units of `quote` from a day on. An amount is
converted by the rate from its currency into the wanted one or, lacking that, by the inverse of
the rate the other way; with neither there is no conversion, and callers decide what that means
(never a silent guess).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from billing.domain.events import DomainEvent, ExchangeRateSet
from pricing.money import InvalidMoney, Money, check_currency, parse_amount
from servicekit.errors import Violations

# Rates are kept as NUMERIC(24, 12): a rate of a weak currency needs many decimals.
RATE_DECIMALS = 12
RATE_INTEGER_DIGITS = 12
# A rates file: its header, and how many rows one import takes at most.
CSV_COLUMNS = ("date", "currency", "rate")
MAX_CSV_ROWS = 10_000


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


def rates_from_csv(base: str, text: str) -> list[Rate]:
    """Rates from a CSV file -- a header `date,currency,rate`, then a row per rate: one unit of
    `base` is worth `rate` of `currency` from `date` on. All or nothing: InvalidArgument names
    every bad row's field as `lines[N].<column>`, N the file's line number (the header is 1)."""
    problems = Violations()
    try:
        check_currency(base)
    except InvalidMoney as error:
        problems.add("base_currency", str(error))
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if header != list(CSV_COLUMNS):
        problems.add("lines[1]", f"a header {','.join(CSV_COLUMNS)}, not {','.join(header)!r}")
        problems.raise_if_any()
    if len(rows) > MAX_CSV_ROWS + 1:
        problems.add("csv", f"at most {MAX_CSV_ROWS:,} rows")
        problems.raise_if_any()
    rates: list[Rate] = []
    seen: dict[tuple[date, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        rate = _csv_row(problems, base, number, [cell.strip() for cell in row])
        if rate is None:
            continue
        key = (rate.effective_from, rate.quote)
        if key in seen:
            problems.add(f"lines[{number}].currency", f"repeats line {seen[key]}")
            continue
        seen[key] = number
        rates.append(rate)
    if not rates and not problems.items:
        problems.add("csv", "no rates after the header")
    problems.raise_if_any()
    return rates


def _csv_row(problems: Violations, base: str, number: int, row: list[str]) -> Rate | None:
    at = f"lines[{number}]"
    if len(row) != len(CSV_COLUMNS):
        problems.add(at, f"{len(CSV_COLUMNS)} columns ({','.join(CSV_COLUMNS)}), not {len(row)}")
        return None
    day_text, currency, rate_given = row
    before = len(problems.items)
    day = None
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        problems.add(f"{at}.date", f"a date as YYYY-MM-DD, not {day_text!r}")
    try:
        check_currency(currency)
    except InvalidMoney as error:
        problems.add(f"{at}.currency", str(error))
    if currency == base:
        problems.add(f"{at}.currency", f"is the base currency {base}")
    value = rate_in(problems, f"{at}.rate", rate_given)
    if day is None or value is None or len(problems.items) > before:
        return None
    return Rate(base, currency, value, day)


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
