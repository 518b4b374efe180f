"""Money: a Decimal amount in one ISO 4217 currency. Never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

# ISO 4217 minor units for the currencies that differ from the usual two decimals.
_MINOR_UNITS = {
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}  # fmt: skip
# Currencies accepted at the edge; a code outside this list is rejected rather than guessed at.
KNOWN_CURRENCIES = frozenset(
    {"EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "CAD", "AUD", "NZD",
     "CNY", "INR", "BRL", "MXN", "ZAR", "SGD", "HKD", "AED", "SAR", "TRY", *_MINOR_UNITS}
)  # fmt: skip


class Rounding(StrEnum):
    HALF_UP = ROUND_HALF_UP
    HALF_EVEN = ROUND_HALF_EVEN


class InvalidMoney(ValueError):
    """An amount or currency that cannot be money."""


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


def check_currency(currency: str) -> str:
    if currency not in KNOWN_CURRENCIES:
        raise InvalidMoney(f"unknown currency {currency!r} (ISO 4217 code expected)")
    return currency


# Every amount the suite stores fits NUMERIC(18, 6): 12 digits before the point, 6 after.
MAX_INTEGER_DIGITS = 12
MAX_DECIMALS = 6
LARGEST_AMOUNT = Decimal(10) ** MAX_INTEGER_DIGITS - Decimal(10) ** -MAX_DECIMALS


def storable(value: Decimal) -> bool:
    """Whether the amount fits the columns money is kept in."""
    return abs(value) <= LARGEST_AMOUNT and -value.as_tuple().exponent <= MAX_DECIMALS  # type: ignore[operator]


def parse_amount(text: str) -> Decimal:
    """A decimal string as sent on the wire ("12.30"); rejects floats' friends (NaN, inf, 1e3)."""
    if len(text) > 100:
        raise InvalidMoney(f"{text[:20]!r}... is too long to be an amount")
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise InvalidMoney(f"{text!r} is not a decimal amount") from error
    if not value.is_finite() or "e" in text.lower():
        raise InvalidMoney(f"{text!r} is not a plain decimal amount")
    return value


def parse_input_amount(text: str) -> Decimal:
    """An amount a client sends, which will be stored: also refused when no column can keep it
    (more than 12 digits before the point or 6 after)."""
    value = parse_amount(text)
    if not storable(value):
        raise InvalidMoney(f"{text!r} has more than 12 digits before the point or 6 after")
    return value


@dataclass(frozen=True, order=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        value = parse_amount(amount) if isinstance(amount, str) else Decimal(amount)
        return cls(value, check_currency(currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def rounded(self, rounding: Rounding = Rounding.HALF_UP) -> Money:
        """Rounded to the currency's minor unit (2, 0 or 3 decimals)."""
        exponent = Decimal(1).scaleb(-minor_units(self.currency))
        return Money(self.amount.quantize(exponent, rounding=rounding.value), self.currency)

    def trimmed(self) -> Money:
        """Without trailing zeros beyond the currency's minor unit: 12.500000 EUR -> 12.50 EUR."""
        exponent = min(self.amount.normalize().as_tuple().exponent, -minor_units(self.currency))
        assert isinstance(exponent, int)
        return Money(self.amount.quantize(Decimal(1).scaleb(exponent)), self.currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, factor: int | Decimal) -> Money:
        return Money(self.amount * factor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidMoney(f"cannot combine {self.currency} with {other.currency}")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
