"""A line's ledger when its quantity changes, a shipment's journey, and low stock crossings."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.line_changes import LineState, change_line
from inventory.domain.shipment import next_shipment_status
from inventory.domain.stock import low_stock
from servicekit.errors import FailedPrecondition, InvalidArgument

states = st.builds(LineState, st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))


@given(states, st.integers(0, 80))
def test_a_changed_line_accounts_for_every_unit(state: LineState, new_quantity: int) -> None:
    change = change_line(state, new_quantity)
    assert change.quantity == max(new_quantity, state.consumed)
    assert 0 <= change.drop_backordered <= state.backordered
    assert 0 <= change.release <= state.reserved
    assert change.more >= 0
    assert not (change.more and (change.release or change.drop_backordered))
    after = LineState(
        state.consumed,
        state.reserved - change.release,
        state.backordered - change.drop_backordered + change.more,
    )
    assert after.wanted == change.quantity


def test_a_smaller_line_drops_backorders_before_it_releases_reservations() -> None:
    change = change_line(LineState(consumed=0, reserved=5, backordered=3), 4)
    assert (change.drop_backordered, change.release) == (3, 1)


def test_a_line_never_goes_below_what_was_shipped() -> None:
    change = change_line(LineState(consumed=4, reserved=2, backordered=1), 0)
    assert (change.quantity, change.drop_backordered, change.release) == (4, 1, 2)


def test_a_shipment_moves_one_step_forward_at_a_time() -> None:
    assert next_shipment_status("dispatched", "in_transit")
    assert next_shipment_status("in_transit", "delivered")
    assert not next_shipment_status("delivered", "delivered")
    with pytest.raises(FailedPrecondition):
        next_shipment_status("dispatched", "delivered")
    with pytest.raises(FailedPrecondition):
        next_shipment_status("delivered", "in_transit")
    with pytest.raises(InvalidArgument):
        next_shipment_status("dispatched", "dispatched")
    with pytest.raises(InvalidArgument):
        next_shipment_status("dispatched", "lost")


def test_low_stock_is_announced_once_per_crossing() -> None:
    low, announced = False, []
    for available in [10, 6, 4, 3, 0, 5, 6, 2, 1]:
        check = low_stock(low, available, reorder_point=5)
        low = check.low
        announced.append(check.announce)
    assert announced == [False, False, True, False, False, False, False, True, False]


@given(st.booleans(), st.integers(-5, 20))
def test_without_a_reorder_point_stock_is_never_low(was_low: bool, available: int) -> None:
    assert low_stock(was_low, available, 0).low is False
