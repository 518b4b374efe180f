"""Consumes events: each in one database transaction with its inbox claim, offsets committed only
after that transaction, failures retried with backoff, and poison events set aside on a
dead-letter topic with the error so the partition keeps flowing. An event whose `ce_source` is
not the service that owns its topic is dead-lettered unapplied: the broker lets only the owner
write there, and this check keeps a forged header from speaking for another service."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from google.protobuf.message import DecodeError, Message
from opentelemetry import context as otel_context
from opentelemetry import trace
from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.envelope import Envelope, MalformedEnvelope
from messaging.events import dead_letter_topic, event_type, source_of, topic_of, topic_owner
from messaging.faults import fault_point
from messaging.inbox import claim
from messaging.kafka import KafkaAccess, make_consumer
from servicekit.context import acting
from servicekit.db import Database
from servicekit.telemetry import extract_trace_context

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Message)


@dataclass(frozen=True)
class Subscription(Generic[M]):
    """Which handler applies which event type; the handler runs in the inbox's transaction."""

    message: type[M]
    handler: Callable[[AsyncSession, M, Envelope], Awaitable[None]]
    # Told, in a transaction of its own once the dead letter is durable, that the handler
    # failed for good (`reason`): the service records the step as stalled where people see it.
    on_dead_letter: Callable[[AsyncSession, M, Envelope, str], Awaitable[None]] | None = None


class PoisonEvent(Exception):
    """An event that can never be applied: it goes to the dead-letter topic without retries."""


def _is_transient(error: Exception) -> bool:
    """Infrastructure trouble: retry without limit instead of dead-lettering good events."""
    if isinstance(error, OperationalError | OSError | TimeoutError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class EventConsumer:
    def __init__(
        self,
        *,
        kafka: KafkaAccess,
        group_id: str,
        subscriptions: list[Subscription[Any]],
        database: Database,
        inbox: Table,
        producer: AIOKafkaProducer,
        namespace: str = "",
        attempts: int = 3,
        backoff_seconds: float = 0.1,
    ) -> None:
        self.kafka = kafka
        self.namespace = namespace
        self.group_id = group_id
        self.handlers: Mapping[str, Subscription[Any]] = {
            event_type(s.message): s for s in subscriptions
        }
        self.topics = sorted({namespace + topic_of(s.message) for s in subscriptions})
        self.database = database
        self.inbox = inbox
        self.producer = producer
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self._tracer = trace.get_tracer("messaging.consumer")

    async def run(self) -> None:
        consumer = make_consumer(self.kafka, self.group_id, self.topics)
        await consumer.start()
        try:
            while True:
                batches = await consumer.getmany(timeout_ms=500)
                for partition, records in batches.items():
                    for record in records:
                        await self.process(record)
                    fault_point("consumer.after_commit")
                    try:
                        await consumer.commit({partition: records[-1].offset + 1})
                    except (CommitFailedError, IllegalStateError) as error:
                        # The partition moved to another replica mid-batch: it will redeliver
                        # these records, and the inbox makes the second delivery a no-op.
                        log.warning("offsets not committed after a rebalance: %s", error)
        finally:
            await consumer.stop()

    async def process(self, record: ConsumerRecord) -> None:
        """Applies one record, or dead-letters it; returns once either is durable."""
        try:
            envelope = Envelope.from_record(record.topic, record.key, record.value, record.headers)
        except MalformedEnvelope as error:
            await self._dead_letter(record, f"malformed envelope: {error}")
            return
        subscription = self.handlers.get(envelope.type)
        if subscription is None:
            return  # another consumer's event on a shared topic
        owner = source_of(topic_owner(record.topic.removeprefix(self.namespace)))
        if envelope.source != owner:
            await self._dead_letter(
                record, f"ce_source {envelope.source!r} is not {owner!r}, the topic's owner"
            )
            return
        try:
            message = subscription.message.FromString(envelope.body)
        except DecodeError as error:
            await self._dead_letter(record, f"undecodable {envelope.type} body: {error}")
            return
        failures = 0
        while True:
            try:
                await self._apply(subscription, message, envelope)
                return
            except Exception as error:
                if _is_transient(error):
                    log.warning("transient failure on %s, retrying: %s", envelope.event_id, error)
                    await asyncio.sleep(min(5.0, self.backoff_seconds * 2 ** min(failures, 6)))
                    continue
                failures += 1
                if isinstance(error, PoisonEvent) or failures >= self.attempts:
                    log.exception("dead-lettering %s %s", envelope.type, envelope.event_id)
                    reason = "".join(traceback.format_exception_only(error)).strip()
                    await self._dead_letter(record, reason)
                    await self._tell_stalled(subscription, message, envelope, str(error) or reason)
                    return
                await asyncio.sleep(self.backoff_seconds * 2 ** (failures - 1))

    async def _apply(
        self, subscription: Subscription[Any], message: Message, envelope: Envelope
    ) -> None:
        token = otel_context.attach(extract_trace_context(envelope.trace_headers))
        try:
            with (
                self._tracer.start_as_current_span(
                    f"consume {envelope.type}", kind=trace.SpanKind.CONSUMER
                ),
                acting(envelope.actor, envelope.correlation_id, envelope.event_id),
            ):
                async with self.database.transaction() as session:
                    if not await claim(
                        session, self.inbox, self.group_id, envelope.event_id, envelope.type
                    ):
                        log.info("skipping redelivered %s %s", envelope.type, envelope.event_id)
                        return
                    await subscription.handler(session, message, envelope)
        finally:
            otel_context.detach(token)

    async def _tell_stalled(
        self, subscription: Subscription[Any], message: Message, envelope: Envelope, reason: str
    ) -> None:
        """The subscription's on_dead_letter, once; its failure is logged, never blocking."""
        if subscription.on_dead_letter is None:
            return
        try:
            with acting(envelope.actor, envelope.correlation_id, envelope.event_id):
                async with self.database.transaction() as session:
                    await subscription.on_dead_letter(session, message, envelope, reason)
        except Exception:
            log.exception("recording %s %s as stalled failed", envelope.type, envelope.event_id)

    async def _dead_letter(self, record: ConsumerRecord, reason: str) -> None:
        headers = [
            *[(k, v) for k, v in record.headers if not k.startswith("dlq_")],
            ("dlq_error", reason.encode()),
            ("dlq_consumer", self.group_id.encode()),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
            ("dlq_time", datetime.now(UTC).isoformat().encode()),
        ]
        # The offset moves past a poison event only once its dead letter is durable.
        while True:
            try:
                await self.producer.send_and_wait(
                    dead_letter_topic(record.topic),
                    value=record.value,
                    key=record.key,
                    headers=headers,
                )
                return
            except KafkaError as error:
                log.warning("dead letter not written yet (%s); retrying", error)
                await asyncio.sleep(1.0)
