"""Publishes committed outbox rows to Kafka, in order, within milliseconds of their commit.

One relay per service is active at a time: replicas compete for a PostgreSQL advisory lock held
as a lease (messaging.leadership: heartbeats, and server-side timeouts that free the lock of a
silent holder within seconds), and the holder publishes while the others wait to take over.
This keeps each aggregate's events in commit order. The holder is woken by the NOTIFY its
writers send at commit, and also polls, so a row whose notification was missed (relay down at
the time) is still published.

A crash between the broker's acknowledgement and the commit that marks rows published
republishes them on restart: consumers deduplicate by ce_id (the inbox), which makes the effect
exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    KafkaError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)
from opentelemetry import trace
from sqlalchemy import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.faults import fault_point
from messaging.leadership import LeadershipLost, Lease, RelayLock
from messaging.outbox import notify_channel
from messaging.tracing import published_headers
from servicekit.db import Transaction, driver, quoted

log = logging.getLogger(__name__)

# How long a batch's transaction may wait on the client (for the broker's acknowledgements,
# bounded by the producer's 15 s request timeout). Past it the server rolls the batch back and
# frees its rows: a relay lost mid-batch cannot hold them, and with them its successor, for long.
_BATCH_IDLE_LIMIT = "30s"
# Database or broker trouble, and a lost lease: the relay waits and connects again.
_EXPECTED = (
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    SQLAlchemyError,
    KafkaError,
    LeadershipLost,
)
_FIRST_PAUSE = 1.0
_LONGEST_PAUSE = 30.0
# What the broker or the producer answers for a record it will never take, however often sent.
_REFUSED_FOR_SIZE = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError)


@dataclass(frozen=True)
class _Row:
    id: int
    event_id: str
    topic: str
    key: str
    payload: bytes
    headers: list[list[str]]


@dataclass(frozen=True)
class _Statements:
    take: str
    parked: str


@cache
def _statements(table: Table) -> _Statements:
    # Built once per table, sent on the driver (servicekit.db.driver): every batch runs them.
    # The oldest pending rows are locked and marked published in one statement, then sent while
    # the transaction is open: a failed send rolls the mark back, and a crash before the commit
    # leaves them pending to be sent again, as a mark after the send would. The batch's idle
    # limit is set in the same statement (a SET LOCAL of its own was a round trip per batch).
    name = quoted(table)
    return _Statements(
        take=(
            f"UPDATE {name} SET published_at = now() WHERE id IN ("
            f"SELECT id FROM {name} WHERE published_at IS NULL AND parked_at IS NULL"
            " AND set_config('idle_in_transaction_session_timeout', $2, true) IS NOT NULL"
            " ORDER BY id LIMIT $1 FOR UPDATE)"
            " RETURNING id, event_id, topic, key, payload, headers"
        ),
        parked=(
            f"UPDATE {name} SET published_at = NULL, parked_at = now(), parked_reason = $2"
            " WHERE id = $1"
        ),
    )


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        table: Table,
        producer: AIOKafkaProducer,
        source: str,
        *,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        lease: Lease | None = None,
    ) -> None:
        self.engine = engine
        self.table = table
        self.producer = producer
        self.source = source
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.lease = lease or Lease()
        self._wake = asyncio.Event()
        self._tracer = trace.get_tracer("messaging.relay")

    async def run(self) -> None:
        """Publishes forever. Database or broker trouble pauses it, never ends it: the rows stay
        unpublished and go out once both answer again."""
        delay = _FIRST_PAUSE
        while True:
            began = time.monotonic()
            try:
                await self._run_while_connected()
            except _EXPECTED as error:
                log.warning(
                    "outbox relay paused (%s: %s); retrying in %.0fs",
                    type(error).__name__, error, delay,
                )  # fmt: skip
            except Exception:
                # not one of the troubles above: still no reason to stop the service's
                # publishing for good, but one an operator should see in full
                log.exception("outbox relay failed; retrying in %.0fs", delay)
            # back off while the trouble lasts; a relay that ran a while starts over quickly
            delay = _FIRST_PAUSE if time.monotonic() - began > _LONGEST_PAUSE else delay
            await asyncio.sleep(delay)
            delay = min(delay * 2, _LONGEST_PAUSE)

    async def _run_while_connected(self) -> None:
        url = self.engine.url.render_as_string(hide_password=False)
        lock = RelayLock(await asyncpg.connect(self.lease.dsn(url)), self.source, self.lease)
        keeper: asyncio.Task[None] | None = None
        try:
            await lock.acquire(self.poll_seconds)
            log.info("outbox relay active for %s", self.source)
            await lock.connection.add_listener(notify_channel(self.source), self._on_notify)
            keeper = asyncio.create_task(lock.keep(self._wake))
            await self._publish_while_leader(lock)
        finally:
            if keeper is not None:
                keeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keeper
            await lock.release()

    async def _publish_while_leader(self, lock: RelayLock) -> None:
        while True:
            lock.check()  # a deposed holder must not publish beside its successor
            # Cleared before the batch is read, so a commit notified while it is being
            # published wakes the next round at once instead of after the poll.
            self._wake.clear()
            published = await self.publish_batch()
            if published < self.batch_size:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):  # not wait_for: see _beat
                        await self._wake.wait()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def publish_batch(self) -> int:
        """Publishes the oldest unpublished rows; returns how many it handled (published, or
        parked because the broker will never take them): one round trip between BEGIN and
        COMMIT when every row goes out.

        The rows are locked without SKIP LOCKED: a successor waits for the batch a deposed
        holder still has in flight rather than publishing the rows after it out of order."""
        async with self.engine.begin() as connection:
            statements = _statements(self.table)
            raw = await driver(Transaction(connection))
            taken = await raw.fetch(statements.take, self.batch_size, _BATCH_IDLE_LIMIT)
            if not taken:
                return 0
            rows = sorted((_Row(*record) for record in taken), key=lambda row: row.id)
            refused = await self._send(rows)
            fault_point("relay.after_publish")
            if refused:
                await raw.executemany(statements.parked, list(refused.items()))
        return len(rows)

    async def _send(self, rows: Sequence[_Row]) -> dict[int, str]:
        """Sends every row and awaits every acknowledgement; returns the rows refused for their
        size (id -> reason). Any other failure raises: the batch is sent again later.

        A refused row is parked rather than retried: it would be refused forever, holding back
        every row behind it and making the relay resend the rows before it each round."""
        refused: dict[int, str] = {}
        acks: list[tuple[Any, asyncio.Future[Any]]] = []
        for row in rows:
            try:
                ack = await self.producer.send(
                    row.topic,
                    value=row.payload,
                    key=row.key.encode(),
                    headers=published_headers(self._tracer, row.topic, row.headers),
                )
            except _REFUSED_FOR_SIZE as error:  # the producer's own limit, before sending
                refused[row.id] = self._parked(row, error)
                continue
            acks.append((row, ack))
        results = await asyncio.gather(*(ack for _, ack in acks), return_exceptions=True)
        for (row, _), result in zip(acks, results, strict=True):
            if isinstance(result, _REFUSED_FOR_SIZE):  # the broker's limit
                refused[row.id] = self._parked(row, result)
            elif isinstance(result, BaseException):
                raise result
        return refused

    def _parked(self, row: _Row, error: Exception) -> str:
        reason = f"refused by the broker for its size ({len(row.payload):,} bytes): {error}"
        log.error(
            "outbox row %s (event %s on %s, key %s) parked: %s",
            row.id, row.event_id, row.topic, row.key, reason,
        )  # fmt: skip
        return reason
