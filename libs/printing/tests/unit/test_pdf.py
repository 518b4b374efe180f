"""The renderer prints every string it is given, as given."""

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
        )
    )
    assert rendered.startswith(b"%PDF-")
    pages = page_text(rendered)
    for shown in (
        b"(Invoice INV-2026-000001) Tj",
        b"(Acme) Tj",
        b"(Hardware) Tj",
        b"(Widget wit) Tj",
        b"(12.50 EUR) Tj",
        b"(Total) Tj",
        b"(14.88 EUR) Tj",
        b"(Balance due) Tj",
        "(Grüße ?) Tj".encode("latin-1"),
    ):
        assert shown in pages, shown
    assert b"(Empty) Tj" not in pages
