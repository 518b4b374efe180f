"""Quoting's content and templates and their protobuf messages (oms.quoting.v1), both ways: how
content and templates are stored (as JSON of these messages) and travel. Texts stay as they are;
Decimals are written as plain decimal text ("12.50", never "1E+1"). Priced documents and their
terms are pricing.wire's."""

from __future__ import annotations

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import types_pb2
from pricing.document import Discount, PricingPolicy, figure_text
from pricing.money import Money
from pricing.wire import (
    discount_from_proto,
    discount_to_proto,
    policy_from_proto,
    policy_to_proto,
    shipping_from_proto,
    shipping_to_proto,
    taxes_from_proto,
    taxes_to_proto,
)
from quoting.domain.content import GroupInput, LineInput, QuoteContent, UnitPrice


def money_to_proto(money: Money) -> types_pb2.Money:
    return types_pb2.Money(amount=figure_text(money.amount), currency=money.currency)


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
        shipping=[shipping_to_proto(charge) for charge in content.shipping],
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
        shipping=tuple(shipping_from_proto(charge) for charge in message.shipping),
        policy=policy_from_proto(message.policy),
        template_id=message.template_id,
    )
