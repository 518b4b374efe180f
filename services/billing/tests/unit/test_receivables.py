"""Allocating payments to open documents, and ageing what stays open: the rules, without a
database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.domain.receivables import (
    BUCKETS,
    CURRENT,
    DAYS_1_30,
    DAYS_31_60,
    DAYS_61_90,
    DAYS_OVER_90,
    AgedItem,
    OpenItem,
    Requested,
    age,
    bucket_of,
    plan,
)
from pricing.money import Money
from servicekit.errors import InvalidArgument

TODAY = date(2026, 3, 31)


def eur(amount: str | Decimal) -> Money:
    return Money(Decimal(amount), "EUR")


def item(id_: str, open_: str, due: date = TODAY, party: str = "C-1", **kw: object) -> OpenItem:
    return OpenItem(id_, party, due, eur(open_), number=id_, **kw)  # type: ignore[arg-type]


def refused(*args: object, **kw: object) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as error:
        plan(*args, **kw)  # type: ignore[arg-type]
    return {v.field: v.description for v in error.value.violations}


def test_without_allocations_the_oldest_due_invoices_are_paid_first_and_the_rest_is_credit() -> (
    None
):
    items = {
        "b": item("b", "50.00", TODAY),
        "a": item("a", "30.00", TODAY - timedelta(days=10)),
        "c": item("c", "40.00", TODAY + timedelta(days=5)),
        "usd": OpenItem("usd", "C-1", TODAY - timedelta(days=99), Money(Decimal(5), "USD")),
        "other": item("other", "10.00", TODAY - timedelta(days=99), party="C-2"),
    }
    paid = plan(eur("100.00"), "C-1", items, None)
    assert [(a.item_id, a.amount) for a in paid.allocations] == [
        ("a", eur("30.00")),
        ("b", eur("50.00")),
        ("c", eur("20.00")),
    ]
    assert paid.unapplied == eur("0.00")
    more = plan(eur("150.00"), "C-1", items, None)
    assert (more.allocated, more.unapplied) == (eur("120.00"), eur("30.00"))


def test_explicit_allocations_are_taken_as_given_and_the_rest_is_credit() -> None:
    items = {"a": item("a", "30.00"), "b": item("b", "50.00")}
    paid = plan(
        eur("60.00"),
        "C-1",
        items,
        [Requested("b", eur("25.00")), Requested("a", eur("30.00"))],
    )
    assert [(a.item_id, a.amount) for a in paid.allocations] == [
        ("b", eur("25.00")),
        ("a", eur("30.00")),
    ]
    assert paid.unapplied == eur("5.00")


def test_every_bad_allocation_is_refused_by_its_field() -> None:
    items = {
        "a": item("a", "30.00"),
        "b": item("b", "50.00"),
        "c": item("c", "50.00"),
        "theirs": item("theirs", "5.00", party="C-2"),
        "held": item("held", "5.00", payable=False),
    }
    assert refused(
        eur("500.00"),
        "C-1",
        items,
        [
            Requested("a", eur("30.01")),
            Requested("nope", eur("1")),
            Requested("theirs", eur("1")),
            Requested("a", eur("1")),
            Requested("b", Money(Decimal(1), "USD")),
            Requested("c", eur("0.001")),
            Requested("held", eur("1")),
            Requested("", eur("1")),
        ],
    ) == {
        "allocations[0].amount": "exceeds the invoice's open amount of 30.00 EUR",
        "allocations[1].invoice_id": "no invoice nope",
        "allocations[2].invoice_id": "invoice theirs is not customer C-1's",
        "allocations[3].invoice_id": "invoice a is listed twice",
        "allocations[4].amount.currency": "must be the payment's, EUR",
        "allocations[5].amount": "at most 2 decimals in EUR",
        "allocations[6].invoice_id": "invoice held is held and cannot be paid",
        "allocations[7].invoice_id": "required",
    }


def test_allocations_adding_up_to_more_than_the_payment_are_refused() -> None:
    items = {"a": item("a", "30.00"), "b": item("b", "50.00")}
    assert refused(
        eur("40.00"), "C-1", items, [Requested("a", eur("30")), Requested("b", eur("20"))]
    ) == {"allocations": "allocate 50.00 EUR in all, more than the payment of 40.00 EUR"}


cents = st.integers(min_value=0, max_value=1_000_000).map(lambda c: eur(Decimal(c) / 100))
positive_cents = st.integers(min_value=1, max_value=1_000_000).map(lambda c: eur(Decimal(c) / 100))
open_items = st.lists(
    st.tuples(cents, st.integers(min_value=-200, max_value=200)), min_size=0, max_size=12
).map(
    lambda xs: {
        f"i{n}": item(f"i{n}", str(m.amount), TODAY + timedelta(days=d))
        for n, (m, d) in enumerate(xs)
    }
)


@given(positive_cents, open_items)
def test_oldest_due_first_never_exceeds_an_open_amount_and_keeps_every_cent(
    payment: Money, items: dict[str, OpenItem]
) -> None:
    paid = plan(payment, "C-1", items, None)
    assert paid.allocated + paid.unapplied == payment
    assert paid.unapplied.amount >= 0
    for allocation in paid.allocations:
        assert 0 < allocation.amount.amount <= items[allocation.item_id].open.amount
    assert len({a.item_id for a in paid.allocations}) == len(paid.allocations)
    # Credit is left only once every open invoice is paid off.
    if paid.unapplied.amount > 0:
        assert paid.allocated.amount == sum(i.open.amount for i in items.values())


@given(
    positive_cents,
    open_items,
    st.lists(st.tuples(st.integers(0, 14), positive_cents), min_size=1, max_size=8),
)
def test_explicit_allocations_are_all_taken_or_all_refused(
    payment: Money, items: dict[str, OpenItem], asks: list[tuple[int, Money]]
) -> None:
    requested = [Requested(f"i{n}", amount) for n, amount in asks]
    try:
        paid = plan(payment, "C-1", items, requested)
    except InvalidArgument as error:
        refusals = error.violations
    else:
        refusals = ()
    if refusals:
        return
    assert paid.allocated + paid.unapplied == payment
    assert paid.unapplied.amount >= 0
    for allocation in paid.allocations:
        assert allocation.amount.amount <= items[allocation.item_id].open.amount
    assert [(a.item_id, a.amount) for a in paid.allocations] == [
        (r.item_id, r.amount) for r in requested
    ]


# Ageing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [
        (-30, CURRENT),
        (0, CURRENT),
        (1, DAYS_1_30),
        (30, DAYS_1_30),
        (31, DAYS_31_60),
        (60, DAYS_31_60),
        (61, DAYS_61_90),
        (90, DAYS_61_90),
        (91, DAYS_OVER_90),
        (4000, DAYS_OVER_90),
    ],
)
def test_a_document_falls_in_the_bucket_of_its_days_past_due(days_late: int, bucket: str) -> None:
    assert bucket_of(TODAY - timedelta(days=days_late), TODAY) == bucket


def test_ageing_groups_by_customer_and_currency_and_shows_credit_beside_the_buckets() -> None:
    aging = age(
        [
            AgedItem("C-1", TODAY, eur("10.00")),
            AgedItem("C-1", TODAY - timedelta(days=45), eur("20.00")),
            AgedItem("C-2", TODAY - timedelta(days=100), eur("5.00")),
            AgedItem("C-2", TODAY - timedelta(days=100), eur("0.00")),  # paid: not counted
            AgedItem("C-1", TODAY, Money(Decimal(7), "USD")),
        ],
        TODAY,
        {("C-1", "EUR"): eur("3.00"), ("C-3", "EUR"): eur("4.00")},
    )
    assert [(x.party_id, x.currency, x.total, x.documents) for x in aging.lines] == [
        ("C-1", "EUR", eur("30.00"), 2),
        ("C-1", "USD", Money(Decimal(7), "USD"), 1),
        ("C-2", "EUR", eur("5.00"), 1),
        ("C-3", "EUR", eur("0"), 0),
    ]
    c1 = aging.lines[0]
    assert (c1.bucket(CURRENT), c1.bucket(DAYS_31_60), c1.credit) == (
        eur("10.00"),
        eur("20.00"),
        eur("3.00"),
    )
    eur_total = aging.totals[0]
    assert (eur_total.currency, eur_total.total, eur_total.credit) == (
        "EUR",
        eur("35.00"),
        eur("7.00"),
    )
    assert eur_total.bucket(DAYS_OVER_90) == eur("5.00")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["C-1", "C-2", "C-3"]),
            st.integers(min_value=-100, max_value=400),
            cents,
        ),
        max_size=40,
    )
)
def test_the_buckets_always_add_up_to_the_open_documents(
    documents: list[tuple[str, int, Money]],
) -> None:
    items = [AgedItem(c, TODAY - timedelta(days=d), m) for c, d, m in documents]
    aging = age(items, TODAY)
    open_total = sum((m.amount for _, _, m in documents), Decimal(0))
    for line in [*aging.lines, *aging.totals]:
        assert line.total.amount == sum(line.bucket(b).amount for b in BUCKETS)
    assert sum((t.total.amount for t in aging.totals), Decimal(0)) == open_total
    assert sum((x.total.amount for x in aging.lines), Decimal(0)) == open_total
    for customer in ("C-1", "C-2", "C-3"):
        mine = sum((m.amount for c, _, m in documents if c == customer), Decimal(0))
        shown = sum((x.total.amount for x in aging.lines if x.party_id == customer), Decimal(0))
        assert shown == mine
