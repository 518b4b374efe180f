"""What a command must say: every quantity and size bounded (naming the field at fault), and an
order ships only once approved and while not held."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.checks import (
    MAX_LINES,
    check_adjustment,
    check_expectation,
    check_receipt,
    check_reorder_point,
    check_shipment,
    check_transfer,
    check_warehouse,
)
from inventory.domain.reservation import shipping_refusal
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import InvalidArgument

within = st.integers(1, MAX_QUANTITY)
beyond = st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_QUANTITY + 1))


def fields_of(error: pytest.ExceptionInfo[InvalidArgument]) -> list[str]:
    return [v.field for v in error.value.violations]


@given(within)
def test_quantities_up_to_the_bound_are_accepted(units: int) -> None:
    check_adjustment("w", "p", units, "count")
    check_adjustment("w", "p", -units, "count")
    check_receipt("w", [("p", units)], "", "")
    check_expectation("po", "w", [("p", units)])
    check_transfer("w1", "w2", "p", units, "")
    check_shipment("o", "w", "DHL", "", [("l", units)])
    check_reorder_point("p", "w", units)


@given(beyond)
def test_quantities_beyond_the_bound_name_their_field(units: int) -> None:
    refusals = [
        (lambda: check_receipt("w", [("p", units)], "", ""), ["lines[0].quantity"]),
        (lambda: check_expectation("po", "w", [("p", units)]), ["lines[0].quantity"]),
        (lambda: check_transfer("w1", "w2", "p", units, ""), ["quantity"]),
        (lambda: check_shipment("o", "w", "DHL", "", [("l", units)]), ["lines[0].quantity"]),
    ]
    if units == 0 or abs(units) > MAX_QUANTITY:  # a removal (< 0) within the bound is fine
        refusals.append((lambda: check_adjustment("w", "p", units, "count"), ["quantity_delta"]))
    if units < 0 or units > MAX_QUANTITY:
        refusals.append((lambda: check_reorder_point("p", "w", units), ["reorder_point"]))
    for call, fields in refusals:
        with pytest.raises(InvalidArgument) as error:
            call()
        assert fields_of(error) == fields


@pytest.mark.parametrize(
    ("call", "fields"),
    [
        (lambda: check_adjustment("w", "p", 0, "count"), ["quantity_delta"]),
        (lambda: check_adjustment("w", "p" * 65, 1, "x" * 501), ["product_id", "reason"]),
        (lambda: check_warehouse("MAIN", "n" * 201), ["name"]),
        (
            lambda: check_receipt("w", [("p", 1)], "po" * 40, "r" * 65),
            ["purchase_order_id", "receipt_id"],
        ),
        (lambda: check_receipt("w", [("p", 1)] * (MAX_LINES + 1), "", ""), ["lines"]),
        (lambda: check_transfer("w1", "w2", "p", 1, "x" * 501), ["reason"]),
        (
            lambda: check_shipment("o", "w", "c" * 101, "t" * 101, []),
            ["carrier", "tracking_number"],
        ),
    ],
)
def test_texts_and_lists_are_bounded_like_their_columns(call: object, fields: list[str]) -> None:
    with pytest.raises(InvalidArgument) as error:
        call()  # type: ignore[operator]
    assert fields_of(error) == fields


def test_an_order_ships_only_when_approved_and_not_on_hold() -> None:
    assert shipping_refusal("o-1", approved=True, on_hold=False, hold_reason="") is None
    assert shipping_refusal("o-1", False, False, "") == "order o-1 is not approved yet"
    held = "credit limit 500.00 EUR exceeded by 120.00 EUR"
    assert shipping_refusal("o-1", True, True, held) == f"order o-1 is on hold: {held}"
    assert shipping_refusal("o-1", False, True, "") == "order o-1 is on hold: no reason given"
