"""A subscription is told, in a transaction of its own, when its handler fails for good and the
event is dead-lettered (the service records the step as stalled); a failing hook never blocks
the partition, and a handler that succeeds tells nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import MetaData

from libs.messaging.tests.unit.broker_fakes import ClaimsEveryEvent, FakeProducer, FakeRecord
from messaging.consumer import EventConsumer, PoisonEvent, Subscription
from messaging.envelope import Envelope
from messaging.inbox import inbox_table
from oms.events.v1 import billing_pb2


@dataclass
class _Database(ClaimsEveryEvent):
    """Transactions that claim every inbox row; how many were opened."""

    opened: int = 0
    info: dict[str, Any] = field(default_factory=dict)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        self.opened += 1
        yield self


def _record() -> FakeRecord:
    message = billing_pb2.InvoicePaid(invoice_id="i-1", order_id="o-1")
    envelope = Envelope.wrap(message, source="/oms/billing", key="o-1")
    return FakeRecord(envelope.topic, b"o-1", envelope.body, envelope.headers())


def _consumer(subscription: Subscription[Any], database: _Database, producer: FakeProducer) -> Any:
    return EventConsumer(
        kafka=None,  # type: ignore[arg-type]  # process() never reaches the broker itself
        group_id="oms.orders",
        subscriptions=[subscription],
        database=database,  # type: ignore[arg-type]
        inbox=inbox_table(MetaData()),
        producer=producer,  # type: ignore[arg-type]
        backoff_seconds=0,
    )


async def test_a_refused_event_is_dead_lettered_then_the_subscription_is_told_why() -> None:
    told: list[tuple[str, str]] = []

    async def refuse(session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope) -> None:
        raise PoisonEvent(f"no sales order {message.order_id}")

    async def stalled(
        session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope, reason: str
    ) -> None:
        told.append((message.order_id, reason))

    database, producer = _Database(), FakeProducer()
    subscription = Subscription(billing_pb2.InvoicePaid, refuse, on_dead_letter=stalled)
    await _consumer(subscription, database, producer).process(_record())
    assert [topic for topic, _ in producer.sent] == ["oms.billing.invoice.v1.dlq"]
    assert told == [("o-1", "no sales order o-1")]
    assert database.opened == 2  # the handler's (rolled back), then the hook's own


async def test_a_failing_hook_is_logged_and_an_applied_event_tells_nothing() -> None:
    told: list[str] = []

    async def refuse(session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope) -> None:
        raise PoisonEvent("refused")

    async def broken(
        session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope, reason: str
    ) -> None:
        raise RuntimeError("the hook's own trouble")

    async def apply(session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope) -> None:
        return None

    async def tell(
        session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope, reason: str
    ) -> None:
        told.append(reason)

    producer = FakeProducer()
    failing = Subscription(billing_pb2.InvoicePaid, refuse, on_dead_letter=broken)
    await _consumer(failing, _Database(), producer).process(_record())  # does not raise
    assert len(producer.sent) == 1
    applied = Subscription(billing_pb2.InvoicePaid, apply, on_dead_letter=tell)
    await _consumer(applied, _Database(), producer).process(_record())
    assert (told, len(producer.sent)) == ([], 1)
