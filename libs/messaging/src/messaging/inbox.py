"""The inbox: which events a consumer has already applied, claimed in the handler's transaction."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache

from sqlalchemy import Column, DateTime, Index, MetaData, String, Table, func

from servicekit.db import Transaction, driver, quoted


def inbox_table(metadata: MetaData, name: str = "inbox") -> Table:
    """The inbox of a service's consumer group; a second group of the service (a read model,
    messaging.runtime.ConsumerGroup) has its own, named otherwise."""
    table = Table(
        name,
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    # retention deletes the oldest claims by age; the primary key does not lead with it
    Index(f"ix_{name}_received_at", table.c.received_at)
    return table


@cache
def _claim_sql(inbox: Table) -> str:
    # Built once per table and sent on the driver (servicekit.db.driver), as every claim is.
    return (
        f"INSERT INTO {quoted(inbox)} (consumer, event_id, event_type) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING RETURNING event_id"
    )


async def claim(
    session: Transaction, inbox: Table, consumer: str, event_id: str, event_type: str
) -> bool:
    """True the first time `consumer` sees `event_id`; False for a redelivery.

    The row commits or rolls back with the handler's effects, so an event is applied once:
    a concurrent duplicate waits on the primary key and then finds it taken."""
    connection = await driver(session)
    return await connection.fetchval(_claim_sql(inbox), consumer, event_id, event_type) is not None


@cache
def _claim_all_sql(inbox: Table) -> str:
    # Sent on the driver (servicekit.db.driver), the batch's first statement. Arrays unnested
    # into rows keep the text the same for any batch size, so it is prepared once per
    # connection. The lock timeout is set by the same statement (its WHERE runs once, before
    # any row is claimed): a SET LOCAL of its own was a round trip per batch.
    table = quoted(inbox)
    return (
        f"INSERT INTO {table} (consumer, event_id, event_type)"
        " SELECT $1, unnest($2::varchar[]), unnest($3::varchar[])"
        " WHERE set_config('lock_timeout', $4, true) IS NOT NULL"
        " ON CONFLICT DO NOTHING RETURNING event_id"
    )


async def claim_all(
    session: Transaction,
    inbox: Table,
    consumer: str,
    events: Sequence[tuple[str, str]],
    *,
    lock_timeout: str,
) -> set[str]:
    """The ids of `events` ((event_id, event_type) pairs) that `consumer` sees for the first
    time, claimed in one statement; the others are redeliveries. Like `claim`, the rows commit
    or roll back with the handlers' effects. From this statement on, the transaction waits at
    most `lock_timeout` (PostgreSQL's form: '50ms') for any lock, the claims' own included."""
    first: dict[str, str] = {}
    for event_id, kind in events:
        first.setdefault(event_id, kind)  # a relay's resend can put both copies in one batch
    if not first:
        return set()
    connection = await driver(session)
    rows = await connection.fetch(
        _claim_all_sql(inbox), consumer, list(first), list(first.values()), lock_timeout
    )
    return {row[0] for row in rows}


@cache
def _release_sql(inbox: Table) -> str:
    return f"DELETE FROM {quoted(inbox)} WHERE consumer = $1 AND event_id = ANY($2::varchar[])"


async def release(
    session: Transaction, inbox: Table, consumer: str, event_ids: Collection[str]
) -> None:
    """Gives back claims this transaction made for events it will not apply after all (a batch
    cut short): they are claimed again when they are applied."""
    if event_ids:
        connection = await driver(session)
        await connection.execute(_release_sql(inbox), consumer, sorted(event_ids))
