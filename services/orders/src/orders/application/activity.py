"""The activity journal's use cases: an event projected into entries, and an order's timeline
for those who may read the order."""

from __future__ import annotations

from orders.application.ports import ActivityJournal, Deps
from orders.application.reach import reachable
from orders.domain.activity import Entry, Happened, entries_of


async def project(journal: ActivityJournal, events: list[Happened]) -> None:
    """Records the events' entries and links (in the caller's transaction), many to a
    statement; an event already recorded changes nothing."""
    entries: list[Entry] = []
    links = []
    for event in events:
        found, taught = entries_of(event)
        entries += found
        links += taught
    await journal.record(entries, links)


async def order_timeline(deps: Deps, order_id: str) -> list[Entry]:
    """Every entry of the order, oldest first (then by event id); NotFound or PermissionDenied
    as for reading the order (a salesperson reaches only their own)."""
    async with deps.unit_of_work() as uow:
        await reachable(uow, order_id)
        return await uow.activity.timeline(order_id)
