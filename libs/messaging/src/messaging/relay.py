"""Publishes committed outbox rows to Kafka, in order, within milliseconds of their commit.

One relay per service is active at a time: replicas compete for a PostgreSQL advisory lock, and
the holder publishes while the others wait to take over. This keeps each aggregate's events in
commit order. The holder is woken by the NOTIFY its writers send at commit, and also polls, so
a row whose notification was missed (relay down at the time) is still published.

A crash between the broker's acknowledgement and marking rows published republishes them on
restart: consumers deduplicate by ce_id (the inbox), which makes the effect exactly once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.faults import fault_point
from messaging.outbox import notify_channel

log = logging.getLogger(__name__)


def _lock_key(source: str) -> int:
    return int.from_bytes(hashlib.sha256(f"outbox-relay:{source}".encode()).digest()[:7], "big")


def _asyncpg_dsn(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)


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
    ) -> None:
        self.engine = engine
        self.table = table
        self.producer = producer
        self.source = source
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Publishes forever. Database or broker trouble pauses it, never ends it: the rows stay
        unpublished and go out once both answer again."""
        while True:
            try:
                await self._run_while_connected()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, KafkaError) as error:
                log.warning("outbox relay paused (%s: %s); retrying", type(error).__name__, error)
                await asyncio.sleep(1.0)

    async def _run_while_connected(self) -> None:
        dsn = _asyncpg_dsn(self.engine.url.render_as_string(hide_password=False))
        connection = await asyncpg.connect(dsn)
        try:
            await self._become_active(connection)
            log.info("outbox relay active for %s", self.source)
            await connection.add_listener(notify_channel(self.source), self._on_notify)
            while True:
                # Cleared before the batch is read, so a commit notified while it is being
                # published wakes the next round at once instead of after the poll.
                self._wake.clear()
                published = await self.publish_batch()
                if published < self.batch_size:
                    try:
                        await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                    except TimeoutError:
                        await connection.execute(
                            "SELECT 1"
                        )  # notice a dead lock-holding connection
        finally:
            await connection.close()

    async def _become_active(self, connection: asyncpg.Connection) -> None:
        """Waits until this replica holds the relay lock (held until its connection closes)."""
        key = _lock_key(self.source)
        while not await connection.fetchval("SELECT pg_try_advisory_lock($1)", key):  # noqa: ASYNC110
            await asyncio.sleep(self.poll_seconds)

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def publish_batch(self) -> int:
        """Publishes the oldest unpublished rows; returns how many."""
        t = self.table
        async with self.engine.begin() as connection:
            rows = (
                await connection.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.payload, t.c.headers)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
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
