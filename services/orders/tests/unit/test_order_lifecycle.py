from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.domain.model import (
    CatalogProduct,
    OrderRequest,
    SalesOrder,
    Status,
    check_request,
    place,
)
from pricing.money import Money
from servicekit.errors import InvalidArgument

NOW = datetime(2026, 11, 24, tzinfo=UTC)
CATALOG = {
    "p1": CatalogProduct("p1", "SKU-1", Money.of("12.50", "EUR"), True),
    "p2": CatalogProduct("p2", "SKU-2", Money.of("0.333", "EUR"), True),
    "p3": CatalogProduct("p3", "SKU-3", Money.of("5", "USD"), True),
}


def an_order(*lines: tuple[str, int]) -> SalesOrder:
    return place(OrderRequest("C-1", "EUR", list(lines), ""), CATALOG, NOW, "alice")


def test_an_order_is_priced_from_the_catalog_and_rounded_per_line() -> None:
    order = an_order(("p1", 3), ("p2", 3))
    assert [line.total.amount for line in order.lines] == [Decimal("37.50"), Decimal("1.00")]
    assert order.total == Money.of("38.50", "EUR")
    assert order.channel == "direct"


def test_every_fault_in_a_request_is_reported_with_its_field() -> None:
    with pytest.raises(InvalidArgument) as error:
        check_request(OrderRequest("", "XYZ", [("p1", 0), ("p1", 1)], ""))
    assert [v.field for v in error.value.violations] == [
        "customer_id",
        "currency",
        "lines[0].quantity",
        "lines[1].product_id",
    ]


def test_unknown_and_mispriced_products_are_refused() -> None:
    with pytest.raises(InvalidArgument) as error:
        an_order(("nope", 1), ("p3", 1))
    assert [v.field for v in error.value.violations] == ["lines[0].product_id", "currency"]


def test_the_happy_path_moves_through_every_stage_in_order() -> None:
    order = an_order(("p1", 3))
    order.stock_reserved()
    order.shipped({order.lines[0].id: 1})
    order.invoiced()
    order.shipped({order.lines[0].id: 2})
    order.invoiced()
    assert [(c.from_status, c.to_status) for c in order.changes] == [
        (Status.PLACED, Status.RESERVED),
        (Status.RESERVED, Status.PARTIALLY_SHIPPED),
        (Status.PARTIALLY_SHIPPED, Status.SHIPPED),
        (Status.SHIPPED, Status.INVOICED),
    ]


def test_an_invoice_that_overtakes_its_shipment_still_settles_the_order() -> None:
    order = an_order(("p1", 1))
    order.stock_reserved()
    order.invoiced()
    order.shipped({order.lines[0].id: 1})
    assert order.status is Status.INVOICED


def test_an_early_invoice_is_a_change_to_record_even_though_no_status_moves() -> None:
    order = an_order(("p1", 1))
    order.stock_reserved()
    order.changes.clear()
    order.changed = False
    order.invoiced()
    assert (order.changes, order.changed, order.invoices) == ([], True, 1)


def test_late_or_repeated_stock_events_change_nothing_and_rejection_is_final() -> None:
    order = an_order(("p1", 1))
    order.stock_rejected("insufficient stock")
    order.stock_reserved()
    order.stock_rejected("again")
    assert (order.status, order.status_reason, len(order.changes)) == (
        Status.REJECTED,
        "insufficient stock",
        1,
    )
    with pytest.raises(ValueError, match="rejected"):
        order.shipped({order.lines[0].id: 1})


STAGES = list(Status)


@given(st.lists(st.sampled_from(["reserve", "reject", "ship1", "invoice"]), max_size=12))
def test_status_only_moves_forward_and_never_ships_more_than_ordered(steps: list[str]) -> None:
    order = an_order(("p1", 3))
    for step in steps:
        before = order.status
        try:
            {
                "reserve": order.stock_reserved,
                "reject": lambda: order.stock_rejected("short"),
                "ship1": lambda: order.shipped({order.lines[0].id: 1}),
                "invoice": order.invoiced,
            }[step]()
        except ValueError:
            assert before is Status.REJECTED or order.lines[0].shipped == 3
        assert order.lines[0].shipped <= order.lines[0].quantity
        if before is Status.REJECTED:
            assert order.status is Status.REJECTED
    for change in order.changes:
        assert STAGES.index(change.to_status) > STAGES.index(change.from_status) or (
            change.from_status is Status.PARTIALLY_SHIPPED
            and change.to_status is Status.PARTIALLY_SHIPPED
        )
