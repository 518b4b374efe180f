"""Purchase orders: how lines are priced (contracts first), the states an order goes through
as goods and bills arrive in either order, and what a low-stock alert does to a draft."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.document import Discount, PricedDocument, ShippingCharge, TaxRate
from pricing.wire import document_to_proto, verify
from procurement.domain.contracts import AgreedPrice
from procurement.domain.events import PurchaseOrderIssued, PurchaseOrderStatusChanged
from procurement.domain.limits import EnteredMoney
from procurement.domain.order_content import (
    GroupInput,
    LineInput,
    OrderContent,
    build,
    check,
    replenishment_document,
    with_defaults,
)
from procurement.domain.purchase_orders import (
    PurchaseOrder,
    Source,
    Status,
    new_purchase_order,
    purchase_order_number,
)
from procurement.domain.suppliers import Supplier
from servicekit.errors import FailedPrecondition, InvalidArgument

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
ACME = Supplier("s-1", "Acme", "", "EUR", NOW, "pat", payment_terms="30 days net")
CONTRACT = AgreedPrice(Decimal("8.500000"), "contract 'Frame 2026' (2026-01-01 to 2026-12-31)")
VAT19 = TaxRate("VAT19", "0.19")


def verified(document: PricedDocument) -> None:
    """The engine, recomputing the document as sent on the wire, agrees with its figures."""
    verify(document_to_proto(document))


def line(product_id: str, quantity: int, price: str | None = None) -> LineInput:
    entered = None if price is None else EnteredMoney(price, "EUR")
    return LineInput(product_id, sku=f"SKU-{product_id}", quantity=quantity, unit_price=entered)


def content(*lines: LineInput) -> OrderContent:
    return OrderContent(
        supplier_id="s-1",
        warehouse_id="w-1",
        groups=(GroupInput("Parts", lines, taxes=(VAT19,)),),
        shipping=(ShippingCharge("Freight", "20.00"),),
    )


def priced(*lines: LineInput) -> tuple[OrderContent, PurchaseOrder]:
    stored = with_defaults(content(*lines), ACME, TODAY)
    check(stored, ACME, TODAY)
    document = build(stored, {"p-2": CONTRACT})
    order = new_purchase_order(
        purchase_order_number(2026, 7), stored, document, Source.MANUAL, NOW, "pat"
    )
    return stored, order


def sent(*lines: LineInput) -> PurchaseOrder:
    _, order = priced(*lines)
    order.send(TODAY, NOW, "pat")
    return order


def test_a_draft_takes_the_suppliers_currency_and_terms_and_is_priced_by_the_engine() -> None:
    stored, order = priced(line("p-1", 10, "4.00"), line("p-2", 3))
    assert (stored.currency, stored.payment_terms, order.number) == (
        "EUR",
        "30 days net",
        "PO-2026-000007",
    )
    assert order.expected_on == TODAY + timedelta(days=14)
    assert order.status == Status.DRAFT
    assert [(x.product_id, x.unit_price, x.price_rule) for x in order.lines] == [
        ("p-1", "4.00", "entered"),
        ("p-2", "8.50", CONTRACT.rule),
    ]
    # 40.00 + 25.50 = 65.50 net, VAT 19 % 7.60 + 4.85 = 12.45, freight 20.00 (untaxed)
    figures = document_to_proto(order.document).breakdown
    assert (figures.net, figures.shipping, figures.total) == ("65.50", "20.00", "97.95")
    verified(order.document)


def test_the_contract_price_wins_over_an_entered_one() -> None:
    _, order = priced(line("p-2", 1, "99.00"))
    assert [(x.unit_price, x.price_rule) for x in order.lines] == [("8.50", CONTRACT.rule)]


def test_every_field_at_fault_is_named_and_a_product_has_one_line() -> None:
    bad = content(line("p-1", 0, "-1"), line("p-1", 2, "1.00"), line("", 1, "abc"))
    bad = replace(bad, currency="EUR", expected_on="2026-02-30")
    with pytest.raises(InvalidArgument) as error:
        check(with_defaults(bad, ACME, TODAY), ACME, TODAY)
    assert [v.field for v in error.value.violations] == [
        "expected_on",
        "groups[0].lines[0].quantity",
        "groups[0].lines[0].unit_price.amount",
        "groups[0].lines[1].product_id",
        "groups[0].lines[2].product_id",
        "groups[0].lines[2].unit_price.amount",
    ]


def test_an_unknown_supplier_and_a_line_no_contract_prices_are_named() -> None:
    with pytest.raises(InvalidArgument) as error:
        check(with_defaults(content(line("p-1", 1)), None, TODAY), None, TODAY)
    assert [v.field for v in error.value.violations] == ["supplier_id"]
    stored = with_defaults(content(line("p-1", 1)), ACME, TODAY)
    with pytest.raises(InvalidArgument) as unpriced:
        build(stored, {})
    assert [v.field for v in unpriced.value.violations] == ["groups[0].lines[0].unit_price"]


def test_draft_to_sent_or_cancelled_and_nothing_else() -> None:
    _, order = priced(line("p-1", 1, "1.00"))
    issued, change = order.send(TODAY, NOW, "pat")
    assert isinstance(issued, PurchaseOrderIssued)
    assert isinstance(change, PurchaseOrderStatusChanged)
    assert (change.from_status, change.to_status) == ("draft", "sent")
    with pytest.raises(FailedPrecondition) as again:
        order.send(TODAY, NOW, "pat")
    assert [v.field for v in again.value.violations] == ["status"]
    assert order.cancel(" supplier closed ", NOW, "pat")[0].reason == "supplier closed"
    with pytest.raises(FailedPrecondition):
        order.cancel("", NOW, "pat")


def test_a_draft_past_its_expected_date_cannot_be_sent() -> None:
    _, order = priced(line("p-1", 1, "1.00"))
    with pytest.raises(FailedPrecondition) as late:
        order.send(order.expected_on + timedelta(days=1), NOW, "pat")
    assert [v.field for v in late.value.violations] == ["expected_on"]


def test_goods_received_in_two_receipts_then_billed_and_paid() -> None:
    order = sent(line("p-1", 10, "1.00"), line("p-2", 5))
    first = order.receive("r-1", "w-1", {"p-1": 10, "p-2": 2}, NOW, "wh")
    assert [(c.from_status, c.to_status) for c in first] == [("sent", "partially_received")]
    assert order.receive("r-1", "w-1", {"p-1": 10}, NOW, "wh") == []  # the same receipt again
    second = order.receive("r-2", "w-1", {"p-2": 3}, NOW, "wh")
    assert [c.to_status for c in second] == ["received"]
    assert (order.received("p-1"), order.received("p-2")) == (10, 5)
    billed = {"p-1": 10, "p-2": 5}
    assert [c.to_status for c in order.record_bill("b-1", "matched", NOW, "ap", billed)] == [
        "billed"
    ]
    assert [c.to_status for c in order.bill_paid("b-1", NOW, "ap")] == ["closed"]
    assert [h.to_status for h in order.history] == [
        "sent",
        "partially_received",
        "received",
        "billed",
        "closed",
    ]


def test_a_bill_before_the_goods_waits_for_them_and_a_held_bill_moves_nothing() -> None:
    order = sent(line("p-1", 4, "1.00"))
    assert order.record_bill("b-1", "held", NOW, "ap", {"p-1": 4}) == []
    assert order.record_bill("b-1", "matched", NOW, "ap") == []  # nothing received yet
    assert order.bill_paid("b-1", NOW, "ap") == []
    moves = order.receive("r-1", "w-1", {"p-1": 4}, NOW, "wh")
    assert [(c.from_status, c.to_status) for c in moves] == [
        ("sent", "received"),
        ("received", "billed"),
        ("billed", "closed"),
    ]


def test_receipts_that_do_not_match_are_recorded_with_a_note() -> None:
    order = sent(line("p-1", 4, "1.00"))
    order.receive("r-1", "w-2", {"p-1": 6, "p-9": 1}, NOW, "wh")
    notes = {r.product_id: r.note for r in order.receipts}
    assert (
        notes["p-1"] == "over-received: 6 in all, 4 ordered; received into warehouse w-2, not w-1"
    )
    assert notes["p-9"].startswith("not on this purchase order")
    assert order.status == Status.RECEIVED
    _, draft = priced(line("p-1", 4, "1.00"))
    assert draft.receive("r-3", "w-1", {"p-1": 1}, NOW, "wh") == []
    assert draft.receipts[0].note == "the order is draft"


def test_replenishing_a_draft_raises_a_line_or_adds_one_and_never_lowers() -> None:
    price = AgreedPrice(Decimal("2.5"), "reorder rule's last known price")
    document = replenishment_document("EUR", "p-1", "SKU-1", 40, price)
    stored = with_defaults(OrderContent(supplier_id="s-1", warehouse_id="w-1"), ACME, TODAY)
    order = new_purchase_order("PO-2026-000001", stored, document, Source.REORDER, NOW, "inv")
    assert order.replenish("p-1", "SKU-1", 40, price) is False
    assert order.replenish("p-1", "SKU-1", 30, price) is False
    assert order.replenish("p-1", "SKU-1", 45, price) is True
    assert order.replenish("p-2", "SKU-2", 8, price) is True
    assert [(x.product_id, x.quantity, x.unit_price) for x in order.lines] == [
        ("p-1", 45, "2.50"),
        ("p-2", 8, "2.50"),
    ]
    assert order.total == "132.50"
    verified(order.document)
    order.send(TODAY, NOW, "pat")
    with pytest.raises(FailedPrecondition):
        order.replenish("p-3", "SKU-3", 1, price)


@given(
    quantities=st.lists(st.integers(1, 10_000), min_size=1, max_size=8),
    cents=st.lists(st.integers(0, 1_000_000), min_size=8, max_size=8),
)
def test_an_untaxed_order_totals_quantity_times_price(
    quantities: list[int], cents: list[int]
) -> None:
    lines = [
        line(f"p-{i}", q, str(Decimal(c) / 100))
        for i, (q, c) in enumerate(zip(quantities, cents, strict=False))
    ]
    stored = with_defaults(
        OrderContent(
            supplier_id="s-1", warehouse_id="w-1", groups=(GroupInput(lines=tuple(lines)),)
        ),
        ACME,
        TODAY,
    )
    check(stored, ACME, TODAY)
    document = build(stored, {})
    expected = sum(Decimal(q) * Decimal(c) / 100 for q, c in zip(quantities, cents, strict=False))
    assert Decimal(document.breakdown.total) == expected


@given(
    ordered=st.lists(st.integers(1, 100), min_size=1, max_size=5),
    receipts=st.lists(st.tuples(st.integers(0, 4), st.integers(1, 60)), max_size=12),
)
def test_the_status_follows_what_has_arrived(
    ordered: list[int], receipts: list[tuple[int, int]]
) -> None:
    order = sent(*[line(f"p-{i}", q, "1.00") for i, q in enumerate(ordered)])
    for n, (which, quantity) in enumerate(receipts):
        order.receive(f"r-{n}", "w-1", {f"p-{which}": quantity}, NOW, "wh")
    arrived = {f"p-{i}": 0 for i in range(len(ordered))}
    for which, quantity in receipts:
        if f"p-{which}" in arrived:
            arrived[f"p-{which}"] += quantity
    if all(arrived[f"p-{i}"] >= q for i, q in enumerate(ordered)):
        assert order.status == Status.RECEIVED
    elif any(arrived.values()):
        assert order.status == Status.PARTIALLY_RECEIVED
    else:
        assert order.status == Status.SENT
    assert sum(r.quantity for r in order.receipts) == sum(q for _, q in receipts)


def test_numbers_are_zero_padded_per_year() -> None:
    assert purchase_order_number(2026, 1) == "PO-2026-000001"
    assert purchase_order_number(2027, 123456) == "PO-2027-123456"


def test_a_discount_larger_than_its_line_or_group_is_refused_naming_it() -> None:
    greedy = replace(line("p-1", 2, "10.00"), discount=Discount(amount="20.01"))
    with pytest.raises(InvalidArgument) as on_line:
        build(with_defaults(content(greedy), ACME, TODAY), {})
    assert [v.field for v in on_line.value.violations] == ["groups[0].lines[0].discount"]
    group = GroupInput(
        "Parts", (line("p-1", 2, "10.00"),), discount=Discount(percent="100", amount="1")
    )
    too_much = replace(content(), groups=(group,))
    with pytest.raises(InvalidArgument) as on_group:
        build(with_defaults(too_much, ACME, TODAY), {})
    assert [v.field for v in on_group.value.violations] == ["groups[0].discount"]
