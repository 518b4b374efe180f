"""Priced documents on the wire (oms.types.v1.PricedDocument) and the engine's view of them.

The proto carries what the engine needs plus what documents need to travel (line ids, products,
kit parts, price rules). A service prices a document with `priced`, and a service that receives
one -- an order made from a quote, an invoice made from an order -- proves with `verify` that the
figures it was given are the ones the engine computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from oms.types.v1 import pricing_pb2 as pb
from pricing.engine import (
    Breakdown,
    Discount,
    Document,
    Group,
    Line,
    PricedLine,
    RoundingMode,
    RoundingPolicy,
    Shipping,
    Tax,
    TaxTotal,
    check,
    price,
)
from pricing.money import InvalidMoney, Rounding, check_currency, parse_amount

_ROUNDING_NAMES = {Rounding.HALF_UP: "half_up", Rounding.HALF_EVEN: "half_even"}
_ROUNDINGS = {name: rounding for rounding, name in _ROUNDING_NAMES.items()}


class InvalidDocument(ValueError):
    """A document that cannot be priced; `field` names the part at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _decimal(text: str, field: str, *, empty_is_zero: bool = False) -> Decimal:
    if not text and empty_is_zero:
        return Decimal(0)
    try:
        return parse_amount(text)
    except InvalidMoney as error:
        raise InvalidDocument(field, str(error)) from error


def policy_from_proto(message: pb.PricingPolicy) -> tuple[RoundingPolicy, bool]:
    """(rounding policy, prices include tax); empty fields mean per line, half up."""
    try:
        mode = RoundingMode(message.rounding_mode or RoundingMode.PER_LINE.value)
    except ValueError as error:
        raise InvalidDocument("policy.rounding_mode", "per_line or per_document") from error
    rounding = _ROUNDINGS.get(message.rounding or "half_up")
    if rounding is None:
        raise InvalidDocument("policy.rounding", "half_up or half_even")
    return RoundingPolicy(mode, rounding), message.prices_include_tax


def policy_to_proto(policy: RoundingPolicy, prices_include_tax: bool) -> pb.PricingPolicy:
    return pb.PricingPolicy(
        rounding_mode=policy.mode.value,
        rounding=_ROUNDING_NAMES[policy.rounding],
        prices_include_tax=prices_include_tax,
    )


def _taxes(taxes: Sequence[pb.TaxRate], at: str) -> tuple[Tax, ...]:
    found = []
    for i, tax in enumerate(taxes):
        rate = _decimal(tax.rate, f"{at}[{i}].rate")
        if not tax.code or not 0 <= rate < 10:
            raise InvalidDocument(f"{at}[{i}]", "a code and a rate between 0 and 10 (0.19 = 19 %)")
        found.append(Tax(tax.code, rate))
    return tuple(found)


def _discount(discount: pb.Discount, at: str) -> Discount:
    percent = _decimal(discount.percent, f"{at}.percent", empty_is_zero=True)
    amount = _decimal(discount.amount, f"{at}.amount", empty_is_zero=True)
    if not 0 <= percent <= 100:
        raise InvalidDocument(f"{at}.percent", "between 0 and 100")
    if amount < 0:
        raise InvalidDocument(f"{at}.amount", "must not be negative")
    return Discount(percent, amount)


def engine_document(message: pb.PricedDocument) -> Document:
    """The engine's document; InvalidDocument names the first field it cannot use."""
    try:
        check_currency(message.currency)
    except InvalidMoney as error:
        raise InvalidDocument("currency", str(error)) from error
    policy, inclusive = policy_from_proto(message.policy)
    groups = []
    for g, group in enumerate(message.groups):
        lines = []
        for i, line in enumerate(group.lines):
            at = f"groups[{g}].lines[{i}]"
            quantity = _decimal(line.quantity, f"{at}.quantity")
            unit_price = _decimal(line.unit_price, f"{at}.unit_price")
            if quantity <= 0:
                raise InvalidDocument(f"{at}.quantity", "must be greater than 0")
            if unit_price < 0:
                raise InvalidDocument(f"{at}.unit_price", "must not be negative")
            discount = _discount(line.discount, f"{at}.discount")
            lines.append(
                Line(
                    line.description,
                    quantity,
                    unit_price,
                    discount,
                    _taxes(line.taxes, f"{at}.taxes"),
                )
            )
        groups.append(
            Group(
                group.name,
                tuple(lines),
                _discount(group.discount, f"groups[{g}].discount"),
                _taxes(group.taxes, f"groups[{g}].taxes"),
            )
        )
    shipping = []
    for s, charge in enumerate(message.shipping):
        amount = _decimal(charge.amount, f"shipping[{s}].amount")
        if amount < 0:
            raise InvalidDocument(f"shipping[{s}].amount", "must not be negative")
        shipping.append(
            Shipping(charge.description, amount, _taxes(charge.taxes, f"shipping[{s}].taxes"))
        )
    return Document(message.currency, tuple(groups), tuple(shipping), inclusive, policy)


