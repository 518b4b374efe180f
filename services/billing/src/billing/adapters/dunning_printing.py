"""Reminders as PDFs (libs/printing's reminder letter): each invoice as it stood when reminded."""

from __future__ import annotations

from billing.domain.dunning import Reminder
from pricing.money import Money
from printing.reminders import ReminderLine, render_reminder


class ReminderPdfPrinter:
    def reminder(self, reminder: Reminder, customer_name: str, final: bool) -> bytes:
        owed: dict[str, Money] = {}
        for item in reminder.invoices:
            currency = item.open.currency
            owed[currency] = owed.get(currency, Money.zero(currency)) + item.open
        return render_reminder(
            level=reminder.level,
            final=final,
            customer=customer_name,
            reference=reminder.id,
            sent_on=reminder.sent_at.date().isoformat(),
            lines=[
                ReminderLine(
                    i.number, i.due_date.isoformat(), i.days_overdue, f"{i.open.rounded()}"
                )
                for i in reminder.invoices
            ],
            owed=[(f"Open in {c}", f"{owed[c].rounded()}") for c in sorted(owed)],
        )
