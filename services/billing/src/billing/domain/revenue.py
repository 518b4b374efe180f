"""Revenue per month and channel: what was invoiced less what credit notes took back. Plain
Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pricing.money import Money

ALL = "all"
# An order placed without a channel came in directly; an invoice made from a quote, "quote".
DIRECT, QUOTE = "direct", "quote"
# Free credit notes (for a customer, no invoice) belong to no channel.
UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Entry:
    """An invoice (credit False) or a credit note (True), as revenue counts it."""

    issued_on: date
    channel: str
    amount: Money
    credit: bool = False


@dataclass
class Row:
    """What was invoiced and credited in one period, channel and currency."""

    period: str
    channel: str
    currency: str
    invoiced: Money
    credited: Money
    invoices: int = 0
    credit_notes: int = 0

    @property
    def net(self) -> Money:
        return self.invoiced - self.credited

    def add(self, entry: Entry) -> None:
        if entry.credit:
            self.credited = self.credited + entry.amount
            self.credit_notes += 1
        else:
            self.invoiced = self.invoiced + entry.amount
            self.invoices += 1


def period_of(day: date) -> str:
    """The month a day falls in: "2026-03"."""
    return f"{day.year:04d}-{day.month:02d}"


def revenue(entries: Iterable[Entry], by_channel: bool) -> tuple[list[Row], list[Row]]:
    """Rows per month (and channel when `by_channel`, else "all") and currency, sorted; and
    totals over every month per channel and currency. Net = invoiced - credited."""
    rows: dict[tuple[str, str, str], Row] = {}
    totals: dict[tuple[str, str], Row] = {}
    for entry in entries:
        channel = (entry.channel or DIRECT) if by_channel else ALL
        currency = entry.amount.currency
        zero = Money.zero(currency)
        key = (period_of(entry.issued_on), channel, currency)
        rows.setdefault(key, Row(key[0], channel, currency, zero, zero)).add(entry)
        totals.setdefault((channel, currency), Row("", channel, currency, zero, zero)).add(entry)
    return [rows[k] for k in sorted(rows)], [totals[k] for k in sorted(totals)]
