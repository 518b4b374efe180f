"""PostgreSQL restarts (a fast shutdown: every session cut, as a failover would) under a relay
and a consumer: neither dies, the events that arrive while the server is away wait, a
connection pooled before the restart is not handed out dead, and nothing is lost or doubled."""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from devstack.postgres import PostgresCluster
from messaging.envelope import Envelope
from messaging.events import dead_letter_topic
from messaging.kafka import ensure_topics, make_producer
from oms.events.v1 import catalog_pb2 as events
from servicekit.db import Database
from testkit.services import free_port, operator

sys.path.insert(0, str(Path(__file__).parent))
import probe

from libs.messaging.tests.integration.test_delivery_guarantees import (
    TOPIC,
    Probe,
    eventually,
    new_group,
    records_with,
    run_probe,
)


@pytest.fixture
async def private_postgres() -> AsyncIterator[PostgresCluster]:
    """A server of this test's own: restarting the session's would disturb the other tests."""
    folder = Path(tempfile.mkdtemp(prefix="pg-restart-"))
    cluster = await asyncio.to_thread(PostgresCluster.private, folder / "pgdata", free_port())
    try:
        await cluster.wait_ready()
        yield cluster
    finally:
        await asyncio.to_thread(cluster.stop)
        shutil.rmtree(folder, ignore_errors=True)
        if cluster.data_dir is not None:
            shutil.rmtree(cluster.data_dir, ignore_errors=True)


async def test_relay_and_consumer_ride_out_a_postgresql_restart_and_lose_nothing(
    private_postgres: PostgresCluster, kafka_bootstrap: str
) -> None:
    name = f"restart_{uuid.uuid4().hex[:8]}"
    await private_postgres.create_database(name)
    url = private_postgres.url(name)
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(probe.metadata.create_all)
    await ensure_topics(operator(kafka_bootstrap), [TOPIC, dead_letter_topic(TOPIC)], 3)
    env = Probe(database, url, kafka_bootstrap, f"restart-{uuid.uuid4().hex[:8]}")
    group = await new_group(kafka_bootstrap)
    relay = await run_probe(env, "relay")
    consumer = await run_probe(env, "consumer", group, env.prefix)
    try:
        before = await env.write_events([f"{env.prefix}-{i}" for i in range(5)])
        await eventually(lambda: _applied(env, 5))

        # down for a few seconds; meanwhile events reach the consumer straight from the broker
        down = asyncio.create_task(asyncio.to_thread(private_postgres.restart, 4.0))
        await asyncio.sleep(1.0)
        during = await _publish_directly(kafka_bootstrap, [f"{env.prefix}-d{i}" for i in range(5)])
        await down
        await private_postgres.wait_ready()

        # the test's own pool holds connections from before the restart: none is handed out dead
        after = await env.write_events([f"{env.prefix}-a{i}" for i in range(5)])
        await eventually(lambda: _applied(env, 15), seconds=90)

        assert relay.returncode is None, "the relay outlived the restart"
        assert consumer.returncode is None, "the consumer outlived the restart"
        async with database.transaction() as session:
            applied = (await session.execute(select(probe.applied.c.event_id))).scalars().all()
        assert sorted(applied) == sorted(before + during + after), "each event applied once"
        keys = {
            f"{env.prefix}-{k}" for k in [*range(5), *(f"{p}{i}" for p in "da" for i in range(5))]
        }
        letters = await records_with(kafka_bootstrap, dead_letter_topic(TOPIC), keys)
        assert letters == [], "no good event was dead-lettered for the server's absence"
    finally:
        for process in (relay, consumer):
            process.terminate()
            await process.wait()
        await database.dispose()


async def _applied(env: Probe, count: int) -> bool:
    async with env.database.transaction() as session:
        found = (await session.execute(select(func.count()).select_from(probe.applied))).scalar()
    return found == count


async def _publish_directly(bootstrap: str, keys: list[str]) -> list[str]:
    """ProductCreated events as catalog's relay would publish them, without any database."""
    producer = make_producer(operator(bootstrap), "restart-test")
    await producer.start()
    try:
        ids = []
        for key in keys:
            envelope = Envelope.wrap(
                events.ProductCreated(product_id=key), source="/oms/catalog", key=key
            )
            await producer.send_and_wait(
                TOPIC, envelope.body, key=key.encode(), headers=envelope.headers()
            )
            ids.append(envelope.event_id)
        return ids
    finally:
        await producer.stop()
