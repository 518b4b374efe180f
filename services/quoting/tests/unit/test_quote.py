"""Quotes without I/O: building from catalog answers, and the lifecycle."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.document import figure_text as text
from pricing.wire import document_to_proto, verify
from printing.letterhead import Letterhead
from printing.pdf import page_text
from quoting.adapters.pdf import PdfPrinter
from quoting.domain.build import build, price_requests
from quoting.domain.content import LineInput, UnitPrice, check, references
from quoting.domain.customer import Customer
from quoting.domain.events import QuoteAccepted, QuoteExpired, QuoteRevised, QuoteSent
from quoting.domain.limits import MAX_LINES
from quoting.domain.model import Quote, Status
from servicekit.errors import FailedPrecondition, InvalidArgument
from services.quoting.tests.builders import CATALOG, TODAY, VAT19, a_quote, content, prices


def test_catalog_lines_take_the_resolved_price_and_free_text_lines_their_own() -> None:
    wanted = content(
        LineInput(sku="W-1", quantity=2, taxes=(VAT19,)),
        LineInput(description="Installation", quantity=1, unit_price=UnitPrice("80", "EUR")),
    )
    assert references(wanted) == ({"W-1"}, set())
    assert price_requests(wanted, CATALOG) == {("p-w", 2)}
    document = document_to_proto(build(wanted, CATALOG, prices(w="10.00")))
    first, second = document.groups[0].lines
    assert (first.sku, first.unit_price, first.description, first.kind) == (
        "W-1",
        "10.00",
        "Widget",
        "stocked",
    )
    assert (second.product_id, second.unit_price, second.price_rule) == ("", "80", "entered")
    # 20.00 + 3.80 VAT + 80 (untaxed)
    assert document.breakdown.total == "103.80"
    verify(document)


def test_a_kit_is_one_line_with_its_parts_or_a_line_per_component_as_it_says() -> None:
    one = document_to_proto(
        build(content(LineInput(sku="K-1", quantity=2)), CATALOG, prices(k="25.00"))
    )
    (line,) = one.groups[0].lines
    assert (line.sku, line.quantity, line.kind) == ("K-1", "2", "kit")
    assert [(p.sku, p.quantity) for p in line.kit_parts] == [("W-1", 1), ("B-1", 4)]
    assert one.breakdown.total == "50.00"

    wanted = content(LineInput(sku="K-2", quantity=2))
    assert price_requests(wanted, CATALOG) == {("p-w", 2), ("p-b", 8)}
    loose = document_to_proto(build(wanted, CATALOG, prices(w="10.00", b="0.25")))
    assert [(x.sku, x.quantity, x.unit_price) for x in loose.groups[0].lines] == [
        ("W-1", "2", "10.00"),
        ("B-1", "8", "0.25"),
    ]
    assert loose.breakdown.total == "22.00"


def test_unknown_discontinued_and_unpriced_products_are_each_named() -> None:
    wanted = content(
        LineInput(sku="NOPE", quantity=1),
        LineInput(sku="O-1", quantity=1),
        LineInput(sku="B-1", quantity=1),
    )
    with pytest.raises(InvalidArgument) as refused:
        build(wanted, CATALOG, prices(w="1"))
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("groups[0].lines[0].sku", "no product NOPE in the catalog"),
        ("groups[0].lines[1].sku", "O-1 is discontinued"),
        ("groups[0].lines[2].sku", "B-1 has no price in EUR"),
    ]


def test_bad_content_names_every_field_before_the_catalog_is_asked() -> None:
    wanted = content(
        LineInput(sku="W-1", quantity=-1),
        LineInput(quantity=1),
        LineInput(description="fee", quantity=1, unit_price=UnitPrice("5", "USD")),
        customer_id=" ",
        valid_until="2026-11-24",
    )
    with pytest.raises(InvalidArgument) as refused:
        check(wanted, TODAY)
    assert [v.field for v in refused.value.violations] == [
        "customer_id",
        "valid_until",
        "groups[0].lines[0].quantity",
        "groups[0].lines[1].description",
        "groups[0].lines[1].unit_price",
        "groups[0].lines[2].unit_price.currency",
    ]


def test_a_quote_of_more_lines_than_allowed_is_refused_whole() -> None:
    lines = [LineInput(sku="W-1", quantity=1)] * (MAX_LINES * 10)
    with pytest.raises(InvalidArgument) as refused:
        check(content(*lines), TODAY)
    assert [v.field for v in refused.value.violations] == ["groups"]


def test_the_lifecycle_draft_sent_accepted() -> None:
    q = a_quote()
    (sent,) = q.send(TODAY)
    (accepted,) = q.accept("", TODAY)
    assert isinstance(accepted, QuoteAccepted)
    target = accepted.target_id
    assert (q.status, q.converted_to, q.converted_id) == (Status.ACCEPTED, "sales_order", target)
    assert sent == QuoteSent("q-1", 1, "C-1", q.total, date(2026, 12, 1))
    assert (accepted.convert_to, accepted.document, accepted.version) == (
        "sales_order",
        q.document,
        1,
    )


def test_an_expired_quote_cannot_be_accepted_and_says_why() -> None:
    q = a_quote(valid_until="2026-11-30")
    q.send(TODAY)
    with pytest.raises(FailedPrecondition) as refused:
        q.accept("invoice", date(2026, 12, 1))
    assert [v.field for v in refused.value.violations] == ["valid_until"]
    assert q.expire(date(2026, 12, 1)) == [QuoteExpired("q-1", 1, date(2026, 11, 30))]
    assert q.status is Status.EXPIRED
    assert q.expire(date(2026, 12, 2)) == []  # once


def test_revising_makes_a_new_draft_version() -> None:
    q = a_quote()
    q.send(TODAY)
    assert q.revise(q.content, q.document) == [QuoteRevised("q-1", 2, 1)]
    assert (q.version, q.latest_version, q.status) == (2, 2, Status.DRAFT)


def act(q: Quote, action: str, today: date) -> None:
    if action == "send":
        q.send(today)
    elif action == "accept":
        q.accept("", today)
    elif action == "reject":
        q.reject("too dear")
    elif action == "revise":
        q.revise(q.content, q.document)
    elif action == "expire":
        q.expire(today)
    else:
        q.update(q.content, q.document)


@given(
    st.lists(
        st.sampled_from(["send", "accept", "reject", "revise", "expire", "update"]), max_size=12
    ),
    st.integers(0, 10),
)
def test_no_sequence_of_actions_leaves_an_accepted_quote_or_moves_a_version_backwards(
    actions: list[str], days_later: int
) -> None:
    q = a_quote()
    today = date.fromordinal(TODAY.toordinal() + days_later)
    for action in actions:
        before = (q.status, q.version)
        try:
            act(q, action, today)
        except FailedPrecondition:
            assert (q.status, q.version) == before  # a refused action changes nothing
        if before[0] is Status.ACCEPTED:
            assert q.status is Status.ACCEPTED  # accepted is final
        assert q.version >= before[1]
        if q.status is Status.ACCEPTED:
            assert today <= q.valid_until


def test_the_pdf_prints_every_total_as_the_engine_computed_it() -> None:
    q = replace(a_quote(), number="Q-2026-000042")
    customer = Customer("C-1", "Жуков & Łukasz GmbH", "", "EUR", "", ("Große Str. 1", "Berlin"))
    seller = Letterhead("Müller € Söhne", ("Weg 2", "Hamburg"), "DE999", "HRB 7")
    rendered = PdfPrinter(seller).render(q, customer)
    assert rendered.startswith(b"%PDF-")
    pages = page_text(rendered).decode()
    for shown in (
        "Quote Q-2026-000042",
        "Жуков & Łukasz GmbH",
        "Große Str. 1",
        "Müller € Söhne",
        "Tax id: DE999",
        "EUR (€)",
        "Total",
        f"{text(q.document.figures.total)} EUR",
        "Page 1 of 1",
    ):
        assert shown in pages, shown
    # Nothing internal: no status, no engine or rounding footnote.
    for hidden in ("draft", "Status", "engine", "rounding"):
        assert hidden not in pages, hidden


def test_a_quote_holding_stocked_goods_is_not_accepted_into_an_invoice_and_says_which() -> None:
    q = a_quote()
    q.send(TODAY)
    with pytest.raises(InvalidArgument) as refused:
        q.accept("invoice", TODAY)
    (violation,) = refused.value.violations
    assert violation.field == "convert_to"
    assert "stocked goods becomes a sales order" in violation.description
    assert "W-1" in violation.description
    assert q.status is Status.SENT  # nothing changed
    (accepted,) = q.accept("sales_order", TODAY)
    assert isinstance(accepted, QuoteAccepted)
