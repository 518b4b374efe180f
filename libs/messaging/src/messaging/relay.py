"""Publishes committed outbox rows to Kafka, in order, within milliseconds of their commit.

One relay per service is active at a time: replicas compete for a PostgreSQL advisory lock held
as a lease (messaging.leadership: heartbeats, and server-side timeouts that free the lock of a
silent holder within seconds), and the holder publishes while the others wait to take over.
This keeps each aggregate's events in commit order. The holder is woken by the NOTIFY its
writers send at commit, and also polls, so a row whose notification was missed (relay down at
the time) is still published.

A crash between the broker's acknowledgement and marking rows published republishes them on
restart: consumers deduplicate by ce_id (the inbox), which makes the effect exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy import Table, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.faults import fault_point
from messaging.leadership import LeadershipLost, Lease, RelayLock
from messaging.outbox import notify_channel

log = logging.getLogger(__name__)

# How long a batch's transaction may wait on the client (for the broker's acknowledgements,
# bounded by the producer's 15 s request timeout). Past it the server rolls the batch back and
# frees its rows: a relay lost mid-batch cannot hold them, and with them its successor, for long.
_BATCH_IDLE_LIMIT = text("SET LOCAL idle_in_transaction_session_timeout = '30s'")


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

    async def run(self) -> None:
        """Publishes forever. Database or broker trouble pauses it, never ends it: the rows stay
        unpublished and go out once both answer again."""
        while True:
            try:
                await self._run_while_connected()
            except (
                OSError,
                asyncpg.PostgresError,
                asyncpg.InterfaceError,
                SQLAlchemyError,
                KafkaError,
                LeadershipLost,
            ) as error:
                log.warning("outbox relay paused (%s: %s); retrying", type(error).__name__, error)
                await asyncio.sleep(1.0)

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
        """Publishes the oldest unpublished rows; returns how many.

        The rows are locked without SKIP LOCKED: a successor waits for the batch a deposed
        holder still has in flight rather than publishing the rows after it out of order."""
        t = self.table
        async with self.engine.begin() as connection:
            await connection.execute(_BATCH_IDLE_LIMIT)
            rows = (
                await connection.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.payload, t.c.headers)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self.batch_size)
                    .with_for_update()
                )
            ).all()
            if not rows:
                return 0
            acks = [
                await self.producer.send(
                    row.topic,
                    value=row.payload,
                    key=row.key.encode(),
                    headers=[(name, value.encode()) for name, value in row.headers],
                )
                for row in rows
            ]
            await asyncio.gather(*acks)
            fault_point("relay.after_publish")
            await connection.execute(
                update(t)
                .where(t.c.id.in_([row.id for row in rows]))
                .values(published_at=func.now())
            )
        return len(rows)
