"""Housekeeping for the outbox and the inbox: neither may grow forever.

A published outbox row has done its work; it is kept a while only for operators to look at.
An inbox row is what makes a redelivery harmless, so it must outlive every redelivery of its
event: the *duplicate window* is how long after its first delivery an event can still arrive
again (at least the retention of the topics consumed: a consumer group reset to the earliest
offset re-reads that much). A policy whose inbox retention is shorter is refused.

Rows go in bounded batches, each its own short transaction, so a large backlog never holds
locks or a snapshot for long, and each batch finds its rows through an index on the age column.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Table, delete, func, select, tuple_
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)


class RetentionTooShort(ValueError):
    """Inbox rows would be deleted while their events can still be redelivered."""


@dataclass(frozen=True)
class Retention:
    """How long rows are kept, and how often and in what batches they are deleted."""

    outbox: timedelta = timedelta(days=7)
    inbox: timedelta = timedelta(days=14)
    duplicate_window: timedelta = timedelta(days=7)
    interval_seconds: float = 300.0
    batch_size: int = 1000

    def __post_init__(self) -> None:
        if self.inbox < self.duplicate_window:
            raise RetentionTooShort(
                f"inbox retention {self.inbox} is shorter than the duplicate window "
                f"{self.duplicate_window}: a redelivery after the inbox row is gone would be "
                "applied a second time"
            )
        if self.outbox <= timedelta(0) or self.batch_size < 1 or self.interval_seconds <= 0:
            raise ValueError("retention ages, interval and batch size must be positive")

    @classmethod
    def of_hours(
        cls,
        outbox: float,
        inbox: float,
        duplicate_window: float,
        *,
        interval_seconds: float = 300.0,
        batch_size: int = 1000,
    ) -> Retention:
        return cls(
            timedelta(hours=outbox),
            timedelta(hours=inbox),
            timedelta(hours=duplicate_window),
            interval_seconds,
            batch_size,
        )


async def purge_outbox(
    engine: AsyncEngine, outbox: Table, older_than: timedelta, batch: int
) -> int:
    """Deletes rows published more than `older_than` ago; never an unpublished row."""
    cutoff = func.now() - older_than
    oldest = (
        select(outbox.c.id)
        .where(outbox.c.published_at.is_not(None), outbox.c.published_at < cutoff)
        .limit(batch)
    )
    statement = delete(outbox).where(outbox.c.id.in_(oldest.scalar_subquery()))
    return await _in_batches(engine, statement, batch)


async def purge_inbox(engine: AsyncEngine, inbox: Table, older_than: timedelta, batch: int) -> int:
    """Deletes claims received more than `older_than` ago."""
    oldest = (
        select(inbox.c.consumer, inbox.c.event_id)
        .where(inbox.c.received_at < func.now() - older_than)
        .limit(batch)
    )
    statement = delete(inbox).where(tuple_(inbox.c.consumer, inbox.c.event_id).in_(oldest))
    return await _in_batches(engine, statement, batch)


async def _in_batches(engine: AsyncEngine, statement: Any, batch: int) -> int:
    total = 0
    while True:
        async with engine.begin() as connection:
            deleted = (await connection.execute(statement)).rowcount
        total += deleted
        if deleted < batch:
            return total
        await asyncio.sleep(0)  # let the service's other work in between batches


def retention_loop(
    engine: AsyncEngine,
    outbox: Table,
    inbox: Table,
    policy: Retention,
    other_inboxes: Sequence[Table] = (),
) -> Callable[[], Coroutine[Any, Any, None]]:
    """A loop for the host: purges the outbox and the inboxes (the service's consumer group's,
    and `other_inboxes`, its other groups') every `policy.interval_seconds`. A database failure
    is logged and tried again next round: housekeeping never stops a service."""

    async def loop() -> None:
        while True:
            try:
                sent = await purge_outbox(engine, outbox, policy.outbox, policy.batch_size)
                seen = 0
                for table in (inbox, *other_inboxes):
                    seen += await purge_inbox(engine, table, policy.inbox, policy.batch_size)
                if sent or seen:
                    log.info("retention: %d outbox and %d inbox rows deleted", sent, seen)
            except (SQLAlchemyError, OSError):
                log.exception("retention failed; trying again in %s s", policy.interval_seconds)
            await asyncio.sleep(policy.interval_seconds)

    loop.__qualname__ = "outbox and inbox retention"
    return loop
