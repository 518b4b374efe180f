"""Payments, credit notes and due dates: the arithmetic, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.domain.credit_notes import credit_note_number
from billing.domain.invoices import (
    CREDITED,
    OPEN,
    PAID,
    PARTIALLY_PAID,
    Account,
    due_date,
    payment_days,
)
from billing.domain.returns import (
    BilledLine,
    CannotCredit,
    KitPart,
    NotInvoicedYet,
    credit_return,
    kits_returned,
    unit_net,
)
from pricing.money import Money
from servicekit.errors import InvalidArgument


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def fields(error: InvalidArgument) -> dict[str, str]:
    return {v.field: v.description for v in error.violations}


def test_payments_move_an_invoice_from_open_to_partially_paid_to_paid() -> None:
    account = Account.new(eur("100.00"))
    assert account.status == OPEN
    account = account.pay(eur("30.00"))
    assert (account.status, account.balance) == (PARTIALLY_PAID, eur("70.00"))
    account = account.pay(eur("70"))
    assert (account.status, account.balance.amount) == (PAID, 0)


def test_paying_more_than_the_balance_is_refused_on_amount() -> None:
    account = Account.new(eur("100.00")).pay(eur("60.00"))
    with pytest.raises(InvalidArgument) as refused:
        account.pay(eur("40.01"))
    assert fields(refused.value) == {"amount": "exceeds the invoice's balance of 40.00 EUR"}


@pytest.mark.parametrize(
    ("amount", "field", "why"),
    [
        (Money.of("10", "USD"), "amount.currency", "must be the invoice's currency, EUR"),
        (eur("0"), "amount", "must be more than zero"),
        (eur("-5"), "amount", "must be more than zero"),
        (eur("1.005"), "amount", "at most 2 decimals in EUR"),
    ],
)
def test_a_payment_in_another_currency_or_not_positive_or_too_precise_is_refused(
    amount: Money, field: str, why: str
) -> None:
    with pytest.raises(InvalidArgument) as refused:
        Account.new(eur("100.00")).pay(amount)
    assert fields(refused.value) == {field: why}


def test_a_credit_note_on_a_paid_invoice_is_owed_back_not_taken_off_the_balance() -> None:
    account = Account.new(eur("100.00")).pay(eur("80.00"))
    credited, unapplied = account.credit(eur("50.00"))
    assert (credited.credited, unapplied, credited.balance.amount) == (
        eur("20.00"),
        eur("30.00"),
        0,
    )
    assert credited.status == PAID


def test_a_cancellation_marks_the_invoice_credited_whatever_was_paid() -> None:
    account = Account.new(eur("100.00")).pay(eur("10.00"))
    cancelled, unapplied = account.credit(eur("100.00"), cancelled=True)
    assert (cancelled.status, unapplied, cancelled.balance.amount) == (CREDITED, eur("10.00"), 0)


def test_an_unpaid_invoice_credited_in_full_is_credited_and_stays_so() -> None:
    account, _ = Account.new(eur("100.00")).credit(eur("100.00"))
    assert account.status == CREDITED
    with pytest.raises(InvalidArgument):
        account.pay(eur("0.01"))


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2),
    st.lists(
        st.tuples(
            st.sampled_from(["pay", "credit", "cancel"]),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2),
        ),
        max_size=12,
    ),
)
def test_the_balance_is_never_negative_and_payments_and_credits_never_exceed_the_total(
    total: Decimal, steps: list[tuple[str, Decimal]]
) -> None:
    account = Account.new(eur(str(total)))
    owed_back = eur("0")
    for kind, amount in steps:
        if kind == "pay":
            try:
                account = account.pay(eur(str(amount)))
            except InvalidArgument:
                assert amount > account.balance.amount or account.status == CREDITED
        else:
            account, unapplied = account.credit(eur(str(amount)), cancelled=kind == "cancel")
            owed_back = owed_back + unapplied
            assert Decimal(0) <= unapplied.amount <= amount
        assert account.balance.amount >= 0
        assert account.paid.amount + account.credited.amount <= total
        assert account.status in {OPEN, PARTIALLY_PAID, PAID, CREDITED}
        if account.balance.amount > 0 and account.status != CREDITED:
            assert account.status == (PARTIALLY_PAID if account.paid.amount else OPEN)


def line(
    invoice: str,
    line_id: str,
    quantity: int,
    total: str,
    unit: str,
    returned: int = 0,
    credited: str = "0",
) -> BilledLine:
    return BilledLine(
        invoice, line_id, f"p-{line_id}", f"SKU-{line_id}", quantity, eur(total), eur(unit),
        returned, eur(credited),
    )  # fmt: skip


def test_returned_units_are_credited_at_the_order_price_oldest_invoice_first() -> None:
    billed = [line("i1", "a", 3, "37.50", "12.50"), line("i2", "a", 2, "25.00", "12.50")]
    credits = credit_return(billed, [("a", 4)], {"a": 5})
    assert [(c.invoice_id, c.quantity, c.amount) for c in credits] == [
        ("i1", 3, eur("37.50")),
        ("i2", 1, eur("12.50")),
    ]


def test_the_last_units_of_a_line_take_exactly_what_is_left_of_it() -> None:
    # A document line: 3 units for a net of 10.01; 2 of them are 6.6733 -> 6.67 (half up).
    unit = unit_net(eur("10.01"), 3)
    assert unit == eur("3.34")
    billed = [line("i1", "a", 3, "10.01", "3.34")]
    (first,) = credit_return(billed, [("a", 2)], {"a": 3})
    assert first.amount == eur("6.67")
    after = [line("i1", "a", 3, "10.01", "3.34", returned=2, credited="6.67")]
    (last,) = credit_return(after, [("a", 1)], {"a": 3})
    assert last.amount == eur("3.34")


def test_a_return_of_a_line_not_ordered_or_more_than_ordered_can_never_be_credited() -> None:
    billed = [line("i1", "a", 3, "37.50", "12.50", returned=1, credited="12.50")]
    with pytest.raises(CannotCredit, match="not on the order"):
        credit_return(billed, [("z", 1)], {"a": 3})
    with pytest.raises(CannotCredit, match="ordered 3, returned 1 before"):
        credit_return(billed, [("a", 3)], {"a": 3})


def test_a_return_of_units_not_invoiced_yet_waits() -> None:
    with pytest.raises(NotInvoicedYet):
        credit_return([line("i1", "a", 1, "12.50", "12.50")], [("a", 2)], {"a": 5})


def test_a_kit_is_credited_once_all_its_parts_are_back_in_whole_kits() -> None:
    parts = [KitPart("w", "kit", 1, picked=2), KitPart("b", "kit", 4, picked=8)]
    complete, counts = kits_returned(parts, {"w": 2, "b": 5})
    assert (complete, counts) == ({"kit": 1}, {"w": 2, "b": 5})
    later = [KitPart("w", "kit", 1, 2, returned=2), KitPart("b", "kit", 4, 8, returned=5)]
    assert kits_returned(later, {"b": 3}) == ({"kit": 1}, {"w": 2, "b": 8})
    with pytest.raises(CannotCredit, match="picked 8"):
        kits_returned(later, {"b": 4})


@given(
    st.integers(min_value=1, max_value=50),
    st.decimals(min_value=0, max_value=10000, places=2),
    st.lists(st.integers(min_value=1, max_value=10), max_size=20),
)
def test_credits_of_a_line_never_exceed_it_and_add_up_to_it_once_all_is_back(
    quantity: int, net: Decimal, returns: list[int]
) -> None:
    total = eur(str(net))
    unit = unit_net(total, quantity)
    returned, credited = 0, eur("0")
    for wanted in returns:
        billed = [
            line("i1", "a", quantity, str(net), str(unit.amount), returned, str(credited.amount))
        ]
        take = min(wanted, quantity - returned)
        if take == 0:
            break
        (credit,) = credit_return(billed, [("a", take)], {"a": quantity})
        assert credit.amount.amount >= 0
        returned, credited = returned + take, credited + credit.amount
        assert credited.amount <= net
    if returned == quantity:
        assert credited == total


@pytest.mark.parametrize(
    ("terms", "days"),
    [
        ("30 days net", 30),
        ("Net 14", 14),
        ("NET60", 60),
        ("2/10 net 30", 30),
        ("10 days", 10),
        ("45", 45),
        ("due on receipt", 0),
        ("", 30),
        ("end of month", 30),
    ],
)
def test_payment_terms_give_the_days_to_pay(terms: str, days: int) -> None:
    assert payment_days(terms) == days


def test_the_due_date_is_the_issue_date_plus_the_terms() -> None:
    assert due_date(date(2026, 1, 15), "30 days net") == date(2026, 2, 14)
    assert due_date(date(2026, 1, 15), "") == date(2026, 2, 14)


def test_credit_notes_are_numbered_per_year() -> None:
    assert credit_note_number(2026, 7) == "CN-2026-000007"
