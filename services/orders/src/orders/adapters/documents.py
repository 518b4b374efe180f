"""Priced documents on the wire (oms.types.v1.PricedDocument) and in the domain's plain types.

A document travels from quote to order to invoice, so it is written back as it came: a discount
or policy the wire left out stays out, and every figure is plain decimal text (what the engine
writes). pricing.documents reads the engine's part, so both sides read a document the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from oms.types.v1 import pricing_pb2 as pb
from orders.domain.document import DocumentGroup, DocumentLine, KitPart, PricedDocument
from pricing.documents import (
    InvalidDocument,
    breakdown_from_proto,
    breakdown_to_proto,
    engine_document,
    policy_from_proto,
    policy_to_proto,
)
from pricing.engine import Breakdown, Discount, RoundingPolicy, Shipping, Tax
from pricing.engine import Line as EngineLine

__all__ = ["InvalidDocument", "document_from_proto", "document_to_proto"]


def document_from_proto(message: pb.PricedDocument) -> PricedDocument:
    """The document in plain types; InvalidDocument names the first field it cannot use."""
    engine = engine_document(message)  # checks every figure, as the engine reads them
    groups = tuple(
        DocumentGroup(
            group.name,
            tuple(
                _line(line, priced)
                for line, priced in zip(group.lines, engine_group.lines, strict=True)
            ),
            engine_group.discount if group.HasField("discount") else None,
            engine_group.taxes,
        )
        for group, engine_group in zip(message.groups, engine.groups, strict=True)
    )
    breakdown = _breakdown(message) if message.HasField("breakdown") else None
    return PricedDocument(
        currency=message.currency,
        groups=groups,
        shipping=engine.shipping,
        policy=policy_from_proto(message.policy)[0] if message.HasField("policy") else None,
        prices_include_tax=engine.prices_include_tax,
        breakdown=breakdown,
    )


def _breakdown(message: pb.PricedDocument) -> Breakdown:
    """The stored figures, each line labelled as the engine labels it (the wire keeps ids)."""
    lines = [line for group in message.groups for line in group.lines]
    stored = breakdown_from_proto(
        message.breakdown, message.currency, [g.name for g in message.groups for _ in g.lines]
    )
    labelled = tuple(
        replace(figures, description=line.description)
        for figures, line in zip(stored.lines, lines, strict=False)
    )
    return replace(stored, lines=labelled + stored.lines[len(labelled) :])


def _line(message: pb.DocumentLine, priced: EngineLine) -> DocumentLine:
    return DocumentLine(
        line_id=message.line_id,
        product_id=message.product_id,
        sku=message.sku,
        description=message.description,
        quantity=priced.quantity,
        unit_price=priced.unit_price,
        discount=priced.discount if message.HasField("discount") else None,
        taxes=priced.taxes,
        kit_parts=tuple(KitPart(p.product_id, p.sku, p.quantity) for p in message.kit_parts),
        price_rule=message.price_rule,
        kind=message.kind,
    )


def document_to_proto(document: PricedDocument) -> pb.PricedDocument:
    message = pb.PricedDocument(
        currency=document.currency,
        groups=[
            pb.DocumentGroup(
                name=group.name,
                lines=[_line_to_proto(line) for line in group.lines],
                discount=_discount(group.discount),
                taxes=_taxes(group.taxes),
            )
            for group in document.groups
        ],
        shipping=_shipping(document.shipping),
    )
    if document.policy is not None or document.prices_include_tax:
        policy = document.policy or RoundingPolicy()
        message.policy.CopyFrom(policy_to_proto(policy, document.prices_include_tax))
    if document.breakdown is not None:
        ids = [line.line_id for line in document.lines]
        message.breakdown.CopyFrom(
            breakdown_to_proto(document.breakdown, ids, document.prices_include_tax)
        )
    return message


def _line_to_proto(line: DocumentLine) -> pb.DocumentLine:
    return pb.DocumentLine(
        line_id=line.line_id,
        product_id=line.product_id,
        sku=line.sku,
        description=line.description,
        quantity=_text(line.quantity),
        unit_price=_text(line.unit_price),
        discount=_discount(line.discount),
        taxes=_taxes(line.taxes),
        kit_parts=[
            pb.KitPart(product_id=p.product_id, sku=p.sku, quantity=p.quantity)
            for p in line.kit_parts
        ],
        price_rule=line.price_rule,
        kind=line.kind,
    )


def _discount(discount: Discount | None) -> pb.Discount | None:
    if discount is None:
        return None
    return pb.Discount(percent=_stated(discount.percent), amount=_stated(discount.amount))


def _taxes(taxes: Sequence[Tax]) -> list[pb.TaxRate]:
    return [pb.TaxRate(code=tax.code, rate=_text(tax.rate)) for tax in taxes]


def _stated(value: Decimal) -> str:
    """A discount's part: empty for none (the engine reads "" as 0)."""
    return "" if value == 0 and value.as_tuple().exponent == 0 else _text(value)


def _text(value: Decimal) -> str:
    """Plain decimal text: str() would write a zero with many places as "0E-8"."""
    return format(value, "f")


def _shipping(charges: Sequence[Shipping]) -> list[pb.ShippingCharge]:
    return [
        pb.ShippingCharge(description=s.description, amount=_text(s.amount), taxes=_taxes(s.taxes))
        for s in charges
    ]
