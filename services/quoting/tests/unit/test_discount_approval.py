"""The discount approval rule (quoting.domain.approval) and its place in a quote's lifecycle:
which discounts need a sales manager's approval, why, and what an approval allows."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.document import Discount, PricedDocument
from quoting.domain.approval import (
    Approval,
    ApprovalStatus,
    assess,
    excesses,
    percent_text,
    share,
)
from quoting.domain.build import build
from quoting.domain.content import GroupInput, QuoteContent, stored_form
from quoting.domain.events import QuoteApprovalRequested, QuoteDiscountDecided, QuoteRevised
from quoting.domain.model import Quote, Status
from servicekit.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.quoting.tests.builders import CATALOG, NOW, TODAY, content, free_text

TWENTY = Decimal(20)
percents = st.decimals(min_value=0, max_value=100, places=2)
# Whole cents from 0.01 to 10,000.00.
prices = st.integers(min_value=1, max_value=1_000_000).map(lambda c: Decimal(c) / 100)


def priced(quote_content: QuoteContent) -> PricedDocument:
    return build(stored_form(quote_content, TODAY), CATALOG, {})


def one_line(price: Decimal, discount: Discount, quantity: int = 1) -> PricedDocument:
    return priced(content(free_text(str(price), quantity, discount=discount)))


def whats(document: PricedDocument, threshold: Decimal = TWENTY) -> list[str]:
    return [x.what for x in excesses(document, threshold)]


# The arithmetic.


@given(base=prices, percent=percents)
def test_a_fixed_amount_counts_as_the_share_it_takes(base: Decimal, percent: Decimal) -> None:
    amount = base * percent / 100
    by_amount = share(base, Discount(amount=str(amount)))
    assert abs(by_amount - percent) < Decimal("1e-20")
    assert share(base, Discount(percent=str(percent))) == percent


@given(base=prices, percent=percents, cents=st.integers(min_value=0, max_value=1_000_000))
def test_a_percentage_and_an_amount_add_up(base: Decimal, percent: Decimal, cents: int) -> None:
    amount = Decimal(cents) / 100
    both = share(base, Discount(str(percent), str(amount)))
    assert abs(both - (percent + amount * 100 / base)) < Decimal("1e-20")


@given(price=prices, percent=percents, threshold=percents)
def test_a_line_needs_approval_exactly_when_its_discount_is_above_the_threshold(
    price: Decimal, percent: Decimal, threshold: Decimal
) -> None:
    document = one_line(price, Discount(percent=str(percent)))
    assert ("line 1" in whats(document, threshold)) == (percent > threshold)
    if percent > threshold:
        assert assess(document, threshold).status is ApprovalStatus.PENDING


@given(price=prices, percent=percents, low=percents, high=percents)
def test_what_needs_approval_under_a_threshold_needs_it_under_a_lower_one(
    price: Decimal, percent: Decimal, low: Decimal, high: Decimal
) -> None:
    low, high = min(low, high), max(low, high)
    document = one_line(price, Discount(percent=str(percent)), quantity=3)
    if whats(document, high):
        assert whats(document, low)


@given(percent=percents)
def test_assess_is_pending_with_a_reason_or_not_required_without(percent: Decimal) -> None:
    document = one_line(Decimal(100), Discount(percent=str(percent)))
    approval = assess(document, TWENTY)
    if excesses(document, TWENTY):
        assert approval.status is ApprovalStatus.PENDING
        assert approval.reason
    else:
        assert approval == Approval()


# Which discount, and why.


def test_the_reason_names_the_line_its_share_and_the_threshold() -> None:
    lines = (free_text("50"), free_text("100", discount=Discount(percent="35")))
    document = priced(content(*lines))
    approval = assess(document, TWENTY)
    assert approval.status is ApprovalStatus.PENDING
    assert approval.reason == ("line 2: 35% off is above the 20% that needs approval")


def test_a_fixed_amount_is_its_share_of_the_line() -> None:
    document = one_line(Decimal("80"), Discount(amount="28"))  # 35 % of 80
    assert assess(document, TWENTY).reason.startswith("line 1: 35% off")
    assert whats(one_line(Decimal("80"), Discount(amount="16"))) == []  # exactly 20 %


def test_exactly_the_threshold_needs_no_approval() -> None:
    assert assess(one_line(Decimal(100), Discount(percent="20")), TWENTY) == Approval()
    assert whats(one_line(Decimal(100), Discount(percent="20.01"))) == ["line 1"]


def test_a_group_discount_is_a_share_of_what_its_lines_leave() -> None:
    group = GroupInput(
        "Hardware",
        (free_text("100", discount=Discount(percent="10")), free_text("100")),
        discount=Discount(amount="40"),  # 40 of the 190 left: 21.05 %
    )
    document = priced(replace(content(), groups=(group,)))
    assert whats(document) == ["group 'Hardware'"]
    assert assess(document, TWENTY).reason == (
        "group 'Hardware': 21.05% off is above the 20% that needs approval"
    )


def test_discounts_each_under_the_threshold_that_together_are_above_it() -> None:
    group = GroupInput(
        "Main", (free_text("100", discount=Discount(percent="15")),), Discount(percent="10")
    )
    document = priced(replace(content(), groups=(group,)))
    assert assess(document, TWENTY).reason == (
        "the quote: 23.5% off is above the 20% that needs approval"
    )


def test_many_discounts_are_named_up_to_three_and_counted() -> None:
    lines = [free_text("10", discount=Discount(percent="50")) for _ in range(5)]
    reason = assess(priced(content(*lines)), TWENTY).reason
    assert reason == (
        "line 1: 50% off; line 2: 50% off; line 3: 50% off; and 2 more "
        "are above the 20% that needs approval"
    )


def test_shares_read_as_people_write_them() -> None:
    assert [percent_text(Decimal(x)) for x in ("35", "35.000", "33.3333", "20.50", "0")] == [
        "35",
        "35",
        "33.33",
        "20.5",
        "0",
    ]


# The lifecycle.


def big_discount() -> QuoteContent:
    return stored_form(content(free_text("100", discount=Discount(percent="35"))), TODAY)


def small_discount() -> QuoteContent:
    return stored_form(content(free_text("100", discount=Discount(percent="5"))), TODAY)


def created(quote_content: QuoteContent, by: str = "sam") -> tuple[Quote, list[object]]:
    document = build(quote_content, CATALOG, {})
    quote, events = Quote.create("q-1", quote_content, document, NOW, by, "north", TWENTY)
    return quote, list(events)


def test_a_big_discount_asks_for_approval_and_blocks_sending() -> None:
    quote, events = created(big_discount())
    assert quote.approval.status is ApprovalStatus.PENDING
    assert events[1] == QuoteApprovalRequested(
        "q-1", 1, "sam", "north", quote.approval.reason, quote.total
    )
    with pytest.raises(FailedPrecondition) as refused:
        quote.send(TODAY)
    assert [v.field for v in refused.value.violations] == ["approval"]
    assert quote.status is Status.DRAFT


def test_a_manager_approves_then_the_quote_can_be_sent_and_accepted() -> None:
    quote, _ = created(big_discount())
    events = quote.decide("approve", " fine ", "nina", NOW)
    assert events == [QuoteDiscountDecided("q-1", 1, "approved", "nina", "fine")]
    assert quote.approval == Approval(
        ApprovalStatus.APPROVED, quote.approval.reason, "nina", NOW, "fine"
    )
    quote.send(TODAY)
    quote.accept("", TODAY)
    assert quote.status is Status.ACCEPTED


def test_a_rejected_discount_blocks_sending_until_the_content_changes() -> None:
    quote, _ = created(big_discount())
    quote.decide("reject", "too much", "nina", NOW)
    with pytest.raises(FailedPrecondition):
        quote.send(TODAY)
    assert quote.update(small_discount(), build(small_discount(), CATALOG, {}), TWENTY) == []
    assert quote.approval == Approval()
    quote.send(TODAY)


def test_no_one_decides_on_their_own_quote() -> None:
    quote, _ = created(big_discount(), by="nina")  # a manager's quote for sam
    for own in ("sam", "nina"):
        with pytest.raises(PermissionDenied):
            quote.decide("approve", "", own, NOW)
    assert quote.approval.status is ApprovalStatus.PENDING


def test_only_a_pending_approval_is_decided() -> None:
    quote, _ = created(small_discount())
    with pytest.raises(FailedPrecondition) as refused:
        quote.decide("approve", "", "nina", NOW)
    assert [v.field for v in refused.value.violations] == ["approval"]
    quote, _ = created(big_discount())
    quote.decide("approve", "", "nina", NOW)
    with pytest.raises(FailedPrecondition):
        quote.decide("reject", "", "olga", NOW)


def test_a_decision_is_approve_or_reject_with_a_bounded_note() -> None:
    quote, _ = created(big_discount())
    with pytest.raises(InvalidArgument) as unknown:
        quote.decide("maybe", "", "nina", NOW)
    assert [v.field for v in unknown.value.violations] == ["decision"]
    with pytest.raises(InvalidArgument) as long:
        quote.decide("approve", "x" * 2001, "nina", NOW)
    assert [v.field for v in long.value.violations] == ["note"]


def test_a_change_that_keeps_a_big_discount_needs_a_new_approval() -> None:
    quote, _ = created(big_discount())
    quote.decide("approve", "", "nina", NOW)
    events = quote.update(big_discount(), build(big_discount(), CATALOG, {}), TWENTY)
    assert [type(e) for e in events] == [QuoteApprovalRequested]
    assert quote.approval.status is ApprovalStatus.PENDING
    assert quote.approval.decided_by == ""


def test_a_revision_of_an_approved_quote_goes_back_to_pending() -> None:
    quote, _ = created(big_discount())
    quote.decide("approve", "", "nina", NOW)
    quote.send(TODAY)
    events = quote.revise(quote.content, quote.document, TWENTY)
    assert [type(e) for e in events] == [QuoteRevised, QuoteApprovalRequested]
    assert (quote.version, quote.approval.status) == (2, ApprovalStatus.PENDING)


def test_a_sent_quote_whose_approval_is_pending_is_not_accepted() -> None:
    quote, _ = created(big_discount())
    quote.status = Status.SENT  # as stored before the rule, or by any other path
    with pytest.raises(FailedPrecondition) as refused:
        quote.accept("sales_order", TODAY)
    assert [v.field for v in refused.value.violations] == ["approval"]
    assert quote.status is Status.SENT


def test_the_threshold_is_the_settings() -> None:
    quote_content = big_discount()
    document = build(quote_content, CATALOG, {})
    quote, _ = Quote.create("q-1", quote_content, document, NOW, "sam", "", Decimal(40))
    assert quote.approval.status is ApprovalStatus.NOT_REQUIRED
