"""quote_json, POST /quotes' answer written without Quote's models, says exactly what Quote says
of the same message: every field, null where Quote has null, the same timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from gateway.quotes.schemas import Quote, quote_json
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from servicekit.grpc import timestamp
from services.gateway.tests.unit.test_quotes_api import DOCUMENT, QUOTE


def _unpriced_line() -> pb.Quote:
    """A line the breakdown has no figures for, and no breakdown at all in another group."""
    quote = pb.Quote()
    quote.CopyFrom(QUOTE)
    quote.document.groups.add(name="Later").lines.add(line_id="l-3", quantity="1")
    return quote


def _without_breakdown() -> pb.Quote:
    quote = pb.Quote()
    quote.CopyFrom(QUOTE)
    quote.document.ClearField("breakdown")
    return quote


def _dated() -> pb.Quote:
    quote = pb.Quote(
        id="q-2",
        status="accepted",
        converted_to="invoice",
        converted_id="i-1",
        team="north",
        number="Q-2026-000007",
        order_stalled="",
        created_at=timestamp(datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)),
        updated_at=timestamp(datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=UTC)),
        total=Money(amount="9.99", currency="USD"),
        lines=[
            pb.QuoteLine(
                description="x",
                quantity=3,
                unit_price=Money(amount="3.33", currency="USD"),
                line_total=Money(amount="9.99", currency="USD"),
            )
        ],
        document=pricing.PricedDocument(currency="USD", tax_exemption="export"),
    )
    return quote


@pytest.mark.parametrize(
    "quote",
    [QUOTE, pb.Quote(id="q-empty"), _unpriced_line(), _without_breakdown(), _dated()],
    ids=["priced", "no document", "unpriced line", "no breakdown", "dated"],
)
def test_quote_json_says_what_quote_says(quote: pb.Quote) -> None:
    expected = Quote.model_validate(quote).model_dump_json()
    assert json.loads(quote_json(quote)) == json.loads(expected)
    assert list(json.loads(quote_json(quote))) == list(Quote.model_fields)


def test_the_documents_lines_keep_their_figures() -> None:
    (group,) = json.loads(quote_json(QUOTE))["document"]["groups"]
    assert [line["net"] for line in group["lines"]] == ["90.00", "13.50"]
    assert DOCUMENT.breakdown.total == json.loads(quote_json(QUOTE))["document"]["totals"]["total"]
