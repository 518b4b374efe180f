"""A priced document in plain Python -- groups of lines, discounts, taxes, shipping and a pricing
policy -- with the breakdown the shared engine (pricing.engine) computes for it. Figures stay
decimal text, as entered and as the engine wrote them, so a document reads back and travels
exactly as it was priced. Its wire form is oms.types.v1.PricedDocument (adapters.documents).

Pricing refuses what the engine cannot use as InvalidArgument naming the field, with the same
fields and words as pricing.documents, which does the same for the wire form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from pricing.engine import (
    Breakdown as EngineBreakdown,
)
from pricing.engine import (
    Discount as EngineDiscount,
)
from pricing.engine import (
    Document,
    Group,
    Line,
    RoundingMode,
    RoundingPolicy,
    Shipping,
    Tax,
    price,
)
from pricing.money import InvalidMoney, Rounding, check_currency, parse_amount
from servicekit.errors import InvalidArgument

_ROUNDING_NAMES = {Rounding.HALF_UP: "half_up", Rounding.HALF_EVEN: "half_even"}
_ROUNDINGS = {name: rounding for rounding, name in _ROUNDING_NAMES.items()}


@dataclass(frozen=True)
class TaxRate:
    code: str
    rate: str  # 0.19 for 19 %


@dataclass(frozen=True)
class Discount:
    """A percentage (10 = 10 %) or an amount, as decimal text; empty: none."""

    percent: str = ""
    amount: str = ""


@dataclass(frozen=True)
class DocumentLine:
    line_id: str
    product_id: str
    sku: str
    description: str
    quantity: str
    unit_price: str
    discount: Discount = Discount()
    taxes: tuple[TaxRate, ...] = ()
    # How the unit price was found: "entered", a contract, a proposal, a reorder rule.
    price_rule: str = ""
    kind: str = ""


@dataclass(frozen=True)
class DocumentGroup:
    name: str
    lines: tuple[DocumentLine, ...]
    discount: Discount = Discount()
    taxes: tuple[TaxRate, ...] = ()


@dataclass(frozen=True)
class ShippingCharge:
    description: str
    amount: str
    taxes: tuple[TaxRate, ...] = ()  # empty: not taxable


@dataclass(frozen=True)
class PricingPolicy:
    """Empty fields mean per line, half up."""

    rounding_mode: str = ""
    rounding: str = ""
    prices_include_tax: bool = False


@dataclass(frozen=True)
class TaxAmount:
    code: str
    amount: str


@dataclass(frozen=True)
class LineFigures:
    line_id: str
    extended: str
    discount: str
    net: str
    taxes: tuple[TaxAmount, ...] = ()


@dataclass(frozen=True)
class TaxTotal:
    code: str
    rate: str
    base: str
    amount: str


@dataclass(frozen=True)
class Breakdown:
    """What the engine computed; empty until the document is priced."""

    engine_version: str = ""
    policy: PricingPolicy = PricingPolicy()
    lines: tuple[LineFigures, ...] = ()
    subtotal: str = ""
    discounts: str = ""
    net: str = ""
    shipping: str = ""
    taxes: tuple[TaxTotal, ...] = ()
    total: str = ""


@dataclass(frozen=True)
class PricedDocument:
    currency: str
    groups: tuple[DocumentGroup, ...]
    shipping: tuple[ShippingCharge, ...] = ()
    policy: PricingPolicy = PricingPolicy()
    breakdown: Breakdown = Breakdown()

    @property
    def lines(self) -> list[DocumentLine]:
        """Every line, group after group."""
        return [line for group in self.groups for line in group.lines]


def price_document(document: PricedDocument) -> PricedDocument:
    """The document with the breakdown the engine computes for it."""
    engine = _engine_document(document)
    figures = price(engine)
    ids = [line.line_id for line in document.lines]
    return replace(document, breakdown=_breakdown(figures, ids, engine.prices_include_tax))


def _decimal(text: str, field: str, *, empty_is_zero: bool = False) -> Decimal:
    if not text and empty_is_zero:
        return Decimal(0)
    try:
        return parse_amount(text)
    except InvalidMoney as error:
        raise InvalidArgument.of(field, str(error)) from error


def _policy(policy: PricingPolicy) -> RoundingPolicy:
    try:
        mode = RoundingMode(policy.rounding_mode or RoundingMode.PER_LINE.value)
    except ValueError as error:
        raise InvalidArgument.of("policy.rounding_mode", "per_line or per_document") from error
    rounding = _ROUNDINGS.get(policy.rounding or "half_up")
    if rounding is None:
        raise InvalidArgument.of("policy.rounding", "half_up or half_even")
    return RoundingPolicy(mode, rounding)


def _taxes(taxes: Sequence[TaxRate], at: str) -> tuple[Tax, ...]:
    found = []
    for i, tax in enumerate(taxes):
        rate = _decimal(tax.rate, f"{at}[{i}].rate")
        if not tax.code or not 0 <= rate < 10:
            raise InvalidArgument.of(
                f"{at}[{i}]", "a code and a rate between 0 and 10 (0.19 = 19 %)"
            )
        found.append(Tax(tax.code, rate))
    return tuple(found)


def _discount(discount: Discount, at: str) -> EngineDiscount:
    percent = _decimal(discount.percent, f"{at}.percent", empty_is_zero=True)
    amount = _decimal(discount.amount, f"{at}.amount", empty_is_zero=True)
    if not 0 <= percent <= 100:
        raise InvalidArgument.of(f"{at}.percent", "between 0 and 100")
    if amount < 0:
        raise InvalidArgument.of(f"{at}.amount", "must not be negative")
    return EngineDiscount(percent, amount)


def _line(line: DocumentLine, at: str) -> Line:
    quantity = _decimal(line.quantity, f"{at}.quantity")
    unit_price = _decimal(line.unit_price, f"{at}.unit_price")
    if quantity <= 0:
        raise InvalidArgument.of(f"{at}.quantity", "must be greater than 0")
    if unit_price < 0:
        raise InvalidArgument.of(f"{at}.unit_price", "must not be negative")
    discount = _discount(line.discount, f"{at}.discount")
    return Line(line.description, quantity, unit_price, discount, _taxes(line.taxes, f"{at}.taxes"))


def _engine_document(document: PricedDocument) -> Document:
    """The engine's view; InvalidArgument names the first field it cannot use."""
    try:
        check_currency(document.currency)
    except InvalidMoney as error:
        raise InvalidArgument.of("currency", str(error)) from error
    policy = _policy(document.policy)
    groups = []
    for g, group in enumerate(document.groups):
        lines = [_line(line, f"groups[{g}].lines[{i}]") for i, line in enumerate(group.lines)]
        groups.append(
            Group(
                group.name,
                tuple(lines),
                _discount(group.discount, f"groups[{g}].discount"),
                _taxes(group.taxes, f"groups[{g}].taxes"),
            )
        )
    shipping = []
    for s, charge in enumerate(document.shipping):
        amount = _decimal(charge.amount, f"shipping[{s}].amount")
        if amount < 0:
            raise InvalidArgument.of(f"shipping[{s}].amount", "must not be negative")
        shipping.append(
            Shipping(charge.description, amount, _taxes(charge.taxes, f"shipping[{s}].taxes"))
        )
    inclusive = document.policy.prices_include_tax
    return Document(document.currency, tuple(groups), tuple(shipping), inclusive, policy)


def _plain(value: Decimal) -> str:
    """A figure as plain decimal text: str() would write a zero with many places as "0E-8"."""
    return format(value, "f")


def _breakdown(figures: EngineBreakdown, ids: Sequence[str], inclusive: bool) -> Breakdown:
    return Breakdown(
        engine_version=figures.engine_version,
        policy=PricingPolicy(
            figures.policy.mode.value, _ROUNDING_NAMES[figures.policy.rounding], inclusive
        ),
        lines=tuple(
            LineFigures(
                line_id,
                _plain(line.extended),
                _plain(line.discount),
                _plain(line.net),
                tuple(TaxAmount(code, _plain(amount)) for code, amount in line.taxes),
            )
            for line_id, line in zip(ids, figures.lines, strict=True)
        ),
        subtotal=_plain(figures.subtotal),
        discounts=_plain(figures.discounts),
        net=_plain(figures.net),
        shipping=_plain(figures.shipping),
        taxes=tuple(
            TaxTotal(t.code, _plain(t.rate), _plain(t.base), _plain(t.amount))
            for t in figures.taxes
        ),
        total=_plain(figures.total),
    )
