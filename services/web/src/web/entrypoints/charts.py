"""Bar charts drawn on the server as SVG: no script, no library, readable by a screen reader
(a title per bar, and the figures in a table beside each chart)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape

from markupsafe import Markup

WIDTH, BAR, GAP, LABEL = 560, 22, 8, 150


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    text: str  # the value as shown (with its currency)


def amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return Decimal(0)


def bar_chart(title: str, bars: list[Bar]) -> Markup:
    """Horizontal bars scaled to the largest value; negative values are drawn as zero."""
    top = max((b.value for b in bars), default=Decimal(0))
    height = max(len(bars), 1) * (BAR + GAP) + GAP
    room = WIDTH - LABEL - 110
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR + GAP)
        length = int(room * bar.value / top) if top > 0 and bar.value > 0 else 0
        parts += [
            f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end">{escape(bar.label)}</text>',
            f'<rect x="{LABEL}" y="{y}" width="{length}" height="{BAR}">'
            f"<title>{escape(bar.label)}: {escape(bar.text)}</title></rect>",
            f'<text x="{LABEL + length + 6}" y="{y + 15}">{escape(bar.text)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # every text in it is escaped above
