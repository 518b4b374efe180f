"""Priced documents (oms.types.v1.PricedDocument) as billing bills them, and back: read with
pricing.wire's one mapping, and kept as the JSON they were received as."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict

from billing.domain.orders import QuotedDocument
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.document import verify
from pricing.wire import document_from_json, document_from_proto


def quoted(document: PricedDocument) -> QuotedDocument:
    """A document as billing bills it (`verified_quoted` proves its figures the engine's)."""
    return QuotedDocument.of(document_from_proto(document), MessageToDict(document))


def verified_quoted(document: PricedDocument) -> QuotedDocument:
    """`quoted`, once pricing.document.verify has proven its figures the engine's (the message
    read once for both): BreakdownMismatch or InvalidDocument otherwise."""
    read = document_from_proto(document)
    verify(read)
    return QuotedDocument.of(read, MessageToDict(document))


def quoted_from_json(content: Mapping[str, Any]) -> QuotedDocument:
    """A document as billing stored it."""
    return QuotedDocument.of(document_from_json(content), content)


def priced(content: Mapping[str, Any]) -> PricedDocument:
    return ParseDict(dict(content), PricedDocument())
