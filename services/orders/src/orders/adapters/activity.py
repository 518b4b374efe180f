"""The activity journal in PostgreSQL: entries and links written many rows to a statement, each
kept once (a redelivered or replayed event changes nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.dialects.postgresql import insert

from orders.adapters.tables import activity_entries, activity_links
from orders.domain.activity import Entry, Link
from servicekit.db import Transaction

_ENTRIES = insert(activity_entries).on_conflict_do_nothing()
_LINKS = insert(activity_links).on_conflict_do_nothing()
_e = activity_entries.c
_linked = select(activity_links.c.subject).where(activity_links.c.order_id == bindparam("b_id"))
_TIMELINE = (
    select(activity_entries)
    .where(or_(_e.subject == bindparam("b_id"), _e.subject.in_(_linked.scalar_subquery())))
    .order_by(_e.at, _e.event_id)
)


def _row(entry: Entry) -> dict[str, Any]:
    return {
        "subject": entry.subject,
        "event_id": entry.event_id,
        "at": entry.at,
        "service": entry.service,
        "event_type": entry.event_type,
        "summary": entry.summary,
        "actor": entry.actor[:200],
        "cause_id": entry.cause_id[:200],
        "correlation_id": entry.correlation_id[:200],
        "trace_id": entry.trace_id,
    }


def _entry(r: Any) -> Entry:
    return Entry(
        r.subject,
        r.event_id,
        r.at,
        r.service,
        r.event_type,
        r.summary,
        r.actor,
        r.cause_id,
        r.correlation_id,
        r.trace_id,
    )


class SqlActivity:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def record(self, entries: Sequence[Entry], links: Sequence[Link]) -> None:
        # the statements built once and sent with a batch's rows (one executemany each): a
        # multi-row VALUES statement would be compiled anew for every batch size
        if entries:
            await self.session.execute(_ENTRIES, [_row(e) for e in entries])
        if links:
            rows = [{"subject": link.subject, "order_id": link.order_id} for link in links]
            await self.session.execute(_LINKS, rows)

    async def timeline(self, order_id: str) -> list[Entry]:
        rows = await self.session.execute(_TIMELINE, {"b_id": order_id})
        return [_entry(r) for r in rows]

    async def clear(self) -> None:
        """Empties the journal (before a rebuild)."""
        for table in (activity_entries, activity_links):
            await self.session.execute(delete(table))
