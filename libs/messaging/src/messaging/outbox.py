"""The transactional outbox: events are rows written in the same transaction as the state change
they announce; the relay publishes them once that transaction has committed."""

from __future__ import annotations

import json
from collections.abc import Iterable

from google.protobuf.message import Message
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

from messaging.envelope import Envelope
from messaging.events import source_of
from servicekit.db import GatheredRows, Transaction, quoted
from servicekit.errors import FailedPrecondition

# The most an event (body, headers and key) may weigh. The broker refuses records over its
# message.max.bytes (1 MiB by default) and the producer over its max_request_size (1 MiB): a
# heavier event could never be published, so it is refused where it is made, in the
# transaction that would have announced it, with a room below the limit for the record's own
# framing and the trace headers the relay adds.
MAX_EVENT_BYTES = 900 * 1024


class EventTooLarge(FailedPrecondition):
    """An event over MAX_EVENT_BYTES: the change it announces cannot be made as it stands."""


def outbox_table(metadata: MetaData) -> Table:
    table = Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("event_type", String(200), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        # Set when the broker refused the row for good (too large): the relay passes over it
        # and operators find it here with the reason (messaging.relay, docs/dead-letters.md).
        Column("parked_at", DateTime(timezone=True)),
        Column("parked_reason", Text),
    )
    Index(
        "ix_outbox_unpublished",
        table.c.id,
        postgresql_where=table.c.published_at.is_(None),
    )
    # retention finds the published rows past their age without reading the whole table
    Index(
        "ix_outbox_published_at",
        table.c.published_at,
        postgresql_where=table.c.published_at.is_not(None),
    )
    return table


def notify_channel(source: str) -> str:
    return f"outbox_{source}"


class Outbox:
    """Adds events to the current transaction; `source` names the producing service.

    Under load the cost of an event is its statements: a transaction's events are gathered
    and sent as it commits (servicekit.db.GatheredRows), in one INSERT with its other
    gathered rows, which also wakes the relay (`pg_notify`: PostgreSQL delivers it at commit,
    only if the transaction commits, and once however many of its INSERTs asked)."""

    def __init__(self, table: Table, source: str, namespace: str = "") -> None:
        self.table = table
        self.source = source
        self.namespace = namespace
        channel = notify_channel(source).replace("'", "''")
        # the rows as arrays unnested: one text for any number of events, prepared once
        self._rows = GatheredRows(
            f"INSERT INTO {quoted(table)} (event_id, event_type, topic, key, payload, headers)"
            " SELECT e, t, tp, k, p, h::jsonb FROM unnest($1::varchar[], $2::varchar[],"
            " $3::varchar[], $4::varchar[], $5::bytea[], $6::text[]) AS r(e, t, tp, k, p, h),"
            f" (SELECT pg_notify('{channel}', '')) AS wake",
            6,
        )

    async def add(self, session: Transaction, message: Message, *, key: str) -> Envelope:
        (envelope,) = await self.add_all(session, [(message, key)])
        return envelope

    async def add_all(
        self, session: Transaction, events: Iterable[tuple[Message, str]]
    ) -> list[Envelope]:
        """Each (message, key) as an outbox row, in order, after those the transaction added
        before; written as it commits."""
        envelopes = [
            Envelope.wrap(message, source=source_of(self.source), key=key, namespace=self.namespace)
            for message, key in events
        ]
        if not envelopes:
            return envelopes
        for envelope in envelopes:
            _check_size(envelope)
        session.gather(
            self._rows,
            [
                [e.event_id for e in envelopes],
                [e.type for e in envelopes],
                [e.topic for e in envelopes],
                [e.key for e in envelopes],
                [e.body for e in envelopes],
                [_headers(e) for e in envelopes],
            ],
        )
        return envelopes


def event_size(envelope: Envelope) -> int:
    return (
        len(envelope.body)
        + len(envelope.key.encode())
        + sum(len(name) + len(value) for name, value in envelope.headers())
    )


def _check_size(envelope: Envelope) -> None:
    size = event_size(envelope)
    if size > MAX_EVENT_BYTES:
        raise EventTooLarge(
            f"the {envelope.type} event for {envelope.key} would be {size:,} bytes, over the "
            f"{MAX_EVENT_BYTES:,} an event may carry: make the change in smaller parts"
        )


def _headers(envelope: Envelope) -> str:
    """The headers as the relay reads them back: a JSON list of [name, value] pairs."""
    return json.dumps([[name, value.decode()] for name, value in envelope.headers()])
