"""The terms a quote is priced under, as the salesperson entered them: discounts, taxes,
shipping charges and the rounding policy. Kept as entered (texts), so a quote shows what was
asked; `engine_*` reads them into the pricing engine's types, naming the field at fault."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from pricing import engine
from pricing.money import InvalidMoney, Rounding, parse_amount
from servicekit.errors import InvalidArgument

_ROUNDINGS = {"half_up": Rounding.HALF_UP, "half_even": Rounding.HALF_EVEN}


@dataclass(frozen=True)
class Discount:
    """A percentage ("10" = 10 %) and/or an amount; empty texts: none."""

    percent: str = ""
    amount: str = ""


@dataclass(frozen=True)
class TaxRate:
    code: str  # e.g. "VAT19"
    rate: str  # "0.19" for 19 %


@dataclass(frozen=True)
class ShippingCharge:
    description: str
    amount: str
    taxes: tuple[TaxRate, ...] = ()  # empty: not taxable


@dataclass(frozen=True)
class PricingPolicy:
    """Empty texts: per line, half up."""

    rounding_mode: str = ""  # "per_line" or "per_document"
    rounding: str = ""  # "half_up" or "half_even"
    prices_include_tax: bool = False


def decimal_at(field: str, text: str, *, empty_is_zero: bool = False) -> Decimal:
    """The amount `text` says, or InvalidArgument on `field`."""
    if not text and empty_is_zero:
        return Decimal(0)
    try:
        return parse_amount(text)
    except InvalidMoney as error:
        raise InvalidArgument.of(field, str(error)) from error


def engine_policy(policy: PricingPolicy) -> engine.RoundingPolicy:
    try:
        mode = engine.RoundingMode(policy.rounding_mode or engine.RoundingMode.PER_LINE.value)
    except ValueError as error:
        raise InvalidArgument.of("policy.rounding_mode", "per_line or per_document") from error
    rounding = _ROUNDINGS.get(policy.rounding or "half_up")
    if rounding is None:
        raise InvalidArgument.of("policy.rounding", "half_up or half_even")
    return engine.RoundingPolicy(mode, rounding)


def engine_taxes(at: str, taxes: Sequence[TaxRate]) -> tuple[engine.Tax, ...]:
    found = []
    for i, tax in enumerate(taxes):
        rate = decimal_at(f"{at}[{i}].rate", tax.rate)
        if not tax.code or not 0 <= rate < 10:
            raise InvalidArgument.of(
                f"{at}[{i}]", "a code and a rate between 0 and 10 (0.19 = 19 %)"
            )
        found.append(engine.Tax(tax.code, rate))
    return tuple(found)


def engine_discount(at: str, discount: Discount) -> engine.Discount:
    percent = decimal_at(f"{at}.percent", discount.percent, empty_is_zero=True)
    amount = decimal_at(f"{at}.amount", discount.amount, empty_is_zero=True)
    if not 0 <= percent <= 100:
        raise InvalidArgument.of(f"{at}.percent", "between 0 and 100")
    if amount < 0:
        raise InvalidArgument.of(f"{at}.amount", "must not be negative")
    return engine.Discount(percent, amount)


def engine_shipping(charges: Sequence[ShippingCharge]) -> tuple[engine.Shipping, ...]:
    shipping = []
    for s, charge in enumerate(charges):
        amount = decimal_at(f"shipping[{s}].amount", charge.amount)
        if amount < 0:
            raise InvalidArgument.of(f"shipping[{s}].amount", "must not be negative")
        taxes = engine_taxes(f"shipping[{s}].taxes", charge.taxes)
        shipping.append(engine.Shipping(charge.description, amount, taxes))
    return tuple(shipping)
