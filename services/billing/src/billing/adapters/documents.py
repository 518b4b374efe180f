"""Priced documents (oms.types.v1.PricedDocument) as billing bills them, and back: the lines with
their nets and the total the engine stated, and the document itself as JSON, kept as received."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict

from billing.domain.orders import DocumentLine, KitComponent, QuotedDocument
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.money import Money, parse_amount


def quoted(document: PricedDocument) -> QuotedDocument:
    """A document whose figures were proven the engine's (pricing.documents.verify)."""
    currency = document.currency
    nets = {figures.line_id: figures.net for figures in document.breakdown.lines}
    lines = tuple(
        DocumentLine(
            line.line_id,
            line.product_id,
            line.sku,
            int(line.quantity),
            Money(parse_amount(line.unit_price), currency),
            Money(parse_amount(nets[line.line_id]), currency),
            tuple(KitComponent(p.product_id, int(p.quantity)) for p in line.kit_parts),
        )
        for group in document.groups
        for line in group.lines
    )
    total = Money(parse_amount(document.breakdown.total), currency)
    return QuotedDocument(currency, total, lines, MessageToDict(document))


def quoted_from_json(content: Mapping[str, Any]) -> QuotedDocument:
    """A document as billing stored it."""
    return replace(quoted(priced(content)), content=content)


def priced(content: Mapping[str, Any]) -> PricedDocument:
    return ParseDict(dict(content), PricedDocument())
