"""An outbox row the broker will never take (too large) is parked with the reason, where
operators find it, and the rows behind it go out; the rows before it are not sent again."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from libs.messaging.tests.integration.test_delivery_guarantees import records_with
from messaging.envelope import Envelope
from messaging.events import topic_of
from messaging.kafka import ensure_topics, make_producer
from messaging.metrics import watch_outbox
from messaging.outbox import Outbox, outbox_table
from messaging.relay import OutboxRelay
from oms.events.v1 import catalog_pb2 as events
from servicekit.db import Database, new_metadata
from servicekit.metrics import Metrics
from testkit.services import operator

TOPIC = topic_of(events.ProductCreated)


async def test_a_row_too_large_for_the_broker_is_parked_and_the_rows_behind_it_go_out(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> None:
    metadata = new_metadata()
    table = outbox_table(metadata)
    database = Database(await fresh_database("parking"))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await ensure_topics(operator(kafka_bootstrap), [TOPIC], partitions=3)
    prefix = f"park-{uuid.uuid4().hex[:8]}"
    outbox = Outbox(table, "catalog")
    async with database.transaction() as session:
        before = await outbox.add(session, events.ProductCreated(product_id="a"), key=f"{prefix}-a")
        # written as a row from before events were size-checked (or a broker with a lower limit)
        huge = Envelope.wrap(events.ProductCreated(), source="/oms/catalog", key=f"{prefix}-b")
        await session.execute(
            table.insert().values(
                event_id=huge.event_id,
                event_type=huge.type,
                topic=huge.topic,
                key=huge.key,
                payload=b"x" * 2_000_000,
                headers=[[k, v.decode()] for k, v in huge.headers()],
            )
        )
        after = await outbox.add(session, events.ProductCreated(product_id="c"), key=f"{prefix}-c")

    producer = make_producer(operator(kafka_bootstrap), "parking-test")
    await producer.start()
    try:
        relay = OutboxRelay(database.engine, table, producer, "catalog")
        assert await relay.publish_batch() == 3
        assert await relay.publish_batch() == 0, "the parked row is not tried again"
    finally:
        await producer.stop()

    async with database.transaction() as session:
        rows = {
            r.event_id: r
            for r in await session.execute(
                select(table.c.event_id, table.c.published_at, table.c.parked_reason)
            )
        }
    assert rows[before.event_id].published_at is not None
    assert rows[after.event_id].published_at is not None
    assert rows[huge.event_id].published_at is None
    assert "MessageSizeTooLargeError" in rows[huge.event_id].parked_reason
    assert "2,000,000 bytes" in rows[huge.event_id].parked_reason
    # operators see it as parked, not as a backlog the relay is failing to send
    metrics = Metrics()
    watch_outbox(metrics, database.engine, table)
    scraped = {
        s.name: s.value
        for family in text_string_to_metric_families((await metrics.render()).decode())
        for s in family.samples
    }
    assert scraped["oms_outbox_parked_events"] == 1
    assert scraped["oms_outbox_backlog_events"] == 0
    assert scraped["oms_outbox_oldest_age_seconds"] == 0
    sent = await records_with(kafka_bootstrap, TOPIC, {f"{prefix}-{k}" for k in "abc"})
    # each once (the topic may have several partitions: no order across keys)
    assert sorted(x["ce_id"] for x in sent) == sorted([before.event_id, after.event_id])
    await database.dispose()
