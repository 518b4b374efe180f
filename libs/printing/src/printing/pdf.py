"""A document as a PDF (A4, with an embedded Unicode font so "€", "ł" or "Ж" print as written, and
"Page n of m" on every page). Every figure is printed as given -- never recomputed here -- so the
paper says exactly what the caller's figures say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

Align = Literal["L", "R", "C"]
# Usable width of an A4 page with 15 mm margins.
PAGE_WIDTH = 180
# The embedded font's name in the PDF.
FONT = "SourceSans"


# The signs of the usual currencies, as documents show them beside the ISO code.
_SIGNS = {
    "EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CNY": "¥", "PLN": "zł", "CZK": "Kč",
    "HUF": "Ft", "SEK": "kr", "NOK": "kr", "DKK": "kr", "CHF": "Fr.", "TRY": "₺", "INR": "₹",
    "KRW": "₩", "BRL": "R$", "ZAR": "R", "AED": "د.إ", "CAD": "$", "AUD": "$", "NZD": "$",
}  # fmt: skip


def currency_label(code: str) -> str:
    """A currency as documents name it: "EUR (€)", or the code alone."""
    sign = _SIGNS.get(code)
    return f"{code} ({sign})" if sign else code


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
    # The issuer's name, then its address and legal lines, at the top right of the first page.
    letterhead: Sequence[str] = ()
    # Whom the document is addressed to: name and address lines, under the letterhead.
    addressee: Sequence[str] = ()
    # Printed at the foot of every page, before its page number.
    footer: str = ""


def _font_file(style: str) -> Path:
    """Source Sans Pro (SIL OFL) as the font-source-sans-pro package ships it."""
    package = resources.files("font_source_sans_pro") / "files"
    return Path(str(package / f"SourceSansPro-{style}.ttf"))


class _Paper(FPDF):
    """A4 with the document's header line on top and "Page n of m" at the foot of each page."""

    def __init__(self, document: Document) -> None:
        super().__init__(format="A4")
        self.document = document
        self.add_font(FONT, "", str(_font_file("Regular")))
        self.add_font(FONT, "B", str(_font_file("Bold")))
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        footer = f"{self.document.footer}   " if self.document.footer else ""
        self.cell(0, 6, f"{footer}Page {self.page_no()} of {{nb}}", align="R")


def render(document: Document) -> bytes:
    pdf = _Paper(document)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, 18)
    pdf.set_title(document.metadata_title or document.title)
    pdf.add_page()
    _letterhead(pdf, document)
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, document.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=10)
    for label, value in document.fields:
        pdf.cell(40, 6, label)
        pdf.cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for group in document.groups:
        _group(pdf, document.columns, group)
    pdf.set_font(FONT, size=10)
    for label, amount in document.totals:
        _total_row(pdf, label, amount)
    if document.grand_total is not None:
        pdf.set_font(FONT, "B", 11)
        _total_row(pdf, *document.grand_total)
    pdf.set_font(FONT, size=10)
    for label, amount in document.summary:
        _total_row(pdf, label, amount)
    if document.footnote:
        pdf.set_font(FONT, size=8)
        pdf.ln(4)
        pdf.multi_cell(0, 4, document.footnote, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in document.sections:
        if section.body:
            pdf.set_font(FONT, "B", 9)
            pdf.cell(0, 6, section.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(FONT, size=9)
            pdf.multi_cell(0, 5, section.body, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _letterhead(pdf: FPDF, document: Document) -> None:
    """The issuer's lines at the top right, the addressee's block at the left under them."""
    if document.letterhead:
        top = pdf.get_y()
        pdf.set_font(FONT, "B", 10)
        pdf.set_x(110)
        pdf.cell(85, 5, document.letterhead[0], align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, size=8)
        for line in document.letterhead[1:]:
            pdf.set_x(110)
            pdf.multi_cell(85, 4, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(max(pdf.get_y(), top + 10) + 2)
    if document.addressee:
        pdf.set_font(FONT, size=10)
        for line in document.addressee:
            pdf.cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)


def _group(pdf: FPDF, columns: Sequence[Column], group: Group) -> None:
    if group.name:
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 8, group.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 9)
    for column in columns:
        pdf.cell(column.width, 6, column.title, border="B", align=column.align)
    pdf.ln()
    pdf.set_font(FONT, size=9)
    for row in group.rows:
        for column, value in zip(columns, row, strict=True):
            shown = value[: column.max_chars] if column.max_chars else value
            pdf.cell(column.width, 6, shown, align=column.align)
        pdf.ln()
    pdf.ln(2)


def _total_row(pdf: FPDF, label: str, amount: str) -> None:
    pdf.cell(130, 6, label, align="R")
    pdf.cell(50, 6, amount, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def page_text(rendered: bytes) -> bytes:
    """The text a reader extracts from a rendered PDF, page after page (UTF-8): what a test reads
    to check a figure was printed. Needs pypdf (a test dependency)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(rendered))
    return "\n".join(page.extract_text() for page in reader.pages).encode()
