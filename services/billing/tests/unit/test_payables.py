"""Three-way matching of supplier bills, and revenue by month and channel: the rules, without a
database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.domain.payables import (
    HELD,
    MATCHED,
    OPEN,
    PAID,
    PARTIALLY_PAID,
    RELEASED,
    DualControl,
    LineIn,
    OrderedLine,
    Tolerance,
    bill_status,
    match_bill,
)
from billing.domain.revenue import Entry, revenue
from pricing.money import Money
from servicekit.errors import InvalidArgument, PermissionDenied

TOLERANCE = Tolerance()  # 2 % price, 0 % quantity


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


ORDERED = {
    "p1": OrderedLine("p1", "SKU-1", 10, eur("10.00")),
    "p2": OrderedLine("p2", "SKU-2", 5, eur("4.00")),
}


def match(
    lines: list[LineIn],
    received: dict[str, int] | None = None,
    billed: dict[str, int] | None = None,
    tolerance: Tolerance = TOLERANCE,
):  # type: ignore[no-untyped-def]
    return match_bill(
        "EUR", ORDERED, received or {"p1": 10, "p2": 5}, billed or {}, lines, tolerance
    )


def refused(lines: list[LineIn], **kw: object) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as error:
        match(lines, **kw)  # type: ignore[arg-type]
    return {v.field: v.description for v in error.value.violations}


def test_a_bill_as_ordered_and_received_is_matched_with_its_total() -> None:
    matched = match([LineIn("p1", 10, "10.00"), LineIn("p2", 5, "4")])
    assert (matched.status, matched.reason, matched.total) == (MATCHED, "", eur("120.00"))
    assert [(x.sku, x.ordered_quantity, x.received_quantity) for x in matched.lines] == [
        ("SKU-1", 10, 10),
        ("SKU-2", 5, 5),
    ]


@pytest.mark.parametrize(
    ("price", "status"),
    [
        ("10.20", MATCHED),  # +2 %: within
        ("9.80", MATCHED),  # -2 %
        ("10.2001", HELD),
        ("9.7999", HELD),
        ("12.00", HELD),
    ],
)
def test_a_unit_price_beyond_the_tolerance_either_way_holds_the_bill(
    price: str, status: str
) -> None:
    matched = match([LineIn("p1", 10, price)])
    assert matched.status == status
    if status == HELD:
        shown = f"{Decimal(price).normalize():f}"
        assert matched.reason == f"SKU-1: unit price {shown}, ordered at 10 (more than 2 % off)"


def test_the_price_tolerance_is_a_setting() -> None:
    assert match([LineIn("p1", 1, "10.50")], tolerance=Tolerance(Decimal(5))).status == MATCHED
    assert match([LineIn("p1", 1, "10.01")], tolerance=Tolerance(Decimal(0))).status == HELD


def test_billing_more_than_ordered_holds_the_bill_when_more_was_received() -> None:
    over = match([LineIn("p1", 12, "10.00")], received={"p1": 12})
    assert (over.status, over.reason) == (HELD, "SKU-1: billed 12 in all, ordered 10")
    # Earlier bills count: 4 + 8 = 12 of 10 ordered.
    later = match([LineIn("p1", 8, "10.00")], received={"p1": 12}, billed={"p1": 4})
    assert later.lines[0].issue == "billed 12 in all, ordered 10"
    # A quantity tolerance of 20 % lets 12 of 10 through.
    assert match(
        [LineIn("p1", 12, "10.00")],
        received={"p1": 12},
        tolerance=Tolerance(quantity_percent=Decimal(20)),
    ).status == (MATCHED)


def test_a_bill_for_fewer_than_received_is_matched_a_partial_bill() -> None:
    assert match([LineIn("p1", 3, "10.00")]).status == MATCHED


def test_bad_input_is_refused_by_field_with_the_received_quantity() -> None:
    assert refused(
        [
            LineIn("p1", 7, "10.00"),
            LineIn("p9", 1, "1.00"),
            LineIn("p1", 1, "10.00"),
            LineIn("p2", 0, "4.00"),
        ],
        received={"p1": 10, "p2": 5},
        billed={"p1": 4},
    ) == {
        "lines[0].quantity": "bills 7, more than the 6 received and not billed yet "
        "(10 received, 4 billed before)",
        "lines[1].product_id": "product 'p9' is not on the order",
        "lines[2].product_id": "product p1 is listed twice",
        "lines[3].quantity": "between 1 and 1,000,000",
    }
    assert refused([]) == {"lines": "at least one line"}
    assert refused([LineIn("p1", 1, "1e3"), LineIn("p2", 1, "-1")]) == {
        "lines[0].unit_price": "'1e3' is not a plain decimal amount",
        "lines[1].unit_price": "cannot be negative",
    }


def test_quantities_prices_and_totals_beyond_what_a_bill_can_hold_are_refused_by_field() -> None:
    plenty = {"p1": 2_000_000, "p2": 5}
    assert refused(
        [LineIn("p1", 1_000_001, "1.00"), LineIn("p2", 1, "1" + "0" * 39)], received=plenty
    ) == {
        "lines[0].quantity": "between 1 and 1,000,000",
        "lines[1].unit_price": "at most 12 digits before the point",
    }
    assert refused([LineIn("p1", 1, "1.0000001")]) == {"lines[0].unit_price": "at most 6 decimals"}
    # each price fits, the line's total (10^18) does not
    assert refused([LineIn("p1", 1_000_000, "999999999999")], received=plenty) == {
        "lines[0].unit_price": "the line's total 999999999999000000.00 EUR is beyond any bill"
    }
    # trailing zeros are not decimals
    assert match([LineIn("p1", 1, "10.000000000")]).status == MATCHED


def test_nothing_received_yet_refuses_the_bill() -> None:
    assert refused([LineIn("p2", 1, "4.00")], received={"p1": 10}) == {
        "lines[0].quantity": "bills 1, more than the 0 received and not billed yet "
        "(0 received, 0 billed before)"
    }


@given(
    st.integers(min_value=1, max_value=100_000),
    st.integers(min_value=-500, max_value=500),
    st.integers(min_value=0, max_value=10),
)
def test_a_price_is_held_exactly_when_it_strays_beyond_the_tolerance(
    ordered_cents: int, off_cents: int, percent: int
) -> None:
    ordered = Decimal(ordered_cents) / 100
    billed = max(ordered + Decimal(off_cents) / 100, Decimal(0))
    lines = {"p": OrderedLine("p", "P", 1, eur(str(ordered)))}
    result = match_bill(
        "EUR", lines, {"p": 1}, {}, [LineIn("p", 1, str(billed))], Tolerance(Decimal(percent))
    )
    beyond = abs(billed - ordered) > ordered * percent / 100
    assert result.status == (HELD if beyond else MATCHED)


def test_a_bill_is_payable_once_matched_or_released_and_paid_once_settled() -> None:
    total = eur("10.00")
    assert bill_status(total, eur("0"), HELD) == HELD
    assert bill_status(total, eur("0"), MATCHED) == OPEN
    assert bill_status(total, eur("4"), RELEASED) == PARTIALLY_PAID
    assert bill_status(total, eur("10"), MATCHED) == PAID


# Dual control -------------------------------------------------------------------------------

LIMIT = DualControl(eur("10000.00"))


@pytest.mark.parametrize(
    ("total", "applies"),
    [
        (eur("10000.00"), False),  # at the limit: one person may do it
        (eur("10000.01"), True),
        (None, True),  # no rate converts it: its size is unknown, so two people
    ],
)
def test_dual_control_applies_above_the_limit_and_when_the_size_is_unknown(
    total: Money | None, applies: bool
) -> None:
    assert LIMIT.applies(total) is applies


def test_a_bill_under_dual_control_is_released_by_someone_else_than_its_recorder() -> None:
    DualControl.check_release("b-1", recorded_by="fiona", releasing="frank")
    with pytest.raises(PermissionDenied) as refused:
        DualControl.check_release("b-1", recorded_by="fiona", releasing="fiona")
    assert refused.value.message == (
        "bill b-1 is under dual control: fiona recorded it, so another finance user must release it"
    )


# Revenue ------------------------------------------------------------------------------------


def test_revenue_is_invoiced_less_credited_per_month_and_channel() -> None:
    entries = [
        Entry(date(2026, 1, 5), "woocommerce", eur("100.00")),
        Entry(date(2026, 1, 20), "woocommerce", eur("50.00")),
        Entry(date(2026, 1, 21), "woocommerce", eur("30.00"), credit=True),
        Entry(date(2026, 2, 1), "quote", eur("200.00")),
        Entry(date(2026, 2, 2), "", eur("10.00")),
        Entry(date(2026, 2, 3), "quote", Money(Decimal(5), "USD")),
    ]
    rows, totals = revenue(entries, by_channel=True)
    assert [(r.period, r.channel, r.currency, str(r.net.amount)) for r in rows] == [
        ("2026-01", "woocommerce", "EUR", "120.00"),
        ("2026-02", "direct", "EUR", "10.00"),
        ("2026-02", "quote", "EUR", "200.00"),
        ("2026-02", "quote", "USD", "5"),
    ]
    assert (rows[0].invoices, rows[0].credit_notes) == (2, 1)
    rows, totals = revenue(entries, by_channel=False)
    assert [(r.period, r.channel, str(r.net.amount)) for r in rows if r.currency == "EUR"] == [
        ("2026-01", "all", "120.00"),
        ("2026-02", "all", "210.00"),
    ]
    assert [(t.channel, t.currency, str(t.net.amount)) for t in totals] == [
        ("all", "EUR", "330.00"),
        ("all", "USD", "5"),
    ]
