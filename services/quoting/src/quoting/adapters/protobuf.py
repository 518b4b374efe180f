"""Quoting's domain values and their protobuf messages (oms.quoting.v1, oms.types.v1), both
ways: how content, documents and templates are stored (as JSON of these messages) and travel.
Texts stay as they are; Decimals are written as plain decimal text ("12.50", never "1E+1")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1 import types_pb2
from pricing.documents import breakdown_from_proto, breakdown_to_proto
from pricing.money import Money, parse_amount
from quoting.domain.content import GroupInput, LineInput, QuoteContent, UnitPrice
from quoting.domain.document import DocumentGroup, DocumentLine, KitPart, PricedDocument
from quoting.domain.terms import Discount, PricingPolicy, ShippingCharge, TaxRate


def text(value: Decimal) -> str:
    return format(value, "f")


def money_to_proto(money: Money) -> types_pb2.Money:
    return types_pb2.Money(amount=text(money.amount), currency=money.currency)


# Terms, as entered.


def discount_to_proto(discount: Discount) -> pricing.Discount:
    return pricing.Discount(percent=discount.percent, amount=discount.amount)


def discount_from_proto(message: pricing.Discount) -> Discount:
    return Discount(message.percent, message.amount)


def taxes_to_proto(taxes: Iterable[TaxRate]) -> list[pricing.TaxRate]:
    return [pricing.TaxRate(code=t.code, rate=t.rate) for t in taxes]


def taxes_from_proto(messages: Iterable[pricing.TaxRate]) -> tuple[TaxRate, ...]:
    return tuple(TaxRate(t.code, t.rate) for t in messages)


def shipping_to_proto(charges: Iterable[ShippingCharge]) -> list[pricing.ShippingCharge]:
    return [
        pricing.ShippingCharge(
            description=c.description, amount=c.amount, taxes=taxes_to_proto(c.taxes)
        )
        for c in charges
    ]


def shipping_from_proto(
    messages: Iterable[pricing.ShippingCharge],
) -> tuple[ShippingCharge, ...]:
    return tuple(
        ShippingCharge(c.description, c.amount, taxes_from_proto(c.taxes)) for c in messages
    )


def policy_to_proto(policy: PricingPolicy) -> pricing.PricingPolicy:
    return pricing.PricingPolicy(
        rounding_mode=policy.rounding_mode,
        rounding=policy.rounding,
        prices_include_tax=policy.prices_include_tax,
    )


def policy_from_proto(message: pricing.PricingPolicy) -> PricingPolicy:
    return PricingPolicy(message.rounding_mode, message.rounding, message.prices_include_tax)


# Content, as entered.


def line_input_to_proto(line: LineInput) -> pb.LineInput:
    message = pb.LineInput(
        sku=line.sku,
        product_id=line.product_id,
        description=line.description,
        quantity=line.quantity,
        taxes=taxes_to_proto(line.taxes),
    )
    if line.discount != Discount():
        message.discount.CopyFrom(discount_to_proto(line.discount))
    if line.unit_price is not None:
        price = line.unit_price
        message.unit_price.CopyFrom(types_pb2.Money(amount=price.amount, currency=price.currency))
    return message


def line_input_from_proto(message: pb.LineInput) -> LineInput:
    price = message.unit_price
    return LineInput(
        sku=message.sku,
        product_id=message.product_id,
        description=message.description,
        quantity=message.quantity,
        unit_price=UnitPrice(price.amount, price.currency)
        if message.HasField("unit_price")
        else None,
        discount=discount_from_proto(message.discount),
        taxes=taxes_from_proto(message.taxes),
    )


def group_input_to_proto(group: GroupInput) -> pb.GroupInput:
    message = pb.GroupInput(
        name=group.name,
        lines=[line_input_to_proto(line) for line in group.lines],
        taxes=taxes_to_proto(group.taxes),
    )
    if group.discount != Discount():
        message.discount.CopyFrom(discount_to_proto(group.discount))
    return message


def group_input_from_proto(message: pb.GroupInput) -> GroupInput:
    return GroupInput(
        name=message.name,
        lines=tuple(line_input_from_proto(line) for line in message.lines),
        discount=discount_from_proto(message.discount),
        taxes=taxes_from_proto(message.taxes),
    )


def content_to_proto(content: QuoteContent) -> pb.QuoteContent:
    """Unset terms (no discount, the default policy) are left out, as a client leaves them."""
    message = pb.QuoteContent(
        customer_id=content.customer_id,
        customer_group=content.customer_group,
        salesperson=content.salesperson,
        currency=content.currency,
        valid_until=content.valid_until,
        payment_terms=content.payment_terms,
        terms_and_conditions=content.terms_and_conditions,
        notes=content.notes,
        groups=[group_input_to_proto(group) for group in content.groups],
        shipping=shipping_to_proto(content.shipping),
        template_id=content.template_id,
    )
    if content.policy != PricingPolicy():
        message.policy.CopyFrom(policy_to_proto(content.policy))
    return message


def content_from_proto(message: pb.QuoteContent) -> QuoteContent:
    return QuoteContent(
        customer_id=message.customer_id,
        customer_group=message.customer_group,
        salesperson=message.salesperson,
        currency=message.currency,
        valid_until=message.valid_until,
        payment_terms=message.payment_terms,
        terms_and_conditions=message.terms_and_conditions,
        notes=message.notes,
        groups=tuple(group_input_from_proto(group) for group in message.groups),
        shipping=shipping_from_proto(message.shipping),
        policy=policy_from_proto(message.policy),
        template_id=message.template_id,
    )


# Priced documents (oms.types.v1.PricedDocument).


def _line_to_proto(line: DocumentLine) -> pricing.DocumentLine:
    return pricing.DocumentLine(
        line_id=line.line_id,
        product_id=line.product_id,
        sku=line.sku,
        description=line.description,
        quantity=text(line.quantity),
        unit_price=text(line.unit_price),
        discount=discount_to_proto(line.discount),
        taxes=taxes_to_proto(line.taxes),
        kit_parts=[
            pricing.KitPart(product_id=p.product_id, sku=p.sku, quantity=p.quantity)
            for p in line.kit_parts
        ],
        price_rule=line.price_rule,
        kind=line.kind,
    )


def _line_from_proto(message: pricing.DocumentLine) -> DocumentLine:
    return DocumentLine(
        line_id=message.line_id,
        description=message.description,
        quantity=parse_amount(message.quantity),
        unit_price=parse_amount(message.unit_price),
        price_rule=message.price_rule,
        product_id=message.product_id,
        sku=message.sku,
        kind=message.kind,
        kit_parts=tuple(KitPart(p.product_id, p.sku, p.quantity) for p in message.kit_parts),
        discount=discount_from_proto(message.discount),
        taxes=taxes_from_proto(message.taxes),
    )


def document_to_proto(document: PricedDocument) -> pricing.PricedDocument:
    ids = [line.line_id for line in document.lines]
    return pricing.PricedDocument(
        currency=document.currency,
        groups=[
            pricing.DocumentGroup(
                name=group.name,
                lines=[_line_to_proto(line) for line in group.lines],
                discount=discount_to_proto(group.discount),
                taxes=taxes_to_proto(group.taxes),
            )
            for group in document.groups
        ],
        shipping=shipping_to_proto(document.shipping),
        policy=policy_to_proto(document.policy),
        breakdown=breakdown_to_proto(document.breakdown, ids, document.policy.prices_include_tax),
    )


def document_from_proto(message: pricing.PricedDocument) -> PricedDocument:
    """The document as stored: every figure as the engine computed it then, not recomputed."""
    groups = tuple(
        DocumentGroup(
            name=group.name,
            lines=tuple(_line_from_proto(line) for line in group.lines),
            discount=discount_from_proto(group.discount),
            taxes=taxes_from_proto(group.taxes),
        )
        for group in message.groups
    )
    lines = [line for group in groups for line in group.lines]
    names = [group.name for group in groups for _ in group.lines]
    breakdown = breakdown_from_proto(message.breakdown, message.currency, names)
    # The stored figures carry no descriptions; the engine's lines have their line's.
    priced = tuple(
        replace(figures, description=line.description)
        for line, figures in zip(lines, breakdown.lines, strict=True)
    )
    return PricedDocument(
        currency=message.currency,
        groups=groups,
        shipping=shipping_from_proto(message.shipping),
        policy=policy_from_proto(message.policy),
        breakdown=replace(breakdown, lines=priced),
    )
