"""Exactly-once effects over at-least-once delivery, proved against the real broker and database
by killing the relay and the consumer at their most dangerous moments."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select

from messaging.consumer import EventConsumer, Subscription
from messaging.dead_letters_api import DeadLetterDesk, DeadLettersServicer
from messaging.dlq import (
    DeadLetter,
    OriginalGone,
    event_of,
    read_dead_letters,
    redrive,
    with_earlier_of_their_keys,
)
from messaging.events import dead_letter_topic, topic_of
from messaging.kafka import ensure_topics, make_admin, make_producer
from messaging.outbox import Outbox
from messaging.relay import OutboxRelay
from oms.events.v1 import catalog_pb2 as events
from oms.ops.v1 import dead_letters_pb2 as ops
from servicekit.context import Principal, acting
from servicekit.db import Database
from servicekit.errors import NotFound
from testkit.security import session_security
from testkit.services import operator

sys.path.insert(0, str(Path(__file__).parent))
import probe

TOPIC = topic_of(events.ProductCreated)
PROBE = str(Path(__file__).parent / "probe.py")


@dataclass
class Probe:
    database: Database
    url: str
    bootstrap: str
    prefix: str

    async def count(self, table: object) -> int:
        async with self.database.transaction() as session:
            return int(
                (await session.execute(select(func.count()).select_from(table))).scalar_one()
            )  # type: ignore[arg-type]

    async def unpublished(self) -> int:
        async with self.database.transaction() as session:
            outbox = probe.tables.outbox
            query = select(func.count()).where(outbox.c.published_at.is_(None))
            return int((await session.execute(query)).scalar_one())

    async def write_events(self, keys: list[str]) -> list[str]:
        """Commits one ProductCreated per key through the outbox; returns their ce_ids."""
        outbox = Outbox(probe.tables.outbox, probe.SOURCE)
        async with self.database.transaction() as session:
            envelopes = [
                await outbox.add(session, events.ProductCreated(product_id=k, sku=k), key=k)
                for k in keys
            ]
        return [e.event_id for e in envelopes]


@pytest.fixture
async def probe_env(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Probe]:
    url = await fresh_database("probe")
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(probe.metadata.create_all)  # a throwaway schema for the probe
    await ensure_topics(operator(kafka_bootstrap), [TOPIC, dead_letter_topic(TOPIC)], partitions=3)
    yield Probe(database, url, kafka_bootstrap, f"probe-{uuid.uuid4().hex[:8]}")
    await database.dispose()


async def run_probe(env: Probe, *args: str, fault: str | None = None) -> asyncio.subprocess.Process:
    extra = {"OMS_FAULT": fault} if fault else {}
    extra["OMS_TEST_PKI_DIR"] = str(session_security().pki.folder)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        PROBE,
        args[0],
        env.url,
        env.bootstrap,
        *args[1:],
        env={**os.environ, **extra},
    )


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.2)


async def caught_up(bootstrap: str, group: str) -> bool:
    """True when `group` has committed offsets up to the end of every partition of TOPIC."""
    admin = make_admin(operator(bootstrap))
    consumer = AIOKafkaConsumer(**operator(bootstrap).client_args(), enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        (described,) = await admin.describe_topics([TOPIC])
        partitions = [TopicPartition(TOPIC, p["partition"]) for p in described["partitions"]]
        ends = await consumer.end_offsets(partitions)
        committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
        return all(p in committed and committed[p].offset >= ends[p] for p in partitions)
    finally:
        await consumer.stop()
        await admin.close()


async def new_group(bootstrap: str) -> str:
    """A consumer group whose committed position is the topic's current end, so it sees only
    what a test publishes from now on (the topic is shared with other tests)."""
    group = f"probe-group-{uuid.uuid4().hex[:8]}"
    admin = make_admin(operator(bootstrap))
    await admin.start()
    try:
        (described,) = await admin.describe_topics([TOPIC])
        partitions = [TopicPartition(TOPIC, p["partition"]) for p in described["partitions"]]
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(
        **operator(bootstrap).client_args(), group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        await consumer.commit({p: await consumer.position(p) for p in partitions})
    finally:
        await consumer.stop()
    return group


async def records_with(bootstrap: str, topic: str, keys: set[str]) -> list[dict[str, str]]:
    """Headers of every record on `topic` whose key is in `keys`, read from the beginning."""
    consumer = AIOKafkaConsumer(
        topic,
        **operator(bootstrap).client_args(),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        found: list[dict[str, str]] = []
        while batches := await consumer.getmany(timeout_ms=1500):
            for records in batches.values():
                found += [
                    {k: v.decode() for k, v in r.headers}
                    for r in records
                    if r.key and r.key.decode() in keys
                ]
        return found
    finally:
        await consumer.stop()


async def consume_until_caught_up(env: Probe, group: str) -> None:
    consumer = await run_probe(env, "consumer", group, env.prefix)
    try:
        await eventually(lambda: caught_up(env.bootstrap, group))
    finally:
        consumer.terminate()
        await consumer.wait()


async def test_relay_killed_between_publishing_and_marking_sent_still_applies_each_event_once(
    probe_env: Probe,
) -> None:
    keys = [f"{probe_env.prefix}-{i}" for i in range(5)]
    group = await new_group(probe_env.bootstrap)
    event_ids = await probe_env.write_events(keys)

    crashed = await run_probe(probe_env, "relay", fault="relay.after_publish")
    assert await crashed.wait() == 137
    assert await probe_env.unpublished() == 5, "the crash came before the rows were marked sent"

    relay = await run_probe(probe_env, "relay")
    try:
        await eventually(lambda: _is(probe_env.unpublished(), 0))
    finally:
        relay.terminate()
        await relay.wait()

    published = await records_with(probe_env.bootstrap, TOPIC, set(keys))
    assert sorted(r["ce_id"] for r in published) == sorted(event_ids * 2), (
        "each event went out twice"
    )

    await consume_until_caught_up(probe_env, group)
    assert await probe_env.count(probe.applied) == 5


async def test_consumer_killed_after_its_transaction_before_committing_offsets_has_no_double_effect(
    probe_env: Probe,
) -> None:
    key = f"{probe_env.prefix}-order"  # one key: one partition, one batch
    group = await new_group(probe_env.bootstrap)
    await probe_env.write_events([key] * 5)
    producer = make_producer(operator(probe_env.bootstrap), "probe-test")
    await producer.start()
    try:
        relay = OutboxRelay(probe_env.database.engine, probe.tables.outbox, producer, probe.SOURCE)
        assert await relay.publish_batch() == 5
    finally:
        await producer.stop()

    crashed = await run_probe(
        probe_env, "consumer", group, probe_env.prefix, fault="consumer.after_commit"
    )
    assert await crashed.wait() == 137
    applied_before_restart = await probe_env.count(probe.applied)
    assert applied_before_restart >= 1, "the handler's transaction committed before the crash"
    assert not await caught_up(probe_env.bootstrap, group), "offsets were never committed"

    await consume_until_caught_up(probe_env, group)
    assert await probe_env.count(probe.applied) == 5
    assert len(await records_with(probe_env.bootstrap, TOPIC, {key})) == 5, (
        "no duplicate on the wire"
    )


async def test_a_poison_event_is_dead_lettered_with_its_error_and_the_partition_keeps_flowing(
    probe_env: Probe,
) -> None:
    key = f"{probe_env.prefix}-flow"  # one key: the poison sits between two good events
    group = await new_group(probe_env.bootstrap)
    first, poison, last = await probe_env.write_events([key, key, key])
    async with probe_env.database.transaction() as session:
        await session.execute(probe.refused.insert().values(event_id=poison))
    producer = make_producer(operator(probe_env.bootstrap), "probe-test")
    await producer.start()
    try:
        relay = OutboxRelay(probe_env.database.engine, probe.tables.outbox, producer, probe.SOURCE)
        await relay.publish_batch()
        garbage_headers = [
            ("ce_id", b"garbage-" + key.encode()),
            ("ce_type", b"oms.catalog.ProductCreated.v1"),
            ("ce_source", b"/oms/catalog"),
            ("ce_time", b"2026-11-24T10:00:00+00:00"),
        ]
        await producer.send_and_wait(
            TOPIC, b"\xff\xff\xff\xff", key=key.encode(), headers=garbage_headers
        )
    finally:
        await producer.stop()

    await consume_until_caught_up(probe_env, group)

    async with probe_env.database.transaction() as session:
        applied = [
            r.event_id
            for r in await session.execute(
                select(probe.applied.c.event_id).order_by(probe.applied.c.id)
            )
        ]
    assert applied == [first, last]
    letters = {
        x["ce_id"]: x
        for x in await records_with(probe_env.bootstrap, dead_letter_topic(TOPIC), {key})
    }
    assert "refused by the probe" in letters[poison]["dlq_error"]
    assert "undecodable" in letters["garbage-" + key]["dlq_error"]
    assert letters[poison]["dlq_original_topic"] == TOPIC

    # the operator fixes the cause and re-drives the dead letter: it is applied, once
    async with probe_env.database.transaction() as session:
        await session.execute(probe.refused.delete())
    listed = [
        x for x in await read_dead_letters(operator(probe_env.bootstrap)) if x.event_id == poison
    ]
    assert listed[0].value == b"", "the dead letter keeps no body; re-drive reads the original"
    assert await redrive(operator(probe_env.bootstrap), listed, by="ops-anna") == 1
    await consume_until_caught_up(
        probe_env, group
    )  # the same group: only the re-driven copy is new
    async with probe_env.database.transaction() as session:
        applied = [
            r.event_id
            for r in await session.execute(
                select(probe.applied.c.event_id).order_by(probe.applied.c.id)
            )
        ]
    assert applied.count(poison) == 1
    # ... and the letter is resolved, with who re-drove it
    still_open = await read_dead_letters(operator(probe_env.bootstrap))
    assert poison not in {x.event_id for x in still_open}
    (done,) = [
        x
        for x in await read_dead_letters(operator(probe_env.bootstrap), resolved=True)
        if x.event_id == poison
    ]
    assert (done.resolution, done.resolved_by) == ("redriven", "ops-anna")


async def test_a_letter_naming_an_offset_its_topic_never_reached_is_gone_at_once(
    probe_env: Probe,
) -> None:
    kafka = operator(probe_env.bootstrap)
    await ensure_topics(kafka, [TOPIC], partitions=3)
    headers = {
        "ce_id": f"{probe_env.prefix}-nowhere",
        "dlq_original_topic": TOPIC,
        "dlq_original_partition": "0",
        "dlq_original_offset": str(10**12),
    }
    letter = DeadLetter(dead_letter_topic(TOPIC), 0, None, b"", headers, [])

    async with asyncio.timeout(10):  # not the 30 s wait for a record that never comes
        with pytest.raises(OriginalGone, match="not on the topic"):
            await event_of(kafka, letter)


async def test_redriving_a_keys_later_dead_letter_takes_its_earlier_one_along_in_order(
    probe_env: Probe,
) -> None:
    """A key's dead letters go back in their original order: choosing the later one re-drives
    the earlier one first, so the two are applied in the order they were written."""
    key = f"{probe_env.prefix}-order"
    group = await new_group(probe_env.bootstrap)
    first, second = await probe_env.write_events([key, key])
    async with probe_env.database.transaction() as session:
        await session.execute(probe.refused.insert(), [{"event_id": first}, {"event_id": second}])
    await _publish_outbox(probe_env)
    await consume_until_caught_up(probe_env, group)
    assert await probe_env.count(probe.applied) == 0

    async with probe_env.database.transaction() as session:
        await session.execute(probe.refused.delete())
    kafka = operator(probe_env.bootstrap)
    letters = [x for x in await read_dead_letters(kafka) if x.key == key.encode()]
    later = [x for x in letters if x.event_id == second]
    ordered = with_earlier_of_their_keys(later, letters)
    assert [x.event_id for x in ordered] == [first, second]
    assert await redrive(kafka, ordered, by="ops-ben") == 2
    await consume_until_caught_up(probe_env, group)

    async with probe_env.database.transaction() as session:
        applied = [
            r.event_id
            for r in await session.execute(
                select(probe.applied.c.event_id).order_by(probe.applied.c.id)
            )
        ]
    assert applied == [first, second]
    assert not [x for x in await read_dead_letters(kafka) if x.key == key.encode()]


async def _publish_outbox(env: Probe) -> None:
    producer = make_producer(operator(env.bootstrap), "probe-test")
    await producer.start()
    try:
        relay = OutboxRelay(env.database.engine, probe.tables.outbox, producer, probe.SOURCE)
        await relay.publish_batch()
    finally:
        await producer.stop()


async def test_an_event_whose_source_is_not_the_topics_owner_is_dead_lettered_not_applied(
    probe_env: Probe,
) -> None:
    """The broker lets only catalog write catalog's topic; a forged `ce_source` (an operator's
    mistake, a re-driven record from elsewhere) must not speak for another service either."""
    key = f"{probe_env.prefix}-forged"
    group = await new_group(probe_env.bootstrap)
    outbox = Outbox(probe.tables.outbox, "billing")  # billing claiming catalog's event
    async with probe_env.database.transaction() as session:
        forged = await outbox.add(session, events.ProductCreated(product_id=key), key=key)
    producer = make_producer(operator(probe_env.bootstrap), "probe-test")
    await producer.start()
    try:
        relay = OutboxRelay(probe_env.database.engine, probe.tables.outbox, producer, probe.SOURCE)
        assert await relay.publish_batch() == 1
    finally:
        await producer.stop()

    await consume_until_caught_up(probe_env, group)

    assert await probe_env.count(probe.applied) == 0
    letters = await records_with(probe_env.bootstrap, dead_letter_topic(TOPIC), {key})
    assert [x["ce_id"] for x in letters] == [forged.event_id]
    assert "is not '/oms/catalog', the topic's owner" in letters[0]["dlq_error"]


async def _is(value: Awaitable[int], expected: int) -> bool:
    return await value == expected


async def test_an_admin_redrives_a_dead_letter_through_its_service_and_it_is_applied_once(
    probe_env: Probe,
) -> None:
    """DeadLettersService: the service lists its group's open letter, re-applies it through its
    own consumer (an unfixed cause makes a new open letter), and closes it as the operator's
    command would, so `read_dead_letters` agrees it is resolved and by whom."""
    key = f"{probe_env.prefix}-api"
    group = await new_group(probe_env.bootstrap)
    (poison,) = await probe_env.write_events([key])
    async with probe_env.database.transaction() as session:
        await session.execute(probe.refused.insert(), [{"event_id": poison}])
    kafka = operator(probe_env.bootstrap)
    producer = make_producer(kafka, "probe-api")
    await producer.start()
    consumer = EventConsumer(
        kafka=kafka,
        group_id=group,
        subscriptions=[Subscription(events.ProductCreated, probe.make_handler(key))],
        database=probe_env.database,
        inbox=probe.tables.inbox,
        producer=producer,
        backoff_seconds=0.05,
    )
    desk = DeadLetterDesk(kafka)
    desk.attach(producer, [consumer])
    api = DeadLettersServicer(desk)
    running = asyncio.create_task(consumer.run())
    admin = Principal("ada", ("admin",))

    async def listed() -> list[ops.DeadLetter]:
        reply = await api.ListDeadLetters(ops.ListDeadLettersRequest(), None)
        return [x for x in reply.dead_letters if x.event_id == poison]

    async def applied() -> list[str]:
        async with probe_env.database.transaction() as session:
            rows = await session.execute(select(probe.applied.c.event_id))
            return [r.event_id for r in rows if r.event_id == poison]

    try:
        await _publish_outbox(probe_env)
        await eventually(lambda: _non_empty(listed()))
        (letter,) = await listed()
        assert (letter.group, letter.topic, letter.key) == (group, TOPIC, key)
        assert letter.event_type == "oms.catalog.ProductCreated.v1"
        assert letter.error_class == "PoisonEvent"
        assert "refused by the probe" in letter.error
        assert letter.attempts == 1

        # re-driven before the fix: it fails again and is a new open letter
        with acting(admin):
            again = await api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id=poison), None)
        assert list(again.failed_again_event_ids) == [poison]
        (letter,) = await listed()
        assert letter.attempts == 2
        assert await applied() == []

        # the fix is made: the re-drive applies it once, and closes the letter
        async with probe_env.database.transaction() as session:
            await session.execute(probe.refused.delete())
        with acting(admin):
            done = await api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id=poison), None)
        assert (list(done.redriven_event_ids), list(done.failed_again_event_ids)) == ([poison], [])
        assert await applied() == [poison]
        assert await listed() == []
        assert poison not in {x.event_id for x in await read_dead_letters(kafka)}
        closed = [x for x in await read_dead_letters(kafka, resolved=True) if x.event_id == poison]
        assert [(x.resolution, x.resolved_by) for x in closed] == [("redriven", "ada")] * 2
        with acting(admin), pytest.raises(NotFound):
            await api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id=poison), None)
        assert await applied() == [poison]
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await producer.stop()


async def _non_empty(found: Awaitable[list[ops.DeadLetter]]) -> bool:
    return bool(await found)
