"""Batches against the real broker and database: a partition's events are applied in one
transaction, a batch redelivered after a crash applies nothing twice, and a poison event in the
middle of a batch dead-letters only itself while the events around it apply exactly once; a
batch cut short gives back the claims of the events it did not apply."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import Table, func, select, text

from messaging.envelope import Envelope
from messaging.events import dead_letter_topic
from messaging.inbox import claim_all, release
from messaging.kafka import make_producer
from messaging.outbox import Outbox
from messaging.relay import OutboxRelay
from oms.events.v1 import catalog_pb2
from servicekit.db import Transaction
from testkit.services import operator

sys.path.insert(0, str(Path(__file__).parent))
import probe
from test_delivery_guarantees import (
    TOPIC,
    Probe,
    caught_up,
    consume_until_caught_up,
    new_group,
    probe_env,
    records_with,
    run_probe,
)

__all__ = ["probe_env"]  # the fixture, shared with the delivery-guarantee tests

WAIT = "1s"  # a lock timeout for claims in tests that meet no lock


async def publish(env: Probe, keys: list[str]) -> list[str]:
    """Writes one event per key through the outbox and publishes them all; their ce_ids."""
    event_ids = await env.write_events(keys)
    producer = make_producer(operator(env.bootstrap), "probe-test")
    await producer.start()
    try:
        relay = OutboxRelay(env.database.engine, probe.tables.outbox, producer, probe.SOURCE)
        assert await relay.publish_batch() == len(keys)
    finally:
        await producer.stop()
    return event_ids


async def transactions(env: Probe, table: Table, column: str) -> tuple[int, int]:
    """How many rows, and how many distinct `now()`s they were written at: PostgreSQL's now()
    is the start of the transaction, so rows written by one transaction share it."""
    async with env.database.transaction() as session:
        query = select(func.count(), func.count(func.distinct(table.c[column])))
        rows, distinct = (await session.execute(query)).one()
    return int(rows), int(distinct)


async def test_a_partitions_events_apply_in_one_transaction_and_a_redelivery_applies_nothing(
    probe_env: Probe,
) -> None:
    key = f"{probe_env.prefix}-batch"  # one key: one partition, one batch
    group = await new_group(probe_env.bootstrap)
    await publish(probe_env, [key] * 20)

    crashed = await run_probe(
        probe_env, "consumer", group, probe_env.prefix, fault="consumer.after_commit"
    )
    assert await crashed.wait() == 137
    assert await transactions(probe_env, probe.applied, "at") == (20, 1), "one transaction"
    assert await transactions(probe_env, probe.tables.inbox, "received_at") == (20, 1)
    assert not await caught_up(probe_env.bootstrap, group), "offsets were never committed"

    await consume_until_caught_up(probe_env, group)  # the whole batch again
    assert await transactions(probe_env, probe.applied, "at") == (20, 1), "nothing twice"


async def test_a_poison_event_in_a_batch_dead_letters_only_itself_and_others_events_are_skipped(
    probe_env: Probe,
) -> None:
    key = f"{probe_env.prefix}-poisoned-batch"
    group = await new_group(probe_env.bootstrap)
    event_ids = await probe_env.write_events([key] * 10)
    poison = event_ids[4]
    async with probe_env.database.transaction() as session:
        await session.execute(probe.refused.insert().values(event_id=poison))
    producer = make_producer(operator(probe_env.bootstrap), "probe-test")
    await producer.start()
    try:
        relay = OutboxRelay(probe_env.database.engine, probe.tables.outbox, producer, probe.SOURCE)
        assert await relay.publish_batch() == 10
        # Another group's event type, and malformed too (no ce_id): this group skips it unread.
        theirs = [("ce_type", b"oms.catalog.ProductDiscontinued.v1")]
        await producer.send_and_wait(TOPIC, b"\xff", key=key.encode(), headers=theirs)
    finally:
        await producer.stop()

    await consume_until_caught_up(probe_env, group)

    async with probe_env.database.transaction() as session:
        query = select(probe.applied.c.event_id).order_by(probe.applied.c.id)
        applied = [row.event_id for row in await session.execute(query)]
    assert applied == [e for e in event_ids if e != poison], "the others once, in order"
    letters = await records_with(probe_env.bootstrap, dead_letter_topic(TOPIC), {key})
    assert [x["ce_id"] for x in letters] == [poison]
    assert "refused by the probe" in letters[0]["dlq_error"]


async def test_one_statement_claims_a_batch_once_even_with_a_copy_inside_it(
    probe_env: Probe,
) -> None:
    inbox, kind = probe.tables.inbox, "oms.catalog.ProductCreated.v1"
    async with probe_env.database.transaction() as session:
        first = await claim_all(
            session, inbox, "g", [("a", kind), ("b", kind), ("a", kind)], lock_timeout=WAIT
        )
    async with probe_env.database.transaction() as session:
        again = await claim_all(session, inbox, "g", [("b", kind), ("c", kind)], lock_timeout=WAIT)
        other_group = await claim_all(session, inbox, "h", [("a", kind)], lock_timeout=WAIT)
    assert (first, again, other_group) == ({"a", "b"}, {"c"}, {"a"})


async def test_the_claim_sets_the_transactions_lock_timeout_and_only_its_own(
    probe_env: Probe,
) -> None:
    inbox, kind = probe.tables.inbox, "oms.catalog.ProductCreated.v1"
    show = text("SHOW lock_timeout")
    async with probe_env.database.transaction() as session:
        before = (await session.execute(show)).scalar_one()
        await claim_all(session, inbox, "g", [("a", kind)], lock_timeout="50ms")
        during = (await session.execute(show)).scalar_one()
        # a claim of events all seen before claims nothing, and still sets the timeout
        await session.execute(text("SET LOCAL lock_timeout = 0"))
        await claim_all(session, inbox, "g", [("a", kind)], lock_timeout="40ms")
        again = (await session.execute(show)).scalar_one()
    async with probe_env.database.transaction() as session:
        after = (await session.execute(show)).scalar_one()
    assert (before, during, again, after) == ("0", "50ms", "40ms", "0")


async def test_a_batch_cut_short_gives_back_only_its_own_groups_claims(probe_env: Probe) -> None:
    inbox, kind = probe.tables.inbox, "oms.catalog.ProductCreated.v1"
    async with probe_env.database.transaction() as session:
        await claim_all(session, inbox, "h", [("b", kind)], lock_timeout=WAIT)
    async with probe_env.database.transaction() as session:
        fresh = await claim_all(
            session, inbox, "g", [("a", kind), ("b", kind), ("c", kind)], lock_timeout=WAIT
        )
        await release(session, inbox, "g", {"b", "c"})  # cut short before b: b and c unapplied
    async with probe_env.database.transaction() as session:
        again = await claim_all(
            session, inbox, "g", [("a", kind), ("b", kind), ("c", kind)], lock_timeout=WAIT
        )
        other_group = await claim_all(session, inbox, "h", [("b", kind)], lock_timeout=WAIT)
    assert (fresh, again, other_group) == ({"a", "b", "c"}, {"b", "c"}, set())


async def test_claims_and_outbox_rows_sent_on_the_driver_commit_and_roll_back_with_the_session(
    probe_env: Probe,
) -> None:
    """Each is the first statement of its transaction (servicekit.db.driver begins it): a
    transaction that fails keeps neither, one that commits keeps both, with its other rows."""
    inbox, kind = probe.tables.inbox, "oms.catalog.ProductCreated.v1"
    outbox = Outbox(probe.tables.outbox, probe.SOURCE)
    created = catalog_pb2.ProductCreated(product_id="p-driver")

    lost: list[Envelope] = []

    async def claim_then_fail(session: Transaction) -> None:
        await claim_all(session, inbox, "d", [("x", kind)], lock_timeout=WAIT)

    async def add_then_fail(session: Transaction) -> None:
        lost.extend(await outbox.add_all(session, [(created, "p-driver")]))

    for first_statement in (claim_then_fail, add_then_fail):
        with pytest.raises(ZeroDivisionError):
            await _failing(probe_env, first_statement)
    async with probe_env.database.transaction() as session:
        (kept,) = await outbox.add_all(session, [(created, "p-driver")])
        fresh = await claim_all(session, inbox, "d", [("x", kind)], lock_timeout=WAIT)
        await session.execute(probe.applied.insert().values(event_id="x", key="p-driver"))
    rows = probe.tables.outbox.c
    async with probe_env.database.transaction() as session:
        written = select(rows.event_id, rows.headers).where(rows.key == "p-driver")
        found = {r.event_id: r.headers for r in await session.execute(written)}
        applied = await session.scalar(select(func.count()).where(probe.applied.c.event_id == "x"))
    assert fresh == {"x"}
    assert list(found) == [kept.event_id] != [lost[0].event_id]
    assert found[kept.event_id] == [[n, v.decode()] for n, v in kept.headers()]
    assert applied == 1


async def _failing(env: Probe, step: Callable[[Transaction], Awaitable[None]]) -> None:
    """`step` in a transaction that then fails."""
    async with env.database.transaction() as session:
        await step(session)
        _ = 1 / 0
