"""Payment reminders (dunning letters) as PDFs, through the one renderer (`printing.pdf`): the
overdue invoices listed with their amounts and days overdue, and what is owed per currency.
Every figure is printed as the caller gives it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from printing.pdf import Column, Document, Group, Section, render

COLUMNS = (
    Column("Invoice", 50, "L"),
    Column("Due date", 35, "L"),
    Column("Days overdue", 35),
    Column("Amount open", 60),
)
TITLES = {1: "Payment reminder", 2: "Second payment reminder"}


@dataclass(frozen=True)
class ReminderLine:
    """One overdue invoice as the reminder lists it."""

    number: str
    due_date: str
    days_overdue: int
    # The open amount with its currency, as it should read ("120.00 EUR").
    open_amount: str


def reminder_title(level: int, final: bool) -> str:
    return "Final payment reminder" if final else TITLES.get(level, f"Payment reminder {level}")


def render_reminder(
    *,
    level: int,
    final: bool,
    customer: str,
    reference: str,
    sent_on: str,
    lines: Sequence[ReminderLine],
    owed: Sequence[tuple[str, str]],
) -> bytes:
    """The reminder of `level` (the last level is `final`) to `customer`; `owed` is the total
    open per currency, as (label, amount) rows."""
    body = (
        "According to our records the invoices above are past their due date. Please pay the "
        "amounts open within 7 days, or tell us if you have paid them already."
    )
    if final:
        body += " This is our final reminder: after it, new orders are held until you have paid."
    return render(
        Document(
            title=reminder_title(level, final),
            fields=[("Customer", customer), ("Date", sent_on), ("Reference", reference)],
            columns=COLUMNS,
            groups=[
                Group(
                    "",
                    [(x.number, x.due_date, str(x.days_overdue), x.open_amount) for x in lines],
                )
            ],
            totals=owed,
            sections=[Section("Please pay", body)],
        )
    )
