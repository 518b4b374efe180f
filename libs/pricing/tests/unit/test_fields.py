"""pricing.fields writes a document's message and its stored JSON, and reads that JSON, without
json_format: each must be what json_format says of the message, field for field, presence for
presence, and JSON in any other form is json_format's to read."""

from __future__ import annotations

from dataclasses import replace

import pytest
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from hypothesis import assume, given
from hypothesis import strategies as st

from libs.pricing.tests.unit.test_wire import documents
from oms.types.v1 import pricing_pb2 as pb
from pricing.document import (
    Discount,
    InvalidDocument,
    KitPart,
    PricedDocument,
    PricingPolicy,
    price_document,
)
from pricing.fields import UnusualJson, fields_from_json
from pricing.wire import (
    document_from_json,
    document_from_proto,
    document_to_json,
    document_to_proto,
)


def with_empty_terms(document: PricedDocument) -> PricedDocument:
    """Stated but empty discounts and policy, and a kit part of no units: all at their defaults."""
    group = document.groups[0]
    line = replace(group.lines[0], discount=Discount(), kit_parts=(KitPart("", "", 0),))
    group = replace(group, discount=Discount(), lines=(line, *group.lines[1:]))
    return replace(document, policy=PricingPolicy(), groups=(group, *document.groups[1:]))


@given(documents, st.booleans(), st.booleans())
def test_the_stored_json_is_what_json_format_writes_of_the_message(
    entered: PricedDocument, priced: bool, empty_terms: bool
) -> None:
    document = with_empty_terms(entered) if empty_terms else entered
    if priced:
        try:
            document = price_document(document)
        except InvalidDocument:  # a discount larger than its line or group
            assume(False)
    message = document_to_proto(document)
    stored = document_to_json(document)
    assert stored == MessageToDict(message)
    parsed = ParseDict(stored, pb.PricedDocument())
    # byte for byte: a stated but empty discount or policy is as present in one as in the other
    assert parsed.SerializeToString(deterministic=True) == message.SerializeToString(
        deterministic=True
    )
    assert message.HasField("breakdown") is priced
    assert message.HasField("policy") is (document.policy is not None)


@given(documents, st.booleans(), st.booleans())
def test_stored_json_reads_as_json_format_reads_it(
    entered: PricedDocument, priced: bool, empty_terms: bool
) -> None:
    document = with_empty_terms(entered) if empty_terms else entered
    if priced:
        try:
            document = price_document(document)
        except InvalidDocument:
            assume(False)
    stored = document_to_json(document)
    fields = fields_from_json(stored, pb.PricedDocument.DESCRIPTOR)
    assert pb.PricedDocument(**fields) == ParseDict(stored, pb.PricedDocument())
    assert document_from_json(stored) == document


@pytest.mark.parametrize(
    "unusual",
    [
        {"tax_exemption": "proto name"},
        {"groups": [{"name": "G", "lines": [{"kitParts": [{"quantity": 3}]}]}]},
        {"groups": [{"name": "G", "lines": [{"kitParts": [{"quantity": "-3"}]}]}]},
        {"groups": None},
        {"policy": {"pricesIncludeTax": "true"}},
    ],
)
def test_json_in_any_other_form_is_left_to_json_format(unusual: dict[str, object]) -> None:
    stored = {"currency": "EUR", **unusual}
    with pytest.raises(UnusualJson):
        fields_from_json(stored, pb.PricedDocument.DESCRIPTOR)
    try:
        expected = document_from_proto(ParseDict(stored, pb.PricedDocument()))
    except ParseError:
        with pytest.raises(ParseError):
            document_from_json(stored)
    else:
        assert document_from_json(stored) == expected
