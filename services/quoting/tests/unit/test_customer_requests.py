"""Customer requests without I/O: what registering checks, the state machine (open -> quoted
once, open -> lost with a reason, nothing else) and the lost-demand report's arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.money import Money
from quoting.domain.events import RequestLost, RequestQuoted, RequestRegistered
from quoting.domain.lost_demand import MonthlyLoss, Period, lost_demand, period_of, report_span
from quoting.domain.request import (
    NEED,
    Contact,
    CustomerRequest,
    LostReason,
    RequestInput,
    RequestStatus,
    request_number,
)
from servicekit.errors import FailedPrecondition, InvalidArgument

AT = datetime(2026, 12, 5, 10, 15, tzinfo=UTC)


def given_input(**changes: object) -> RequestInput:
    fields: dict[str, object] = {
        "source": "phone",
        "need": "  200 widgets before Christmas  ",
        "value_amount": "1200.00",
        "value_currency": "EUR",
        "customer_id": "C-1",
        "contact": Contact(" Ada ", "ada@example.com", ""),
    }
    return RequestInput(**(fields | changes))  # type: ignore[arg-type]


def an_open_request(**changes: object) -> CustomerRequest:
    request, _ = CustomerRequest.register(
        "r-1", "REQ-2026-000001", given_input(**changes), "sam", "north", AT, "sam"
    )
    return request


def fields_at_fault(error: pytest.ExceptionInfo[InvalidArgument]) -> list[str]:
    return [v.field for v in error.value.violations]


def test_a_registered_request_is_open_trimmed_and_announced() -> None:
    request, events = CustomerRequest.register(
        "r-1", "REQ-2026-000001", given_input(), "sam", "north", AT, "olga"
    )
    assert request.status is RequestStatus.OPEN
    assert (request.need, request.contact.name) == ("200 widgets before Christmas", "Ada")
    assert request.value_estimate == Money(Decimal("1200.00"), "EUR")
    assert (request.owner, request.team, request.created_by) == ("sam", "north", "olga")
    assert request.closed_at is None
    assert events == [
        RequestRegistered(
            "r-1", "REQ-2026-000001", "phone", "C-1", "sam", "north", request.value_estimate
        )
    ]


def test_a_prospect_may_register_without_a_customer() -> None:
    assert an_open_request(customer_id="").customer_id == ""


def test_registering_names_every_field_at_fault() -> None:
    wrong = given_input(
        source="fax",
        need=" ",
        value_amount="-1",
        value_currency="XXX",
        contact=Contact("x" * 201, "", "1" * 51),
    )
    with pytest.raises(InvalidArgument) as refused:
        CustomerRequest.register("r-1", "REQ-1", wrong, "sam", "", AT, "sam")
    assert fields_at_fault(refused) == [
        "source",
        "need",
        "contact.name",
        "contact.phone",
        "value_estimate.amount",
        "value_estimate.currency",
    ]


@pytest.mark.parametrize("amount", ["abc", "1e3", "1234567890123.00", "1.1234567", "NaN"])
def test_an_estimate_must_be_a_storable_plain_amount(amount: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        an_open_request(value_amount=amount)
    assert fields_at_fault(refused) == ["value_estimate.amount"]


def test_the_need_is_bounded() -> None:
    an_open_request(need="x" * NEED)
    with pytest.raises(InvalidArgument) as refused:
        an_open_request(need="x" * (NEED + 1))
    assert fields_at_fault(refused) == ["need"]


def test_request_numbers_are_numbered_like_quotes() -> None:
    assert request_number(2026, 1) == "REQ-2026-000001"
    assert request_number(2027, 123456) == "REQ-2027-123456"


def test_quoting_closes_an_open_request_once() -> None:
    request = an_open_request()
    later = AT + timedelta(hours=1)
    assert request.quote("q-1", later) == [RequestQuoted("r-1", "q-1")]
    assert (request.status, request.quote_id, request.closed_at) == (
        RequestStatus.QUOTED,
        "q-1",
        later,
    )
    with pytest.raises(FailedPrecondition) as refused:
        request.quote("q-2", later)
    assert [v.field for v in refused.value.violations] == ["status"]
    assert request.quote_id == "q-1"


def test_losing_records_the_reason_and_the_value_lost() -> None:
    request = an_open_request()
    events = request.lose("competitor", "  went with ACME ", AT)
    assert events == [RequestLost("r-1", "competitor", "went with ACME", request.value_estimate)]
    assert (request.status, request.lost_reason, request.lost_note) == (
        RequestStatus.LOST,
        LostReason.COMPETITOR,
        "went with ACME",
    )


def test_a_lost_reason_must_be_known_and_a_note_bounded() -> None:
    request = an_open_request()
    with pytest.raises(InvalidArgument) as refused:
        request.lose("weather", "", AT)
    assert fields_at_fault(refused) == ["reason"]
    with pytest.raises(InvalidArgument) as refused:
        request.lose("price", "x" * 2001, AT)
    assert fields_at_fault(refused) == ["note"]
    assert request.status is RequestStatus.OPEN


# The state machine: any sequence of attempts leaves a request open, or closed by its first
# successful transition, never changed after that.
Attempt = st.one_of(
    st.tuples(st.just("quote"), st.sampled_from(["q-1", "q-2"])),
    st.tuples(st.just("lose"), st.sampled_from([*LostReason, "weather"])),
)


@given(st.lists(Attempt, max_size=6))
def test_a_request_closes_once_and_stays_closed(attempts: list[tuple[str, str]]) -> None:
    request = an_open_request()
    closed_by: tuple[str, str] | None = None
    for kind, value in attempts:
        try:
            if kind == "quote":
                request.quote(value, AT)
            else:
                request.lose(value, "", AT)
        except FailedPrecondition:
            assert closed_by is not None
            continue
        except InvalidArgument:
            assert value not in set(LostReason)
            continue
        assert closed_by is None  # a success only ever from open
        closed_by = (kind, value)
    if closed_by is None:
        assert (request.status, request.closed_at) == (RequestStatus.OPEN, None)
    elif closed_by[0] == "quote":
        assert (request.status, request.quote_id, request.lost_reason) == (
            RequestStatus.QUOTED,
            closed_by[1],
            None,
        )
    else:
        assert (request.status, request.quote_id) == (RequestStatus.LOST, "")
        assert request.lost_reason == LostReason(closed_by[1])


# The lost-demand report


def test_periods_are_months_or_quarters() -> None:
    assert period_of(date(2026, 12, 1), Period.MONTH) == "2026-12"
    assert [period_of(date(2026, m, 1), Period.QUARTER) for m in (1, 3, 4, 9, 10, 12)] == [
        "2026-Q1",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2026-Q4",
    ]


def test_the_report_sums_by_period_and_reason_per_currency() -> None:
    losses = [
        MonthlyLoss(date(2026, 10, 1), "price", "EUR", 2, Decimal("100.000000")),
        MonthlyLoss(date(2026, 11, 1), "price", "EUR", 1, Decimal("50.5")),
        MonthlyLoss(date(2026, 11, 1), "price", "USD", 1, Decimal("10")),
        MonthlyLoss(date(2026, 11, 1), "timing", "EUR", 3, Decimal("0")),
    ]
    monthly = lost_demand(losses, Period.MONTH)
    assert [(r.period, r.reason, r.requests, r.value) for r in monthly.rows] == [
        ("2026-10", "price", 2, (Money(Decimal("100.00"), "EUR"),)),
        ("2026-11", "price", 2, (Money(Decimal("50.50"), "EUR"), Money(Decimal("10.00"), "USD"))),
        ("2026-11", "timing", 3, (Money(Decimal("0.00"), "EUR"),)),
    ]
    quarterly = lost_demand(losses, Period.QUARTER)
    assert [(r.period, r.reason, r.requests) for r in quarterly.rows] == [
        ("2026-Q4", "price", 4),
        ("2026-Q4", "timing", 3),
    ]
    assert [(t.reason, t.requests, t.value) for t in quarterly.totals] == [
        ("price", 4, (Money(Decimal("150.50"), "EUR"), Money(Decimal("10.00"), "USD"))),
        ("timing", 3, (Money(Decimal("0.00"), "EUR"),)),
    ]


Loss = st.builds(
    MonthlyLoss,
    st.builds(date, st.integers(2025, 2027), st.integers(1, 12), st.just(1)),
    st.sampled_from(list(LostReason)).map(str),
    st.sampled_from(["EUR", "USD"]),
    st.integers(1, 50),
    st.decimals(0, 10**6, places=2),
)


@given(st.lists(Loss, max_size=30), st.sampled_from(list(Period)))
def test_rows_and_totals_add_up_to_what_was_lost(losses: list[MonthlyLoss], period: Period) -> None:
    report = lost_demand(losses, period)
    assert sum(r.requests for r in report.rows) == sum(x.requests for x in losses)
    assert sum(t.requests for t in report.totals) == sum(x.requests for x in losses)
    for total in report.totals:
        rows = [r for r in report.rows if r.reason == total.reason]
        assert total.requests == sum(r.requests for r in rows)
        for money in total.value:
            assert money.amount == sum(
                (m.amount for r in rows for m in r.value if m.currency == money.currency),
                Decimal(0),
            )


def test_a_report_needs_dates_in_order_and_a_known_period() -> None:
    assert report_span("2026-01-01", "2026-12-31", "") == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        Period.MONTH,
    )
    for args, field in [
        (("2026-13-01", "2026-12-31", "month"), "from_date"),
        (("2026-01-01", "", "month"), "to_date"),
        (("2026-02-01", "2026-01-31", "month"), "to_date"),
        (("2020-01-01", "2026-01-31", "month"), "to_date"),
        (("2026-01-01", "2026-01-31", "week"), "period"),
    ]:
        with pytest.raises(InvalidArgument) as refused:
            report_span(*args)
        assert fields_at_fault(refused) == [field]
