"""The broker dies and comes back: writers never notice, the relay and the consumer wait, nothing
is lost."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import func, select

from devstack.kafka import KafkaBroker
from messaging.kafka import ensure_topics
from messaging.outbox import Outbox
from oms.events.v1 import catalog_pb2 as events
from servicekit.db import Database
from testkit.security import session_security
from testkit.services import free_port, operator

sys.path.insert(0, str(Path(__file__).parent))
import probe

PROBE = str(Path(__file__).parent / "probe.py")


async def test_relay_and_consumer_outlive_a_broker_outage_and_nothing_written_meanwhile_is_lost(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    security = session_security()
    folder = Path(tempfile.mkdtemp(prefix="outage-"))
    broker = KafkaBroker(folder, free_port(), free_port(), security.pki)
    await asyncio.to_thread(broker.start)
    url = await fresh_database("outage")
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(probe.metadata.create_all)
    await ensure_topics(operator(broker.bootstrap), ["oms.catalog.product.v1"], partitions=1)
    outbox = Outbox(probe.tables.outbox, probe.SOURCE)

    async def write(count: int) -> None:
        async with database.transaction() as session:
            for _ in range(count):
                key = str(uuid.uuid4())
                await outbox.add(session, events.ProductCreated(product_id=key), key=key)

    async def unpublished() -> int:
        async with database.transaction() as session:
            t = probe.tables.outbox
            return int(
                (
                    await session.execute(select(func.count()).where(t.c.published_at.is_(None)))
                ).scalar_one()
            )

    async def until_published(seconds: float) -> None:
        for _ in range(int(seconds * 10)):
            if await unpublished() == 0:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{await unpublished()} events still unpublished")

    async def applied() -> int:
        async with database.transaction() as session:
            query = select(func.count()).select_from(probe.applied)
            return int((await session.execute(query)).scalar_one())

    async def until_applied(count: int, seconds: float) -> None:
        for _ in range(int(seconds * 10)):
            if await applied() == count:
                return
            await asyncio.sleep(0.1)

    probe_env = {**os.environ, "OMS_TEST_PKI_DIR": str(security.pki.folder)}
    relay = await asyncio.create_subprocess_exec(
        sys.executable, PROBE, "relay", url, broker.bootstrap, env=probe_env
    )
    consumer = await asyncio.create_subprocess_exec(
        sys.executable, PROBE, "consumer", url, broker.bootstrap, "outage-group", "", env=probe_env
    )
    try:
        await write(3)
        await until_published(20)
        # the consumer is up and consuming before the broker goes (a slow start would otherwise
        # meet the outage in its first connection, which is not what this test is about)
        await until_applied(3, 60)
        assert await applied() == 3

        assert broker.process is not None
        broker.process.send_signal(signal.SIGKILL)
        broker.process.wait()
        await write(3)  # the business transaction does not need the broker
        # longer than the producer's 15 s request timeout: the relay's sends fail, it must not die
        await asyncio.sleep(20)
        assert relay.returncode is None, "the relay kept running"
        assert await unpublished() == 3

        assert consumer.returncode is None, "the consumer kept running"

        await asyncio.to_thread(broker.start)
        await until_published(60)
        await until_applied(6, 60)
        assert await applied() == 6, "every event applied once, the outage's too"
        assert (relay.returncode, consumer.returncode) == (None, None)
    finally:
        for process in (relay, consumer):
            process.terminate()
            await process.wait()
        broker.stop()
        await database.dispose()
