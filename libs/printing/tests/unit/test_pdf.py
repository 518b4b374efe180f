"""The renderer prints every string it is given, as given -- any Unicode character included, with
the embedded font -- and numbers its pages."""

from __future__ import annotations

from printing.pdf import Column, Document, Group, Section, page_text, render


def test_a_document_prints_its_title_fields_lines_and_totals_as_given() -> None:
    rendered = render(
        Document(
            title="Invoice INV-2026-000001",
            fields=[("Customer", "Acme")],
            columns=[Column("Description", 100, "L", max_chars=10), Column("Amount", 80)],
            groups=[Group("Hardware", [("Widget with a very long name", "12.50 EUR")])],
            totals=[("Net", "12.50 EUR")],
            grand_total=("Total", "14.88 EUR"),
            summary=[("Balance due", "4.88 EUR")],
            footnote="Priced by engine 1.",
            sections=[Section("Notes", "Grüße €"), Section("Empty", "")],
            letterhead=["Seller GmbH", "Musterstraße 1, Berlin"],
            addressee=["Łódź Трейд Sp. z o.o.", "ul. Żółta 5"],
        )
    )
    assert rendered.startswith(b"%PDF-")
    pages = page_text(rendered).decode()
    for shown in (
        "Invoice INV-2026-000001",
        "Acme",
        "Hardware",
        "Widget wit",
        "12.50 EUR",
        "Total",
        "14.88 EUR",
        "Balance due",
        "Grüße €",
        "Seller GmbH",
        "Musterstraße 1, Berlin",
        "Łódź Трейд Sp. z o.o.",
        "ul. Żółta 5",
        "Page 1 of 1",
    ):
        assert shown in pages, shown
    assert "Widget with" not in pages
    assert "Empty" not in pages
    assert b"/FontFile2" in rendered  # the font is embedded


def test_a_long_document_numbers_every_page_of_all() -> None:
    rows = [(f"Line {i}", f"{i}.00 EUR") for i in range(120)]
    rendered = render(
        Document(
            title="Quote Q-2026-000001",
            columns=[Column("Description", 100, "L"), Column("Amount", 80)],
            groups=[Group("", rows)],
            footer="Quote Q-2026-000001",
        )
    )
    pages = page_text(rendered).decode()
    assert "Page 1 of 3" in pages
    assert "Page 3 of 3" in pages
    assert "Line 119" in pages
