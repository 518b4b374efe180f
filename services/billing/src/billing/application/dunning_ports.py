"""What dunning needs, as Protocols (beside `ports.py`): its repository, and the printer of
reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from billing.domain.dunning import CreditHold, OpenInvoice, Reminder


class DunningRepository(Protocol):
    async def open_invoices(
        self, due_before: date, customer_id: str, *, lock: bool = False
    ) -> list[OpenInvoice]:
        """Open or partly paid invoices due before the day (a customer's when named); locked
        with `lock`, so two dunning runs take turns."""

    async def levels_sent(self, invoice_ids: Sequence[str]) -> dict[str, int]:
        """The highest reminder level sent per invoice (those with none left out)."""

    async def add_reminder(self, reminder: Reminder) -> None:
        """Records a reminder; an (invoice, level) already sent is a conflict (IntegrityError)."""

    async def reminders(
        self, customer_id: str, reminder_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Reminder]:
        """Newest first (by sent_at, id), after the key of the last one seen."""

    async def names(self, customer_ids: Sequence[str]) -> dict[str, str]:
        """Customers' names as billing knows them."""

    async def holds(self, *, lock: bool = False) -> list[CreditHold]:
        """Every credit hold (locked with `lock`, so two reviews take turns)."""

    async def put_hold(self, hold: CreditHold) -> bool:
        """Holds a customer's credit; False (changing nothing) when it is held already."""

    async def drop_hold(self, customer_id: str) -> None: ...

    async def settled(self, invoice_ids: Sequence[str]) -> set[str]:
        """Those of the invoices with nothing open any more (paid or credited)."""


class ReminderPrinter(Protocol):
    def reminder(self, reminder: Reminder, customer_name: str, final: bool) -> bytes: ...
