"""Quotes without I/O: building from catalog answers, and the lifecycle."""

import zlib
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.documents import verify
from quoting.adapters import pdf
from quoting.domain.content import (
    CatalogItem,
    KitComponent,
    ResolvedPrice,
    build,
    check,
    price_requests,
    references,
    with_defaults,
)
from quoting.domain.limits import MAX_LINES
from quoting.domain.model import Quote, Status
from servicekit.errors import FailedPrecondition, InvalidArgument

TODAY = date(2026, 11, 25)
VAT19 = pricing.TaxRate(code="VAT19", rate="0.19")
WIDGET = CatalogItem("p-w", "W-1", "Widget", "stocked", True)
BOLT = CatalogItem("p-b", "B-1", "Bolt", "stocked", True)
OLD = CatalogItem("p-o", "O-1", "Old", "stocked", False)
KIT = CatalogItem(
    "p-k",
    "K-1",
    "Starter kit",
    "kit",
    True,
    (KitComponent("p-w", "W-1", 1), KitComponent("p-b", "B-1", 4)),
)
EXPLODING_KIT = CatalogItem("p-e", "K-2", "Loose kit", "kit", True, KIT.components, "components")
CATALOG = {i.sku: i for i in (WIDGET, BOLT, OLD, KIT, EXPLODING_KIT)} | {
    i.product_id: i for i in (WIDGET, BOLT, OLD, KIT, EXPLODING_KIT)
}


def content(*lines: pb.LineInput, **fields: str) -> pb.QuoteContent:
    values = {"customer_id": "C-1", "salesperson": "sam", "currency": "EUR"} | fields
    return pb.QuoteContent(groups=[pb.GroupInput(name="Main", lines=lines)], **values)


def prices(**by_product: str) -> dict[tuple[str, int], ResolvedPrice | None]:
    found: dict[tuple[str, int], ResolvedPrice | None] = {}
    for quantity in range(1, 50):
        for product, price in by_product.items():
            found[(f"p-{product}", quantity)] = ResolvedPrice(Decimal(price), "list price")
    return found


def test_catalog_lines_take_the_resolved_price_and_free_text_lines_their_own() -> None:
    wanted = content(
        pb.LineInput(sku="W-1", quantity=2, taxes=[VAT19]),
        pb.LineInput(
            description="Installation", quantity=1, unit_price=Money(amount="80", currency="EUR")
        ),
    )
    assert references(wanted) == ({"W-1"}, set())
    assert price_requests(wanted, CATALOG) == {("p-w", 2)}
    document = build(wanted, CATALOG, prices(w="10.00"))
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
    one = build(content(pb.LineInput(sku="K-1", quantity=2)), CATALOG, prices(k="25.00"))
    (line,) = one.groups[0].lines
    assert (line.sku, line.quantity, line.kind) == ("K-1", "2", "kit")
    assert [(p.sku, p.quantity) for p in line.kit_parts] == [("W-1", 1), ("B-1", 4)]
    assert one.breakdown.total == "50.00"

    wanted = content(pb.LineInput(sku="K-2", quantity=2))
    assert price_requests(wanted, CATALOG) == {("p-w", 2), ("p-b", 8)}
    loose = build(wanted, CATALOG, prices(w="10.00", b="0.25"))
    assert [(x.sku, x.quantity, x.unit_price) for x in loose.groups[0].lines] == [
        ("W-1", "2", "10.00"),
        ("B-1", "8", "0.25"),
    ]
    assert loose.breakdown.total == "22.00"


def test_unknown_discontinued_and_unpriced_products_are_each_named() -> None:
    wanted = content(
        pb.LineInput(sku="NOPE", quantity=1),
        pb.LineInput(sku="O-1", quantity=1),
        pb.LineInput(sku="B-1", quantity=1),
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
        pb.LineInput(sku="W-1", quantity=-1),
        pb.LineInput(quantity=1),
        pb.LineInput(description="fee", quantity=1, unit_price=Money(amount="5", currency="USD")),
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
    lines = [pb.LineInput(sku="W-1", quantity=1)] * (MAX_LINES * 10)
    with pytest.raises(InvalidArgument) as refused:
        check(content(*lines), TODAY)
    assert [v.field for v in refused.value.violations] == ["groups"]


def quote(status: Status = Status.DRAFT, valid_until: str = "2026-12-01") -> Quote:
    stored = with_defaults(
        content(pb.LineInput(sku="W-1", quantity=1), valid_until=valid_until), TODAY
    )
    document = build(stored, CATALOG, prices(w="10"))
    now = datetime(2026, 11, 25, tzinfo=UTC)
    return Quote("q-1", 1, 1, status, stored, document, now, "sam", now)


def test_the_lifecycle_draft_sent_accepted() -> None:
    q = quote()
    q.send(TODAY)
    target = q.accept("", TODAY)
    assert (q.status, q.converted_to, q.converted_id) == (Status.ACCEPTED, "sales_order", target)


def test_an_expired_quote_cannot_be_accepted_and_says_why() -> None:
    q = quote(valid_until="2026-11-30")
    q.send(TODAY)
    with pytest.raises(FailedPrecondition) as refused:
        q.accept("invoice", date(2026, 12, 1))
    assert [v.field for v in refused.value.violations] == ["valid_until"]
    assert q.expire(date(2026, 12, 1))
    assert q.status is Status.EXPIRED


def test_revising_makes_a_new_draft_version() -> None:
    q = quote()
    q.send(TODAY)
    q.revise(q.content, q.document)
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
    q = quote()
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
    q = quote()
    rendered = pdf.render(q)
    assert rendered.startswith(b"%PDF-")
    pages = b"".join(
        zlib.decompress(chunk.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0])
        for chunk in rendered.split(b"endobj")
        if b"/FlateDecode" in chunk and b"stream\n" in chunk and b"/Length1" not in chunk
    )
    assert b"(Total) Tj" in pages
    assert f"({q.document.breakdown.total} EUR) Tj".encode() in pages
