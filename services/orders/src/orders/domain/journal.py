"""An order's journal: every move and every note, who made it and when (the repository adds
those). Plain Python: which entries a unit of work's events make."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orders.domain.events import (
    SalesOrderEvent,
    SalesOrderNoted,
    SalesOrderPlaced,
    SalesOrderStatusChanged,
)


@dataclass(frozen=True)
class JournalEntry:
    # None for a note, or for the stage an order starts in.
    from_status: str | None
    to_status: str
    reason: str = ""
    note: str = ""


def journal_of(status: str, events: Sequence[SalesOrderEvent]) -> list[JournalEntry]:
    """The entries `events` make for an order now in `status`: the stage it was placed in, each
    move, then each note (at the stage the order is in now)."""
    entries = [JournalEntry(None, e.status) for e in events if isinstance(e, SalesOrderPlaced)]
    entries += [
        JournalEntry(e.from_status, e.to_status, e.reason)
        for e in events
        if isinstance(e, SalesOrderStatusChanged)
    ]
    entries += [
        JournalEntry(None, status, note=e.note) for e in events if isinstance(e, SalesOrderNoted)
    ]
    return entries
