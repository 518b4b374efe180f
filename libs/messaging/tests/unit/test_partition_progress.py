"""A partition stuck on a transient failure holds back only itself: the consumer's other
partitions are applied and committed meanwhile. And the stuck one shows: past the stall
threshold the consumer names it, and health turns NOT_SERVING until it moves again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka import TopicPartition
from grpc_health.v1 import health, health_pb2
from sqlalchemy import MetaData

import messaging.consumer
from libs.messaging.tests.unit.broker_fakes import ClaimsEveryEvent, FakeProducer, FakeRecord
from messaging.consumer import EventConsumer, Subscription
from messaging.envelope import Envelope
from messaging.inbox import inbox_table
from messaging.progress import Progress
from oms.events.v1 import billing_pb2
from servicekit.health import HealthWatch

TOPIC = "oms.billing.invoice.v1"


@dataclass
class _Database(ClaimsEveryEvent):
    info: dict[str, Any] = field(default_factory=dict)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Database]:
        yield self


@dataclass
class _Broker:
    """The consumer client as the run loop uses it: polls, pauses, resumes, commits."""

    pending: dict[TopicPartition, list[FakeRecord]]
    paused: set[TopicPartition] = field(default_factory=set)
    committed: dict[TopicPartition, int] = field(default_factory=dict)
    commits: list[dict[TopicPartition, int]] = field(default_factory=list)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def assignment(self) -> set[TopicPartition]:
        return set(self.pending)

    def pause(self, partition: TopicPartition) -> None:
        self.paused.add(partition)

    def resume(self, partition: TopicPartition) -> None:
        self.paused.discard(partition)

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[Any, list[FakeRecord]]:
        ready = {p: r for p, r in self.pending.items() if r and p not in self.paused}
        for partition in ready:
            self.pending[partition] = []
        if not ready:
            await asyncio.sleep(timeout_ms / 1000)
        return ready

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(dict(offsets))
        self.committed.update(offsets)


def _record(order: str, partition: int) -> FakeRecord:
    message = billing_pb2.InvoicePaid(invoice_id=f"i-{order}", order_id=order)
    envelope = Envelope.wrap(message, source="/oms/billing", key=order)
    return FakeRecord(TOPIC, order.encode(), envelope.body, envelope.headers(), partition, 7)


async def _until(check: Callable[[], bool]) -> None:
    for _ in range(200):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met")


async def test_a_partition_stuck_on_a_transient_failure_does_not_stall_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stuck, flowing = TopicPartition(TOPIC, 0), TopicPartition(TOPIC, 1)
    broker = _Broker({stuck: [_record("o-stuck", 0)], flowing: [_record("o-ok", 1)]})
    monkeypatch.setattr(messaging.consumer, "make_consumer", lambda *_: broker)
    applied: list[str] = []

    async def handle(session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope) -> None:
        if message.order_id == "o-stuck":
            raise ConnectionRefusedError(111, "the database is down")  # transient, forever
        applied.append(message.order_id)

    now = [0.0]
    consumer = EventConsumer(
        kafka=None,  # type: ignore[arg-type]
        group_id="oms.orders",
        subscriptions=[Subscription(billing_pb2.InvoicePaid, handle)],
        database=_Database(),  # type: ignore[arg-type]
        inbox=inbox_table(MetaData()),
        producer=FakeProducer(),  # type: ignore[arg-type]
        backoff_seconds=0.01,
        stall_seconds=60,
    )
    consumer.progress.clock = lambda: now[0]
    servicer = health.aio.HealthServicer()
    watch = HealthWatch(servicer, ["", "oms.orders.v1.Orders"], [consumer.stalled])
    running = asyncio.create_task(consumer.run())
    try:
        await _until(lambda: flowing in broker.committed)
        assert applied == ["o-ok"]
        assert broker.committed == {flowing: 8}, "the stuck partition's offset stays"
        await _until(lambda: flowing not in broker.paused)  # resumed for what comes next
        assert stuck in broker.paused
        await watch.update()
        assert watch.problems == []

        now[0] = 61.0  # a minute on, the stuck partition has not moved
        # the poll loop itself goes on (it polled again since the clock moved)
        expected = [f"consumer oms.orders: partition {TOPIC}[0] stuck for 61s"]
        await _until(lambda: consumer.stalled() == expected)
        await watch.update()
        reply = await servicer.Check(health_pb2.HealthCheckRequest(service=""), None)
        assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def test_the_offsets_of_batches_applied_together_are_committed_in_one_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    partitions = [TopicPartition(TOPIC, n) for n in range(3)]
    broker = _Broker({p: [_record(f"o-{p.partition}", p.partition)] for p in partitions})
    monkeypatch.setattr(messaging.consumer, "make_consumer", lambda *_: broker)
    applied: list[str] = []

    async def handle(session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope) -> None:
        assert not broker.commits, "an offset is committed only after its batch is applied"
        applied.append(message.order_id)

    consumer = EventConsumer(
        kafka=None,  # type: ignore[arg-type]
        group_id="oms.orders",
        subscriptions=[Subscription(billing_pb2.InvoicePaid, handle)],
        database=_Database(),  # type: ignore[arg-type]
        inbox=inbox_table(MetaData()),
        producer=FakeProducer(),  # type: ignore[arg-type]
    )
    running = asyncio.create_task(consumer.run())
    try:
        await _until(lambda: len(broker.committed) == 3)
        assert sorted(applied) == ["o-0", "o-1", "o-2"]
        assert broker.commits == [dict.fromkeys(partitions, 8)], "three batches, one commit"
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


def test_progress_names_only_partitions_with_work_in_hand_and_no_progress() -> None:
    now = [0.0]
    progress = Progress(stall_seconds=10, clock=lambda: now[0])
    progress.polled()
    progress.started("t[0]")
    progress.started("t[1]")
    now[0] = 8.0
    progress.advanced("t[1]")
    progress.finished("t[0]")
    progress.started("t[2]")
    now[0] = 17.0
    progress.polled()
    assert progress.stalled() == []  # t[0] is done; t[1] moved and t[2] started at 8
    now[0] = 30.0
    progress.polled()
    assert progress.stalled() == ["partition t[1] stuck for 22s", "partition t[2] stuck for 22s"]
    now[0] = 45.0
    assert progress.stalled()[-1] == "no poll for 15s"
