"""Priced documents (oms.types.v1.PricedDocument) as billing bills them, and back: read with
pricing.wire's one mapping, and kept as the JSON they were received as."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict

from billing.domain.orders import QuotedDocument
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.wire import document_from_json, document_from_proto


def quoted(document: PricedDocument) -> QuotedDocument:
    """A document as billing bills it (pricing.wire.verify proves its figures the engine's)."""
    return QuotedDocument.of(document_from_proto(document), MessageToDict(document))


def quoted_from_json(content: Mapping[str, Any]) -> QuotedDocument:
    """A document as billing stored it."""
    return QuotedDocument.of(document_from_json(content), content)


def priced(content: Mapping[str, Any]) -> PricedDocument:
    return ParseDict(dict(content), PricedDocument())
