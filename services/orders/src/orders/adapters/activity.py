"""The activity journal in PostgreSQL: entries and links gathered and written as the transaction
commits, all of them in one statement, each kept once (a redelivered or replayed event changes
nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, or_, select

from orders.adapters.tables import activity_entries, activity_links
from orders.domain.activity import Entry, Link
from servicekit.db import GatheredRows, Transaction, quoted

# Gathered (servicekit.db.GatheredRows) with a batch's rows as arrays unnested. A row already
# kept (a redelivery, a replay, a copy in the same batch) is skipped.
_ENTRIES = GatheredRows(
    f"INSERT INTO {quoted(activity_entries)} (subject, event_id, at, service, event_type,"
    " summary, actor, cause_id, correlation_id, trace_id)"
    " SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::varchar[],"
    " $5::varchar[], $6::text[], $7::varchar[], $8::varchar[], $9::varchar[], $10::varchar[])"
    " ON CONFLICT DO NOTHING",
    10,
)
_LINKS = GatheredRows(
    f"INSERT INTO {quoted(activity_links)} (subject, order_id)"
    " SELECT * FROM unnest($1::varchar[], $2::varchar[]) ON CONFLICT DO NOTHING",
    2,
)
_e = activity_entries.c
_linked = select(activity_links.c.subject).where(activity_links.c.order_id == bindparam("b_id"))
_TIMELINE = (
    select(activity_entries)
    .where(or_(_e.subject == bindparam("b_id"), _e.subject.in_(_linked.scalar_subquery())))
    .order_by(_e.at, _e.event_id)
)


def _columns(entries: Sequence[Entry]) -> list[list[Any]]:
    """The entries' values column by column, in _ENTRIES' order."""
    return [
        [e.subject for e in entries],
        [e.event_id for e in entries],
        [e.at for e in entries],
        [e.service for e in entries],
        [e.event_type for e in entries],
        [e.summary for e in entries],
        [e.actor[:200] for e in entries],
        [e.cause_id[:200] for e in entries],
        [e.correlation_id[:200] for e in entries],
        [e.trace_id for e in entries],
    ]


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
        self.session.gather(_ENTRIES, _columns(entries))
        self.session.gather(_LINKS, [[x.subject for x in links], [x.order_id for x in links]])

    async def timeline(self, order_id: str) -> list[Entry]:
        rows = await self.session.execute(_TIMELINE, {"b_id": order_id})
        return [_entry(r) for r in rows]

    async def clear(self) -> None:
        """Empties the journal (before a rebuild)."""
        for table in (activity_entries, activity_links):
            await self.session.execute(delete(table))
