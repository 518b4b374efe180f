"""A minimal service for reliability tests: an outbox, an inbox, and a handler whose effect is
deliberately NOT idempotent on its own (it appends a row), so a second application shows.

It writes catalog's topic as catalog would (ce_source "catalog"), connecting as the test
session's Kafka operator (the certificates in OMS_TEST_PKI_DIR).

Run as a separate process so a test can kill it at a named fault point:
    python probe.py relay    <database_url> <bootstrap>
    python probe.py consumer <database_url> <bootstrap> <group> <key_prefix>
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from google.protobuf.message import Message
from sqlalchemy import Column, DateTime, Integer, String, Table, func

from devstack.pki import OPERATOR, Pki
from messaging.consumer import EventConsumer, PoisonEvent, Subscription
from messaging.envelope import Envelope
from messaging.kafka import KafkaAccess, make_producer
from messaging.relay import OutboxRelay
from messaging.runtime import MessagingTables
from oms.events.v1 import catalog_pb2 as events
from servicekit.db import Database, Transaction, new_metadata

# the probe stands in for catalog's outbox: consumers accept catalog's topic only from catalog
SOURCE = "catalog"
metadata = new_metadata()
tables = MessagingTables.on(metadata)
applied = Table(
    "applied",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(64), nullable=False),
    Column("key", String(200), nullable=False),
    Column("at", DateTime(timezone=True), server_default=func.now()),
)
# Events the handler refuses until their row is removed: a poison event that can be fixed.
refused = Table("refused", metadata, Column("event_id", String(64), primary_key=True))


def make_handler(key_prefix: str):  # type: ignore[no-untyped-def]
    async def handle(session: Transaction, message: Message, envelope: Envelope) -> None:
        if not envelope.key.startswith(key_prefix):
            return  # another test's event on the shared topic
        poisoned = refused.select().where(refused.c.event_id == envelope.event_id)
        if (await session.execute(poisoned)).first():
            raise PoisonEvent(f"event {envelope.event_id} refused by the probe")
        await session.execute(applied.insert().values(event_id=envelope.event_id, key=envelope.key))

    return handle


def operator(bootstrap: str) -> KafkaAccess:
    return KafkaAccess.of(bootstrap, Pki(Path(os.environ["OMS_TEST_PKI_DIR"])).files(OPERATOR))


async def run_relay(database_url: str, bootstrap: str) -> None:
    database = Database(database_url)
    producer = make_producer(operator(bootstrap), "probe-relay")
    await producer.start()
    try:
        await OutboxRelay(database.engine, tables.outbox, producer, SOURCE).run()
    finally:
        await producer.stop()


async def run_consumer(database_url: str, bootstrap: str, group: str, key_prefix: str) -> None:
    database = Database(database_url)
    producer = make_producer(operator(bootstrap), "probe-consumer")
    await producer.start()
    try:
        await EventConsumer(
            kafka=operator(bootstrap),
            group_id=group,
            subscriptions=[Subscription(events.ProductCreated, make_handler(key_prefix))],
            database=database,
            inbox=tables.inbox,
            producer=producer,
            backoff_seconds=0.05,
        ).run()
    finally:
        await producer.stop()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    mode, *args = sys.argv[1:]
    asyncio.run(run_relay(*args) if mode == "relay" else run_consumer(*args))