def line_ids(message: pb.PricedDocument) -> list[str]:
    return [line.line_id for group in message.groups for line in group.lines]


def _plain(value: Decimal) -> str:
    """A figure as plain decimal text: str() would write a zero with many places as "0E-8"."""
    return format(value, "f")


def breakdown_to_proto(
    breakdown: Breakdown, ids: Sequence[str], prices_include_tax: bool
) -> pb.Breakdown:
    return pb.Breakdown(
        engine_version=breakdown.engine_version,
        policy=policy_to_proto(breakdown.policy, prices_include_tax),
        lines=[
            pb.LineFigures(
                line_id=line_id,
                extended=_plain(line.extended),
                discount=_plain(line.discount),
                net=_plain(line.net),
                taxes=[pb.TaxAmount(code=c, amount=_plain(amount)) for c, amount in line.taxes],
            )
            for line_id, line in zip(ids, breakdown.lines, strict=True)
        ],
        subtotal=_plain(breakdown.subtotal),
        discounts=_plain(breakdown.discounts),
        net=_plain(breakdown.net),
        shipping=_plain(breakdown.shipping),
        taxes=[
            pb.TaxTotal(
                code=t.code, rate=_plain(t.rate), base=_plain(t.base), amount=_plain(t.amount)
            )
            for t in breakdown.taxes
        ],
        total=_plain(breakdown.total),
    )


def breakdown_from_proto(message: pb.Breakdown, currency: str, groups: Sequence[str]) -> Breakdown:
    """The stored breakdown; `groups` names each line's group, in order."""
    policy, _ = policy_from_proto(message.policy)
    at = "breakdown"
    return Breakdown(
        engine_version=message.engine_version,
        policy=policy,
        currency=currency,
        lines=tuple(
            PricedLine(
                group,
                "",
                _decimal(line.extended, f"{at}.lines[{i}].extended"),
                _decimal(line.discount, f"{at}.lines[{i}].discount"),
                _decimal(line.net, f"{at}.lines[{i}].net"),
                tuple((t.code, _decimal(t.amount, f"{at}.lines[{i}].taxes")) for t in line.taxes),
            )
            for i, (group, line) in enumerate(zip(groups, message.lines, strict=False))
        ),
        subtotal=_decimal(message.subtotal, f"{at}.subtotal"),
        discounts=_decimal(message.discounts, f"{at}.discounts"),
        net=_decimal(message.net, f"{at}.net"),
        shipping=_decimal(message.shipping, f"{at}.shipping"),
        taxes=tuple(
            TaxTotal(
                t.code,
                _decimal(t.rate, f"{at}.taxes.rate"),
                _decimal(t.base, f"{at}.taxes.base"),
                _decimal(t.amount, f"{at}.taxes.amount"),
            )
            for t in message.taxes
        ),
        total=_decimal(message.total, f"{at}.total"),
    )


def priced(message: pb.PricedDocument) -> pb.PricedDocument:
    """A copy of `message` with the breakdown the engine computes for it."""
    document = engine_document(message)
    result = pb.PricedDocument()
    result.CopyFrom(message)
    result.breakdown.CopyFrom(
        breakdown_to_proto(price(document), line_ids(message), document.prices_include_tax)
    )
    return result


def verify(message: pb.PricedDocument) -> Breakdown:
    """Recomputes the document and proves its stored breakdown agrees, figure by figure.

    Raises BreakdownMismatch (what differs) or InvalidDocument (what cannot be read)."""
    document = engine_document(message)
    groups = [group.name for group in message.groups for _ in group.lines]
    stored = breakdown_from_proto(message.breakdown, message.currency, groups)
    # The stored lines carry no descriptions: compare figures, not labels.
    return check(document, stored)
