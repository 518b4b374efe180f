"""The inbox: which events a consumer has already applied, claimed in the handler's transaction."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


async def claim(
    session: AsyncSession, inbox: Table, consumer: str, event_id: str, event_type: str
) -> bool:
    """True the first time `consumer` sees `event_id`; False for a redelivery.

    The row commits or rolls back with the handler's effects, so an event is applied once:
    a concurrent duplicate waits on the primary key and then finds it taken."""
    statement = (
        insert(inbox)
        .values(consumer=consumer, event_id=event_id, event_type=event_type)
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    return (await session.execute(statement)).first() is not None
