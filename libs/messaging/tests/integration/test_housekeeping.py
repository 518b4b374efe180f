"""Housekeeping against the real database and broker: retention deletes only what is safe to
delete, topics carry the configured replication settings, and a relay cut off from PostgreSQL
hands publishing to a standby within seconds."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from sqlalchemy import func, select, text

from messaging.kafka import TopicsNotCreated, ensure_topics, make_admin
from messaging.retention import Retention, purge_inbox, purge_outbox, retention_loop
from testkit.services import operator

sys.path.insert(0, str(Path(__file__).parent))
import probe
from test_delivery_guarantees import Probe, eventually, probe_env

__all__ = ["probe_env"]  # the fixture, shared with the delivery-guarantee tests

OUTBOX, INBOX = probe.tables.outbox, probe.tables.inbox


async def _age_outbox(env: Probe, published: str | None, count: int) -> None:
    """`count` outbox rows created 30 days ago, published `published` ago (None: never)."""
    at = "NULL" if published is None else f"now() - interval '{published}'"
    async with env.database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO outbox (event_id, event_type, topic, key, payload, headers,"
                " created_at, published_at)"
                " SELECT gen_random_uuid()::text, 't', 'topic', 'k', '\\x00', '[]',"
                f" now() - interval '30 days', {at} FROM generate_series(1, :n)"
            ),
            {"n": count},
        )


async def _age_inbox(env: Probe, received: str, count: int) -> None:
    async with env.database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO inbox (consumer, event_id, event_type, received_at)"
                " SELECT 'group', gen_random_uuid()::text, 't',"
                f" now() - interval '{received}' FROM generate_series(1, :n)"
            ),
            {"n": count},
        )


async def _outbox_ages(env: Probe) -> dict[str, int]:
    async with env.database.transaction() as session:
        published = OUTBOX.c.published_at
        old = published < func.now() - timedelta(days=7)
        rows = (
            await session.execute(
                select(published.is_(None), old, func.count()).group_by(published.is_(None), old)
            )
        ).all()
    return {
        ("unpublished" if none else "old" if is_old else "recent"): n for none, is_old, n in rows
    }


async def test_retention_deletes_old_published_outbox_rows_in_batches_and_never_unpublished_ones(
    probe_env: Probe,
) -> None:
    await _age_outbox(probe_env, "8 days", 5)  # past the 7 days kept
    await _age_outbox(probe_env, "1 hour", 2)
    await _age_outbox(probe_env, None, 3)  # waiting for the relay, however old
    assert await purge_outbox(probe_env.database.engine, OUTBOX, timedelta(days=7), 2) == 5
    assert await _outbox_ages(probe_env) == {"recent": 2, "unpublished": 3}


async def test_retention_deletes_inbox_rows_only_past_the_inbox_retention(probe_env: Probe) -> None:
    await _age_inbox(probe_env, "15 days", 4)  # past the 14 days kept
    await _age_inbox(probe_env, "10 days", 3)  # older than the duplicate window, still kept
    await _age_inbox(probe_env, "1 minute", 2)
    assert await purge_inbox(probe_env.database.engine, INBOX, timedelta(days=14), 3) == 4
    assert await probe_env.count(INBOX) == 5


async def test_the_retention_loop_runs_on_its_own(probe_env: Probe) -> None:
    await _age_outbox(probe_env, "8 days", 2)
    await _age_inbox(probe_env, "15 days", 2)
    policy = Retention(interval_seconds=0.1, batch_size=1)
    loop = asyncio.create_task(retention_loop(probe_env.database.engine, OUTBOX, INBOX, policy)())
    try:
        await eventually(lambda: _both_empty(probe_env), seconds=10)
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop


async def _both_empty(env: Probe) -> bool:
    return await env.count(OUTBOX) == 0 and await env.count(INBOX) == 0


async def _topic_config(bootstrap: str, topic: str, name: str) -> str:
    admin = make_admin(operator(bootstrap))
    await admin.start()
    try:
        (response,) = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic, {name: None})]
        )
    finally:
        await admin.close()
    (resource,) = response.resources
    entries = {entry[0]: entry[1] for entry in resource[4]}
    return str(entries[name])


async def test_topics_are_created_with_the_configured_min_insync_replicas(
    kafka_bootstrap: str,
) -> None:
    topic = f"oms.test.housekeeping-{uuid.uuid4().hex[:8]}.v1"
    access = operator(kafka_bootstrap)
    # 2 is not the broker's default (1): reading it back shows the setting was applied
    await ensure_topics(access, [topic], 1, replication_factor=1, min_insync_replicas=2)
    assert await _topic_config(kafka_bootstrap, topic, "min.insync.replicas") == "2"


async def test_a_replication_factor_the_cluster_cannot_meet_is_refused_loudly(
    kafka_bootstrap: str,
) -> None:
    topic = f"oms.test.housekeeping-{uuid.uuid4().hex[:8]}.v1"
    with pytest.raises(TopicsNotCreated, match="InvalidReplicationFactor"):
        await ensure_topics(operator(kafka_bootstrap), [topic], 1, replication_factor=2)
