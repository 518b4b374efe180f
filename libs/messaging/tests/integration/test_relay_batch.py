"""The relay's batch against real PostgreSQL and Kafka: the oldest pending rows are locked and
marked published in one statement between BEGIN and COMMIT, sent in the order they were
written, and a send that fails leaves every row of the batch pending."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiokafka.errors import KafkaTimeoutError
from sqlalchemy import event, func, select

from libs.messaging.tests.integration.test_delivery_guarantees import records_with
from messaging.events import topic_of
from messaging.kafka import ensure_topics, make_producer
from messaging.outbox import Outbox, outbox_table
from messaging.relay import OutboxRelay
from oms.events.v1 import catalog_pb2 as events
from servicekit.db import Database, new_metadata
from testkit.services import operator

TOPIC = topic_of(events.ProductCreated)
metadata = new_metadata()
table = outbox_table(metadata)


async def _database_with_rows(
    fresh_database: Callable[[str], Awaitable[str]], key: str, count: int
) -> tuple[Database, list[str]]:
    database = Database(await fresh_database("relay_batch"))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    outbox = Outbox(table, "catalog")
    ids = []
    for i in range(count):  # one transaction each: rows of several commits
        async with database.transaction() as session:
            written = await outbox.add(session, events.ProductCreated(product_id=str(i)), key=key)
            ids.append(written.event_id)
    return database, ids


async def _pending(database: Database) -> int:
    async with database.transaction() as session:
        query = select(func.count()).where(table.c.published_at.is_(None))
        return int(await session.scalar(query) or 0)


def _statements_sent(database: Database) -> list[str]:
    """The statements every connection the engine hands out sends from now on."""
    sent: list[str] = []

    def log(dbapi_connection: Any, *_: object) -> None:
        dbapi_connection.driver_connection.add_query_logger(lambda r: sent.append(r.query))

    event.listen(database.engine.sync_engine, "checkout", log)
    return sent


async def test_a_batch_is_taken_and_marked_in_one_statement_and_sent_in_the_order_written(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> None:
    key = f"batch-{uuid.uuid4().hex[:8]}"
    database, ids = await _database_with_rows(fresh_database, key, 5)
    await ensure_topics(operator(kafka_bootstrap), [TOPIC], partitions=3)
    producer = make_producer(operator(kafka_bootstrap), "relay-batch-test")
    await producer.start()
    sent = _statements_sent(database)
    try:
        relay = OutboxRelay(database.engine, table, producer, "catalog")
        assert await relay.publish_batch() == 5
    finally:
        await producer.stop()

    assert [q.split(" ", 1)[0] for q in sent] == ["BEGIN;", "UPDATE", "COMMIT;"], sent
    assert await _pending(database) == 0
    published = await records_with(kafka_bootstrap, TOPIC, {key})
    assert [r["ce_id"] for r in published] == ids, "one key's events in the order written"
    await database.dispose()


class _BrokerTimingOut:
    """A producer whose every send is accepted and then never acknowledged."""

    async def send(self, *_: object, **__: object) -> asyncio.Future[None]:
        failed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        failed.set_exception(KafkaTimeoutError())
        return failed


async def test_a_send_that_fails_leaves_every_row_of_its_batch_pending(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    database, _ = await _database_with_rows(fresh_database, "failing", 3)
    relay = OutboxRelay(database.engine, table, _BrokerTimingOut(), "catalog")  # type: ignore[arg-type]
    with pytest.raises(KafkaTimeoutError):
        await relay.publish_batch()
    assert await _pending(database) == 3, "the mark rolled back with the failed send"
    await database.dispose()
