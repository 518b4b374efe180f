"""Revenue per month and channel: what was invoiced less what credit notes took back, each with
the tax in it kept apart -- net revenue and tax are reported separately, never added up across
taxed and untaxed documents. Plain Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

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
    # The tax included in `amount` (zero for an untaxed document).
    tax: Decimal = Decimal(0)


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
    tax_invoiced: Decimal = Decimal(0)
    tax_credited: Decimal = Decimal(0)

    @property
    def net(self) -> Money:
        return self.invoiced - self.credited

    @property
    def invoiced_tax(self) -> Money:
        return Money(self.tax_invoiced, self.currency)

    @property
    def credited_tax(self) -> Money:
        return Money(self.tax_credited, self.currency)

    @property
    def invoiced_net(self) -> Money:
        return self.invoiced - self.invoiced_tax

    @property
    def credited_net(self) -> Money:
        return self.credited - self.credited_tax

    @property
    def net_revenue(self) -> Money:
        """What was earned, tax left out: invoiced net less credited net."""
        return self.invoiced_net - self.credited_net

    @property
    def tax(self) -> Money:
        """Tax owed on it: invoiced tax less credited tax."""
        return self.invoiced_tax - self.credited_tax

    def add(self, entry: Entry) -> None:
        if entry.credit:
            self.credited = self.credited + entry.amount
            self.tax_credited += entry.tax
            self.credit_notes += 1
        else:
            self.invoiced = self.invoiced + entry.amount
            self.tax_invoiced += entry.tax
            self.invoices += 1


def document_tax(document: Mapping[str, Any] | None) -> Decimal:
    """The tax of a billed priced document: its breakdown's per-rate totals as stored (JSON);
    zero for a document-less (untaxed) invoice."""
    breakdown = (document or {}).get("breakdown") or {}
    return sum((Decimal(str(t.get("amount", "0"))) for t in breakdown.get("taxes", ())), Decimal(0))


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
