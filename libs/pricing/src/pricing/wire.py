"""Money and priced documents to and from their protobuf forms: oms.types.v1.Money, and
oms.types.v1.PricedDocument both ways with pricing.document's plain model -- the one mapping
every service stores (as the message's JSON) and sends documents with.

The mapping is exact: entered figures travel as the texts they are, a discount or policy the
document leaves unstated stays unset, and the breakdown is written as the engine's plain decimal
text, so a document read from the wire or from storage writes back the same, text for text.
`priced` and `verify` do the same on the wire form, for callers holding only a message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from google.protobuf.json_format import ParseDict

from oms.types.v1 import pricing_pb2 as pb
from oms.types.v1 import types_pb2
from pricing import document as plain
from pricing import engine
from pricing.conversion import Conversion, ReportingTotal
from pricing.document import (
    Discount,
    DocumentGroup,
    DocumentLine,
    InvalidDocument,
    KitPart,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    decimal_at,
    rounding_policy,
)
from pricing.fields import (
    UnusualJson,
    document_fields,
    fields_from_json,
    json_fields,
    message_fields,
)
from pricing.money import Money


def money_to_proto(money: Money) -> types_pb2.Money:
    return types_pb2.Money(amount=str(money.amount), currency=money.currency)


def money_from_proto(message: types_pb2.Money) -> Money:
    """Raises InvalidMoney for an empty or malformed amount or an unknown currency."""
    return Money.of(message.amount, message.currency)


# The terms, as entered.


def discount_to_proto(discount: Discount) -> pb.Discount:
    return pb.Discount(percent=discount.percent, amount=discount.amount)


def discount_from_proto(message: pb.Discount) -> Discount:
    return Discount(message.percent, message.amount)


def taxes_to_proto(taxes: Iterable[TaxRate]) -> list[pb.TaxRate]:
    return [pb.TaxRate(code=t.code, rate=t.rate) for t in taxes]


def taxes_from_proto(messages: Iterable[pb.TaxRate]) -> tuple[TaxRate, ...]:
    return tuple(TaxRate(t.code, t.rate) for t in messages)


def shipping_to_proto(charge: ShippingCharge) -> pb.ShippingCharge:
    return pb.ShippingCharge(
        description=charge.description, amount=charge.amount, taxes=taxes_to_proto(charge.taxes)
    )


def shipping_from_proto(message: pb.ShippingCharge) -> ShippingCharge:
    return ShippingCharge(message.description, message.amount, taxes_from_proto(message.taxes))


def policy_to_proto(policy: PricingPolicy) -> pb.PricingPolicy:
    return pb.PricingPolicy(
        rounding_mode=policy.rounding_mode,
        rounding=policy.rounding,
        prices_include_tax=policy.prices_include_tax,
    )


def policy_from_proto(message: pb.PricingPolicy) -> PricingPolicy:
    return PricingPolicy(message.rounding_mode, message.rounding, message.prices_include_tax)


# The document.


def document_to_proto(document: PricedDocument) -> pb.PricedDocument:
    return pb.PricedDocument(**document_fields(document, message_fields))


def document_from_proto(message: pb.PricedDocument) -> PricedDocument:
    """The document as it was written, every figure as stated (never recomputed); InvalidDocument
    for a breakdown whose figures cannot be read or that is not one line per document line."""
    groups = tuple(
        DocumentGroup(
            group.name,
            tuple(_line_from_proto(line) for line in group.lines),
            discount_from_proto(group.discount) if group.HasField("discount") else None,
            taxes_from_proto(group.taxes),
        )
        for group in message.groups
    )
    document = PricedDocument(
        currency=message.currency,
        groups=groups,
        shipping=tuple(shipping_from_proto(charge) for charge in message.shipping),
        policy=policy_from_proto(message.policy) if message.HasField("policy") else None,
        tax_exemption=message.tax_exemption,
    )
    if not message.HasField("breakdown"):
        return document
    return replace(document, breakdown=_breakdown_from_proto(message.breakdown, document))


def document_to_json(document: PricedDocument) -> dict[str, Any]:
    """The document as stored: the protobuf JSON mapping of its message (pricing.fields writes
    it without building the message)."""
    return document_fields(document, json_fields)


def document_from_json(stored: Mapping[str, Any]) -> PricedDocument:
    """The document stored as `document_to_json` writes it, or in any form json_format reads."""
    try:
        message = pb.PricedDocument(**fields_from_json(stored, pb.PricedDocument.DESCRIPTOR))
    except (UnusualJson, ValueError, TypeError):
        # json_format reads the rest of the JSON mapping, or names what is wrong
        message = ParseDict(dict(stored), pb.PricedDocument())
    return document_from_proto(message)


# Stored documents read again and again (an order's at each step of its saga) are read once per
# text: documents are immutable, so one object serves every reader. Longer texts are read each
# time, so the cache holds a few MB at most.
_CACHED_UP_TO = 32_768


def document_from_stored(text: str) -> PricedDocument:
    """The document stored as `document_to_json` writes it, given as the stored JSON text (a
    JSONB column read as text)."""
    if len(text) > _CACHED_UP_TO:
        return document_from_json(json.loads(text))
    return _document_from_short_text(text)


@lru_cache(maxsize=512)
def _document_from_short_text(text: str) -> PricedDocument:
    return document_from_json(json.loads(text))


def priced(message: pb.PricedDocument) -> pb.PricedDocument:
    """The message with the breakdown the engine computes for it (InvalidDocument if it cannot)."""
    return document_to_proto(plain.price_document(document_from_proto(message)))


def verify(message: pb.PricedDocument) -> engine.Breakdown:
    """pricing.document.verify on the wire form: BreakdownMismatch or InvalidDocument."""
    return plain.verify(document_from_proto(message))


def _line_from_proto(message: pb.DocumentLine) -> DocumentLine:
    return DocumentLine(
        line_id=message.line_id,
        product_id=message.product_id,
        sku=message.sku,
        description=message.description,
        quantity=message.quantity,
        unit_price=message.unit_price,
        discount=discount_from_proto(message.discount) if message.HasField("discount") else None,
        taxes=taxes_from_proto(message.taxes),
        kit_parts=tuple(KitPart(p.product_id, p.sku, p.quantity) for p in message.kit_parts),
        price_rule=message.price_rule,
        kind=message.kind,
    )


# The breakdown: the engine's figures as plain decimal text.


def _breakdown_from_proto(message: pb.Breakdown, document: PricedDocument) -> engine.Breakdown:
    """The stored figures; each priced line carries its line's group and description, as the
    engine's own lines do."""
    at = "breakdown"
    stored = engine.Breakdown(
        engine_version=message.engine_version,
        policy=rounding_policy(policy_from_proto(message.policy), f"{at}.policy"),
        currency=document.currency,
        lines=_priced_lines(message.lines, document),
        subtotal=decimal_at(f"{at}.subtotal", message.subtotal),
        discounts=decimal_at(f"{at}.discounts", message.discounts),
        net=decimal_at(f"{at}.net", message.net),
        shipping=decimal_at(f"{at}.shipping", message.shipping),
        taxes=tuple(
            engine.TaxTotal(
                t.code,
                decimal_at(f"{at}.taxes[{i}].rate", t.rate),
                decimal_at(f"{at}.taxes[{i}].base", t.base),
                decimal_at(f"{at}.taxes[{i}].amount", t.amount),
            )
            for i, t in enumerate(message.taxes)
        ),
        total=decimal_at(f"{at}.total", message.total),
    )
    # the groups' figures follow from the lines and totals: recomputed, never read
    sizes = [(group.name, len(group.lines)) for group in document.groups]
    taxed_shipping = any(charge.taxes for charge in document.shipping)
    return replace(stored, groups=engine.figures_by_group(stored, sizes, taxed_shipping))


