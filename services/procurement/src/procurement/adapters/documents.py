"""Priced documents and their parts to and from the wire (oms.types.v1.PricedDocument) and
the JSON a purchase order's row keeps (the protobuf's JSON mapping)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict

from oms.types.v1 import pricing_pb2 as pb
from procurement.domain.documents import (
    Breakdown,
    Discount,
    DocumentGroup,
    DocumentLine,
    LineFigures,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxAmount,
    TaxRate,
    TaxTotal,
)


def taxes_to_proto(taxes: Iterable[TaxRate]) -> list[pb.TaxRate]:
    return [pb.TaxRate(code=t.code, rate=t.rate) for t in taxes]


def taxes_from_proto(taxes: Iterable[pb.TaxRate]) -> tuple[TaxRate, ...]:
    return tuple(TaxRate(t.code, t.rate) for t in taxes)


def discount_to_proto(discount: Discount) -> pb.Discount:
    return pb.Discount(percent=discount.percent, amount=discount.amount)


def discount_from_proto(discount: pb.Discount) -> Discount:
    return Discount(discount.percent, discount.amount)


def shipping_to_proto(charge: ShippingCharge) -> pb.ShippingCharge:
    return pb.ShippingCharge(
        description=charge.description, amount=charge.amount, taxes=taxes_to_proto(charge.taxes)
    )


def shipping_from_proto(charge: pb.ShippingCharge) -> ShippingCharge:
    return ShippingCharge(charge.description, charge.amount, taxes_from_proto(charge.taxes))


def policy_to_proto(policy: PricingPolicy) -> pb.PricingPolicy:
    return pb.PricingPolicy(
        rounding_mode=policy.rounding_mode,
        rounding=policy.rounding,
        prices_include_tax=policy.prices_include_tax,
    )


def policy_from_proto(policy: pb.PricingPolicy) -> PricingPolicy:
    return PricingPolicy(policy.rounding_mode, policy.rounding, policy.prices_include_tax)


def _line_to_proto(line: DocumentLine) -> pb.DocumentLine:
    return pb.DocumentLine(
        line_id=line.line_id,
        product_id=line.product_id,
        sku=line.sku,
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount=discount_to_proto(line.discount),
        taxes=taxes_to_proto(line.taxes),
        price_rule=line.price_rule,
        kind=line.kind,
    )


def _line_from_proto(line: pb.DocumentLine) -> DocumentLine:
    return DocumentLine(
        line_id=line.line_id,
        product_id=line.product_id,
        sku=line.sku,
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount=discount_from_proto(line.discount),
        taxes=taxes_from_proto(line.taxes),
        price_rule=line.price_rule,
        kind=line.kind,
    )


def _breakdown_to_proto(breakdown: Breakdown) -> pb.Breakdown:
    return pb.Breakdown(
        engine_version=breakdown.engine_version,
        policy=policy_to_proto(breakdown.policy),
        lines=[
            pb.LineFigures(
                line_id=f.line_id,
                extended=f.extended,
                discount=f.discount,
                net=f.net,
                taxes=[pb.TaxAmount(code=t.code, amount=t.amount) for t in f.taxes],
            )
            for f in breakdown.lines
        ],
        subtotal=breakdown.subtotal,
        discounts=breakdown.discounts,
        net=breakdown.net,
        shipping=breakdown.shipping,
        taxes=[
            pb.TaxTotal(code=t.code, rate=t.rate, base=t.base, amount=t.amount)
            for t in breakdown.taxes
        ],
        total=breakdown.total,
    )


def _breakdown_from_proto(breakdown: pb.Breakdown) -> Breakdown:
    return Breakdown(
        engine_version=breakdown.engine_version,
        policy=policy_from_proto(breakdown.policy),
        lines=tuple(
            LineFigures(
                f.line_id,
                f.extended,
                f.discount,
                f.net,
                tuple(TaxAmount(t.code, t.amount) for t in f.taxes),
            )
            for f in breakdown.lines
        ),
        subtotal=breakdown.subtotal,
        discounts=breakdown.discounts,
        net=breakdown.net,
        shipping=breakdown.shipping,
        taxes=tuple(TaxTotal(t.code, t.rate, t.base, t.amount) for t in breakdown.taxes),
        total=breakdown.total,
    )


def document_to_proto(document: PricedDocument) -> pb.PricedDocument:
    return pb.PricedDocument(
        currency=document.currency,
        groups=[
            pb.DocumentGroup(
                name=group.name,
                lines=[_line_to_proto(line) for line in group.lines],
                discount=discount_to_proto(group.discount),
                taxes=taxes_to_proto(group.taxes),
            )
            for group in document.groups
        ],
        shipping=[shipping_to_proto(charge) for charge in document.shipping],
        policy=policy_to_proto(document.policy),
        breakdown=_breakdown_to_proto(document.breakdown),
    )


def document_from_proto(document: pb.PricedDocument) -> PricedDocument:
    return PricedDocument(
        currency=document.currency,
        groups=tuple(
            DocumentGroup(
                group.name,
                tuple(_line_from_proto(line) for line in group.lines),
                discount_from_proto(group.discount),
                taxes_from_proto(group.taxes),
            )
            for group in document.groups
        ),
        shipping=tuple(shipping_from_proto(charge) for charge in document.shipping),
        policy=policy_from_proto(document.policy),
        breakdown=_breakdown_from_proto(document.breakdown),
    )


def document_to_json(document: PricedDocument) -> dict[str, Any]:
    return MessageToDict(document_to_proto(document))


def document_from_json(stored: dict[str, Any]) -> PricedDocument:
    return document_from_proto(ParseDict(stored, pb.PricedDocument()))
