"""A document as a PDF (A4, core fonts). Every figure is printed as given -- never recomputed
here -- so the paper says exactly what the caller's figures say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

Align = Literal["L", "R", "C"]
# Usable width of an A4 page with 15 mm margins.
PAGE_WIDTH = 180


@dataclass(frozen=True)
class Column:
    title: str
    # Millimetres; the columns of a document should add up to at most PAGE_WIDTH.
    width: float
    align: Align = "R"
    # Longer values are cut to this many characters; 0: never cut.
    max_chars: int = 0


@dataclass(frozen=True)
class Group:
    """A heading (may be empty) and rows of cells, one per column."""

    name: str
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Section:
    """A block of free text after the totals (terms, notes)."""

    heading: str
    body: str


@dataclass(frozen=True)
class Document:
    title: str
    # Label and value pairs under the title (customer, dates, references).
    fields: Sequence[tuple[str, str]] = ()
    columns: Sequence[Column] = ()
    groups: Sequence[Group] = ()
    # Label and amount rows under the lines, then the grand total in bold.
    totals: Sequence[tuple[str, str]] = ()
    grand_total: tuple[str, str] | None = None
    # Label and amount rows after the grand total (what was paid, what is left to pay).
    summary: Sequence[tuple[str, str]] = ()
    # Small print under the totals.
    footnote: str = ""
    sections: Sequence[Section] = field(default_factory=tuple)
    # The PDF's metadata title; the title when empty.
    metadata_title: str = ""


def text(value: str) -> str:
    """The core fonts are Latin-1; anything else is printed as '?' rather than failing."""
    return value.encode("latin-1", "replace").decode("latin-1")


def render(document: Document) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, 15)
    pdf.set_title(text(document.metadata_title or document.title))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, text(document.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=10)
    for label, value in document.fields:
        pdf.cell(40, 6, text(label))
        pdf.cell(0, 6, text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for group in document.groups:
        _group(pdf, document.columns, group)
    pdf.set_font("Helvetica", size=10)
    for label, amount in document.totals:
        _total_row(pdf, label, amount)
    if document.grand_total is not None:
        pdf.set_font("Helvetica", "B", 11)
        _total_row(pdf, *document.grand_total)
    pdf.set_font("Helvetica", size=10)
    for label, amount in document.summary:
        _total_row(pdf, label, amount)
    if document.footnote:
        pdf.set_font("Helvetica", size=8)
        pdf.ln(4)
        pdf.multi_cell(0, 4, text(document.footnote), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in document.sections:
        if section.body:
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(0, 6, text(section.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Helvetica", size=9)
            pdf.multi_cell(0, 5, text(section.body), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _group(pdf: FPDF, columns: Sequence[Column], group: Group) -> None:
    if group.name:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 8, text(group.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 9)
    for column in columns:
        pdf.cell(column.width, 6, text(column.title), border="B", align=column.align)
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for row in group.rows:
        for column, value in zip(columns, row, strict=True):
            shown = value[: column.max_chars] if column.max_chars else value
            pdf.cell(column.width, 6, text(shown), align=column.align)
        pdf.ln()
    pdf.ln(2)


def _total_row(pdf: FPDF, label: str, amount: str) -> None:
    pdf.cell(130, 6, text(label), align="R")
    pdf.cell(50, 6, text(amount), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def page_text(rendered: bytes) -> bytes:
    """The decompressed content streams of a rendered PDF (text shows as `(...) Tj`): what a
    test reads to check a figure was printed."""
    import zlib

    return b"".join(
        zlib.decompress(chunk.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0])
        for chunk in rendered.split(b"endobj")
        if b"/FlateDecode" in chunk and b"stream\n" in chunk and b"/Length1" not in chunk
    )