def _priced_lines(
    figures: Sequence[pb.LineFigures], document: PricedDocument
) -> tuple[engine.PricedLine, ...]:
    named = [(group.name, line) for group in document.groups for line in group.lines]
    if len(figures) != len(named):
        raise InvalidDocument("breakdown.lines", f"one per document line ({len(named)})")
    priced = []
    for i, ((group, line), stored) in enumerate(zip(named, figures, strict=True)):
        at = f"breakdown.lines[{i}]"
        if stored.line_id != line.line_id:
            raise InvalidDocument(f"{at}.line_id", f"{line.line_id!r}, the document's line {i}")
        priced.append(
            engine.PricedLine(
                group,
                line.description,
                decimal_at(f"{at}.extended", stored.extended),
                decimal_at(f"{at}.discount", stored.discount),
                decimal_at(f"{at}.net", stored.net),
                tuple(
                    (t.code, decimal_at(f"{at}.taxes[{j}].amount", t.amount))
                    for j, t in enumerate(stored.taxes)
                ),
            )
        )
    return tuple(priced)


def reporting_total_to_proto(total: ReportingTotal) -> types_pb2.ReportingTotal:
    """A report's total in the reporting currency, each currency with the rate it was converted
    with (rates shown to 12 decimals, without trailing zeros) or why it was not."""
    return types_pb2.ReportingTotal(
        currency=total.currency,
        total=money_to_proto(total.total),
        complete=total.complete,
        rates_on=total.rates_on.isoformat(),
        conversions=[_conversion_to_proto(c) for c in total.conversions],
    )


def _conversion_to_proto(conversion: Conversion) -> types_pb2.CurrencyConversion:
    applied = conversion.applied
    return types_pb2.CurrencyConversion(
        amount=money_to_proto(conversion.amount),
        converted=None if conversion.converted is None else money_to_proto(conversion.converted),
        rate="" if applied is None else format(applied.factor.normalize(), "f"),
        rate_pair="" if applied is None else applied.stated.pair,
        rate_effective_from="" if applied is None else applied.stated.effective_from.isoformat(),
        missing=conversion.missing,
    )
