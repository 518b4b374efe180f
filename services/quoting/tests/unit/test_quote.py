from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.money import minor_units
from quoting.domain.model import QuoteRequest, draft
from servicekit.errors import InvalidArgument

NOW = datetime(2026, 11, 24, tzinfo=UTC)


def test_lines_round_half_up_and_the_total_is_their_sum() -> None:
    quote = draft(
        QuoteRequest(
            "C-1", "sam", "EUR", [("Install", 2, "99.995", "EUR"), ("Cable", 3, "0.125", "EUR")]
        ),
        NOW,
        "sam",
    )
    assert [line.total.amount for line in quote.lines] == [Decimal("199.99"), Decimal("0.38")]
    assert quote.total.amount == Decimal("200.37")


def test_every_bad_field_is_named() -> None:
    with pytest.raises(InvalidArgument) as error:
        draft(QuoteRequest("", "", "EUR", [("", 0, "x", "EUR"), ("ok", 1, "1", "USD")]), NOW, "sam")
    assert [v.field for v in error.value.violations] == [
        "customer_id",
        "salesperson",
        "lines[0].description",
        "lines[0].quantity",
        "lines[0].unit_price",
        "lines[1].unit_price",
    ]


@given(
    st.lists(
        st.tuples(st.integers(1, 50), st.decimals(0, 1000, places=4)), min_size=1, max_size=30
    ),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_the_total_equals_the_sum_of_rounded_lines(
    lines: list[tuple[int, Decimal]], currency: str
) -> None:
    quote = draft(
        QuoteRequest("C", "s", currency, [("x", q, str(p), currency) for q, p in lines]), NOW, "s"
    )
    assert quote.total.amount == sum(line.total.amount for line in quote.lines)
    for line in quote.lines:
        assert (
            abs(line.total.amount - line.unit_price.amount * line.quantity)
            <= Decimal(1).scaleb(-minor_units(currency)) / 2
        )
