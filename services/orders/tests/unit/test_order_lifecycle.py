"""The order and its pipeline without I/O: placing, moving, the saga's events, exceptions, and the
domain events each transition returns."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.adapters.events import to_message
from orders.domain import pipeline as stages
from orders.domain.credit import Exposure
from orders.domain.events import (
    SalesOrderApproved,
    SalesOrderCancelled,
    SalesOrderEvent,
    SalesOrderHoldChanged,
    SalesOrderLinesChanged,
    SalesOrderNoted,
    SalesOrderStatusChanged,
)
from orders.domain.forecast import OpenOrder, forecast
from orders.domain.pipeline import CONTRACT, STANDARD, from_definition, to_definition
from orders.domain.placing import CatalogProduct, OrderRequest, Placer, check_request, place
from orders.domain.sales_order import SalesOrder
from pricing.money import Money
from servicekit.errors import FailedPrecondition, InvalidArgument, PermissionDenied

NOW = datetime(2026, 11, 24, tzinfo=UTC)
CATALOG = {
    "p1": CatalogProduct("p1", "SKU-1", Money.of("12.50", "EUR"), True, Decimal("7.00"), "cat-a"),
    "p2": CatalogProduct("p2", "SKU-2", Money.of("0.333", "EUR"), True),
    "p3": CatalogProduct("p3", "SKU-3", Money.of("5", "USD"), True),
    "kit": CatalogProduct(
        "kit",
        "KIT-1",
        Money.of("30", "EUR"),
        True,
        components=(("p1", "SKU-1", 2), ("p2", "SKU-2", 5)),
    ),
}


NO_LIMIT = Exposure(None)
ALICE = Placer("alice", "alice", "north")


def an_order(*lines: tuple[str, int], order_type: str = "standard") -> SalesOrder:
    request = OrderRequest(
        "C-1", "EUR", [(p, q, "2026-12-01") for p, q in lines], "", order_type=order_type
    )
    order, _ = place(request, CATALOG, NOW, ALICE)
    return order


def executing(*lines: tuple[str, int]) -> SalesOrder:
    order = an_order(*lines)
    order.advance(STANDARD, NO_LIMIT)
    return order


def announced(events: list[SalesOrderEvent]) -> list[SalesOrderEvent]:
    """What else than moves and notes the events announce."""
    return [e for e in events if not isinstance(e, SalesOrderStatusChanged | SalesOrderNoted)]


def moves(events: list[SalesOrderEvent]) -> list[tuple[str, str]]:
    return [(e.from_status, e.to_status) for e in events if isinstance(e, SalesOrderStatusChanged)]


def test_an_order_is_priced_from_the_catalog_and_rounded_per_line() -> None:
    order = an_order(("p1", 3), ("p2", 3))
    assert [line.total.amount for line in order.lines] == [Decimal("37.50"), Decimal("1.00")]
    assert order.total == Money.of("38.50", "EUR")
    assert (order.channel, order.status, order.salesperson, order.team) == (
        "direct",
        "request",
        "alice",
        "north",
    )
    assert order.lines[0].needed_by is not None
    assert (order.lines[0].unit_cost, order.lines[0].category_id) == (Decimal("7.00"), "cat-a")


def test_every_fault_in_a_request_is_reported_with_its_field() -> None:
    bad = OrderRequest("", "XYZ", [("p1", 0, "tomorrow"), ("p1", 1, "")], "", order_type="x")
    with pytest.raises(InvalidArgument) as error:
        check_request(bad)
    assert [v.field for v in error.value.violations] == [
        "customer_id",
        "currency",
        "order_type",
        "lines[0].quantity",
        "lines[0].needed_by",
        "lines[1].product_id",
    ]


def test_unknown_and_mispriced_products_are_refused() -> None:
    with pytest.raises(InvalidArgument) as error:
        an_order(("nope", 1), ("p3", 1))
    assert [v.field for v in error.value.violations] == ["lines[0].product_id", "currency"]


def test_a_standard_order_in_credit_goes_straight_to_execution_with_its_cost_fixed() -> None:
    order = an_order(("p1", 3))
    events = order.advance(STANDARD, NO_LIMIT)
    assert moves(events) == [
        ("request", "approval"),
        ("approval", "execution"),
    ]
    assert announced(events) == [SalesOrderApproved(order.id)]
    assert order.estimated_cost == Decimal("21.00")
    # each move names the order's channel, so a consumer of one channel skips the others
    changes = [e for e in events if isinstance(e, SalesOrderStatusChanged)]
    assert {e.channel for e in changes} == {"direct"}
    assert {message_of(e).channel for e in changes} == {"direct"}


def message_of(event: SalesOrderStatusChanged) -> Any:
    found = to_message(event)
    assert found is not None
    return found[0]


def test_an_order_over_the_credit_limit_stops_at_approval_with_the_figures() -> None:
    order = an_order(("p1", 8))  # 100.00 EUR
    exposure = Exposure(Money.of("500", "EUR"), (Money.of("350", "EUR"),), (Money.of("60", "EUR"),))
    held = order.advance(STANDARD, exposure)
    assert order.status == "approval"
    assert order.credit_hold == (
        "credit limit 500.00 EUR exceeded: exposure would be 510.00 EUR (open invoices"
        " 350.00 EUR, open orders 60.00 EUR, this order 100.00 EUR)"
    )
    assert announced(held) == [SalesOrderHoldChanged(order.id, True, order.credit_hold)]
    assert SalesOrderNoted(order.id, f"credit hold: {order.credit_hold}") in held
    with pytest.raises(FailedPrecondition):
        order.transition(STANDARD, "execution", ["order-desk"], {}, "", False, exposure)
    with pytest.raises(PermissionDenied, match="finance"):
        order.transition(STANDARD, "execution", ["order-desk"], {}, "", True, exposure)
    released = order.transition(
        STANDARD, "execution", ["finance", "order-desk"], {}, "ok'd", True, exposure
    )
    assert (order.status, order.credit_hold) == ("execution", "")
    assert announced(released) == [
        SalesOrderHoldChanged(order.id, False, "released by finance: ok'd"),
        SalesOrderApproved(order.id),
    ]


def test_finance_alone_releases_a_credit_hold_though_the_pipeline_names_the_order_desk() -> None:
    order = an_order(("p1", 8))
    exposure = Exposure(Money.of("50", "EUR"))
    order.advance(STANDARD, exposure)
    with pytest.raises(PermissionDenied, match="order-desk"):  # no release: a normal move
        order.transition(STANDARD, "execution", ["finance"], {}, "", False, exposure)
    order.transition(STANDARD, "execution", ["finance"], {}, "", True, exposure)
    assert order.status == "execution"


def test_an_order_in_credit_again_is_released_when_the_order_desk_moves_it_on() -> None:
    order = an_order(("p1", 8))
    order.advance(STANDARD, Exposure(Money.of("50", "EUR")))
    events = order.transition(STANDARD, "execution", ["order-desk"], {}, "", False, NO_LIMIT)
    assert announced(events) == [
        SalesOrderHoldChanged(order.id, False, "in credit"),
        SalesOrderApproved(order.id),
    ]


def test_after_an_event_no_automatic_move_enters_execution_unchecked() -> None:
    order = an_order(("p1", 1))
    events = order.advance(STANDARD, None)
    assert (order.status, announced(events)) == ("approval", [])


def test_the_pipeline_refuses_a_forbidden_move_a_wrong_role_and_a_missing_field() -> None:
    order = an_order(("p1", 1), order_type="contract")
    order.advance(CONTRACT, NO_LIMIT)
    assert order.status == "request"  # nothing automatic for contracts
    with pytest.raises(FailedPrecondition, match="from request to shipped"):
        order.transition(CONTRACT, "shipped", ["admin"], {}, "", False, NO_LIMIT)
    with pytest.raises(PermissionDenied):
        order.transition(CONTRACT, "approval", ["warehouse"], {}, "", False, NO_LIMIT)
    order.transition(CONTRACT, "approval", ["sales"], {}, "", False, NO_LIMIT)
    with pytest.raises(InvalidArgument) as missing:
        order.transition(CONTRACT, "execution", ["order-desk"], {}, "", False, NO_LIMIT)
    assert [v.field for v in missing.value.violations] == ["contract_number", "payment_terms"]
    assert order.status == "approval"
    fields = {"contract_number": "K-17", "payment_terms": "30 days net"}
    order.transition(CONTRACT, "execution", ["order-desk"], fields, "signed", False, NO_LIMIT)
    assert (order.status, order.contract_number) == ("execution", "K-17")


def test_backorders_partial_shipments_invoices_and_payment_close_the_order() -> None:
    order = executing(("p1", 5))
    line = order.lines[0].id
    events = order.stock_reserved({line: 3}, {line: 2})
    assert (order.stock_status, order.backordered) == ("backordered", 2)
    events += order.shipped(STANDARD, "s1", {line: 3})
    events += order.invoiced(STANDARD)
    events += order.backorder_allocated({line: 2}, complete=True)
    assert order.stock_status == "reserved"
    events += order.shipped(STANDARD, "s2", {line: 2})
    events += order.invoiced(STANDARD)
    assert order.status == "invoiced"
    events += order.invoice_paid(STANDARD)
    assert order.status == "invoiced"  # one of two invoices paid
    events += order.invoice_paid(STANDARD)
    assert [to for _, to in moves(events)][-4:] == ["shipped", "invoiced", "paid", "closed"]


def test_an_invoice_that_overtakes_its_shipment_still_settles_the_order() -> None:
    order = executing(("p1", 1))
    order.invoiced(STANDARD)
    order.shipped(STANDARD, "s1", {order.lines[0].id: 1})
    assert order.status == "invoiced"


def test_cancelling_needs_a_reason_and_the_role_and_a_cancelled_order_cannot_ship() -> None:
    order = executing(("p1", 2))
    with pytest.raises(InvalidArgument):
        order.cancel(STANDARD, ["order-desk"], " ")
    with pytest.raises(PermissionDenied):
        order.cancel(STANDARD, ["warehouse"], "customer changed mind")
    events = order.cancel(STANDARD, ["order-desk"], "customer changed mind")
    assert (order.status, events[-1]) == (
        "cancelled",
        SalesOrderCancelled(order.id, "customer changed mind"),
    )
    with pytest.raises(ValueError, match="cancelled"):
        order.shipped(STANDARD, "s1", {order.lines[0].id: 1})


def test_quantities_change_only_above_what_has_shipped() -> None:
    order = executing(("p1", 5), ("p2", 1))
    first, second = (line.id for line in order.lines)
    order.shipped(STANDARD, "s1", {first: 2})
    with pytest.raises(InvalidArgument) as refused:
        order.change({first: 1}, None)
    assert [v.field for v in refused.value.violations] == [f"lines[{first}].quantity"]
    events = order.change({first: 3, second: 0}, {"city": "Berlin"})
    assert [(line.sku, line.quantity) for line in order.lines] == [("SKU-1", 3)]
    assert order.shipping_address == {"city": "Berlin"}
    assert any(isinstance(e, SalesOrderLinesChanged) for e in events)


def test_a_return_is_authorised_for_shipped_units_not_yet_returned() -> None:
    order = executing(("p1", 5))
    line = order.lines[0].id
    order.shipped(STANDARD, "s1", {line: 3})
    with pytest.raises(InvalidArgument):
        order.authorize_return({line: 4}, "damaged", {})
    with pytest.raises(InvalidArgument):
        order.authorize_return({line: 2}, "damaged", {line: 2})
    authorised, _ = order.authorize_return({line: 2}, "damaged", {})
    order.return_received(authorised.id, {line: 2})
    assert order.lines[0].returned == 2


def test_a_pipeline_survives_its_stored_form_and_a_bad_one_is_refused_whole() -> None:
    assert from_definition("contract", to_definition(CONTRACT)) == CONTRACT
    broken = to_definition(STANDARD)
    broken["stages"] = [s for s in broken["stages"] if s["name"] != "paid"]
    broken["transitions"][0]["roles"] = []
    broken["transitions"].append({"from": "execution", "to": "shipped", "roles": ["sales"]})
    with pytest.raises(InvalidArgument) as refused:
        from_definition("standard", broken)
    fields = [v.field for v in refused.value.violations]
    assert "stages" in fields
    assert any(f.endswith(".roles") for f in fields)


def test_the_forecast_weights_open_orders_by_their_stage() -> None:
    month = NOW.date()
    expected = forecast(
        [
            OpenOrder(Money.of("100", "EUR"), "standard", "request", month),
            OpenOrder(Money.of("200", "EUR"), "standard", "approval", month),
            OpenOrder(Money.of("50", "USD"), "contract", "execution", month),
        ],
        {"standard": STANDARD, "contract": CONTRACT},
    )
    assert expected == {("2026-11", "EUR"): Decimal("110.0"), ("2026-11", "USD"): Decimal("45.0")}


STEPS = ["reserve", "backorder", "ship1", "invoice", "paid", "cancel"]


@given(st.lists(st.sampled_from(STEPS), max_size=14))
def test_no_sequence_of_events_ships_more_than_ordered_or_leaves_a_final_stage(
    steps: list[str],
) -> None:
    order = executing(("p1", 3))
    line = order.lines[0].id
    for step in steps:
        before = order.status
        try:
            if step == "reserve":
                order.stock_reserved({line: 3}, {})
            elif step == "backorder":
                order.stock_reserved({line: 1}, {line: 2})
            elif step == "ship1":
                order.shipped(STANDARD, "s1", {line: 1})
            elif step == "invoice":
                order.invoiced(STANDARD)
            elif step == "paid":
                order.invoice_paid(STANDARD)
            else:
                order.cancel(STANDARD, ["order-desk"], "no longer needed")
        except (ValueError, FailedPrecondition):
            assert order.status == before  # a refused step moves nothing
        assert 0 <= order.lines[0].shipped <= order.lines[0].quantity
        if before in (stages.CLOSED, stages.CANCELLED):
            assert order.status == before


def test_a_kit_is_sold_at_its_own_price_and_picked_by_its_components() -> None:
    order = an_order(("kit", 2), ("p1", 1))
    assert order.document is not None
    assert order.total == Money.of("72.50", "EUR")  # 2 x 30.00 + 12.50
    assert sorted((line.sku, line.quantity) for line in order.lines) == [
        ("SKU-1", 1),
        ("SKU-1", 4),
        ("SKU-2", 10),
    ]


def test_a_huge_quantity_a_long_channel_or_reference_and_a_big_address_are_refused() -> None:
    bad = OrderRequest(
        "C-1",
        "EUR",
        [("p1", 1_000_001, "")],
        "c" * 51,
        salesperson=" sam",
        shipping_address={f"k{i}": "v" for i in range(21)} | {"city": "x" * 201},
        external_reference="r" * 101,
    )
    with pytest.raises(InvalidArgument) as error:
        check_request(bad)
    assert [v.field for v in error.value.violations] == [
        "channel",
        "external_reference",
        "salesperson",
        "shipping_address",
        "shipping_address.city",
        "lines[0].quantity",
    ]


def test_lines_whose_sum_no_column_can_keep_are_refused_on_lines() -> None:
    dear = {p: CatalogProduct(p, p.upper(), Money.of("999999.99", "EUR"), True) for p in ("d", "e")}
    cheap = {"c": CatalogProduct("c", "CHEAP", Money.of("1", "EUR"), True)}
    # each line fits NUMERIC(18, 6); their sum does not
    request = OrderRequest("C-1", "EUR", [("d", 1_000_000, ""), ("e", 1_000_000, "")], "")
    with pytest.raises(InvalidArgument) as error:
        place(request, dear, NOW, ALICE)
    assert [v.field for v in error.value.violations] == ["lines"]
    order, _ = place(OrderRequest("C-1", "EUR", [("c", 1, "")], ""), cheap, NOW, ALICE)
    order.lines[0].unit_price = Money.of("999999999999", "EUR")  # as if priced so long ago
    with pytest.raises(InvalidArgument) as changed:
        order.change({order.lines[0].id: 2}, None)
    assert [v.field for v in changed.value.violations] == ["lines"]
    assert order.lines[0].quantity == 1


def test_a_changed_quantity_stays_within_bounds() -> None:
    order = executing(("p1", 1))
    with pytest.raises(InvalidArgument) as error:
        order.change({order.lines[0].id: 1_000_001}, None)
    assert [v.field for v in error.value.violations] == [f"lines[{order.lines[0].id}].quantity"]


def test_a_transitions_fields_are_bounded_by_their_columns() -> None:
    order = an_order(("p1", 1), order_type="contract")
    with pytest.raises(InvalidArgument) as error:
        order.transition(
            CONTRACT, "approval", ["sales"], {"contract_number": "K" * 101}, "", False, NO_LIMIT
        )
    assert [v.field for v in error.value.violations] == ["fields.contract_number"]
