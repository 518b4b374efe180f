"""Quoting's content and templates and their protobuf messages (oms.quoting.v1), both ways: how
content and templates are stored (as JSON of these messages) and travel. Texts stay as they are;
Decimals are written as plain decimal text ("12.50", never "1E+1"). Priced documents and their
terms are pricing.wire's."""

from __future__ import annotations

from typing import Any

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import types_pb2
from pricing.document import Discount, PricingPolicy, figure_text
from pricing.fields import (
    Fields,
    discount_fields,
    json_fields,
    message_fields,
    policy_fields,
    shipping_fields,
    taxes_fields,
)
from pricing.money import Money
from pricing.wire import (
    discount_from_proto,
    policy_from_proto,
    shipping_from_proto,
    taxes_from_proto,
)
from quoting.domain.content import GroupInput, LineInput, QuoteContent, UnitPrice


def money_to_proto(money: Money) -> types_pb2.Money:
    return types_pb2.Money(amount=figure_text(money.amount), currency=money.currency)


# Content, as entered.


def line_input_to_proto(line: LineInput) -> pb.LineInput:
    return pb.LineInput(**_line_input_fields(line, message_fields))


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
    return pb.GroupInput(**_group_input_fields(group, message_fields))


def group_input_from_proto(message: pb.GroupInput) -> GroupInput:
    return GroupInput(
        name=message.name,
        lines=tuple(line_input_from_proto(line) for line in message.lines),
        discount=discount_from_proto(message.discount),
        taxes=taxes_from_proto(message.taxes),
    )


def content_to_proto(content: QuoteContent) -> pb.QuoteContent:
    """Unset terms (no discount, the default policy) are left out, as a client leaves them."""
    return pb.QuoteContent(**_content_fields(content, message_fields))


def content_to_json(content: QuoteContent) -> dict[str, Any]:
    """The content as stored: the JSON of its message, written as pricing.fields writes a
    priced document's (what MessageToDict would give, for a fraction of its cost)."""
    return _content_fields(content, json_fields)


def _content_fields(content: QuoteContent, out: Fields) -> dict[str, Any]:
    return out(
        customer_id=content.customer_id,
        customer_group=content.customer_group,
        salesperson=content.salesperson,
        currency=content.currency,
        valid_until=content.valid_until,
        payment_terms=content.payment_terms,
        terms_and_conditions=content.terms_and_conditions,
        notes=content.notes,
        groups=[_group_input_fields(group, out) for group in content.groups],
        shipping=[shipping_fields(charge, out) for charge in content.shipping],
        policy=None if content.policy == PricingPolicy() else policy_fields(content.policy, out),
        template_id=content.template_id,
    )


def _group_input_fields(group: GroupInput, out: Fields) -> dict[str, Any]:
    return out(
        name=group.name,
        lines=[_line_input_fields(line, out) for line in group.lines],
        discount=_stated(group.discount, out),
        taxes=taxes_fields(group.taxes, out),
    )


def _line_input_fields(line: LineInput, out: Fields) -> dict[str, Any]:
    price = line.unit_price
    return out(
        sku=line.sku,
        product_id=line.product_id,
        description=line.description,
        quantity=line.quantity,
        unit_price=None if price is None else out(amount=price.amount, currency=price.currency),
        discount=_stated(line.discount, out),
        taxes=taxes_fields(line.taxes, out),
    )


def _stated(discount: Discount, out: Fields) -> dict[str, Any] | None:
    """No discount is left out, as a client leaves it."""
    return None if discount == Discount() else discount_fields(discount, out)


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
