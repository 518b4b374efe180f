"""The stalled saga steps on the wire and back into the consumer: a dead-lettered event recorded
as a stalled step (the subscription's on_dead_letter), a step as protobuf, and `Redriver`, which
applies a step's event again through its subscription's handler with the inbox, as the consumer
would."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import Table

from messaging.consumer import PoisonEvent, Subscription
from messaging.envelope import Envelope
from messaging.events import event_type
from messaging.inbox import claim
from oms.orders.v1 import orders_pb2 as pb
from orders.application.ports import UnitOfWork
from orders.application.reactions.on_step_stalled import on_step_stalled
from orders.domain.stalled import StalledEvent, StalledStep
from servicekit.db import Database, Transaction

log = logging.getLogger(__name__)


def step_to_proto(step: StalledStep) -> pb.StalledStep:
    at = Timestamp()
    at.FromDatetime(step.stalled_at)
    return pb.StalledStep(
        order_id=step.order_id,
        quote_id=step.quote_id,
        step=step.step,
        reason=step.reason,
        status=step.status,
        stalled_at=at,
        attempts=step.attempts,
        retried_by=step.retried_by,
    )


def _ids(message: Message) -> tuple[str, str]:
    """The order and quote an event concerns (QuoteAccepted names its order as target_id)."""
    quote_id = str(getattr(message, "quote_id", ""))
    order_id = str(getattr(message, "order_id", "") or getattr(message, "target_id", ""))
    return order_id, quote_id


def stalled_step(message: Message, envelope: Envelope, reason: str) -> StalledStep:
    order_id, quote_id = _ids(message)
    event = StalledEvent(
        envelope.event_id,
        envelope.type,
        envelope.topic,
        envelope.key,
        envelope.body,
        envelope.source,
        envelope.time,
        envelope.correlation_id,
    )
    return StalledStep(
        envelope.event_id, order_id, quote_id, envelope.type, reason, envelope.time, event
    )


class Stalling:
    """The subscriptions' on_dead_letter: the dead-lettered event becomes a stalled step."""

    def __init__(self, joining: Any) -> None:
        self.joining = joining

    async def __call__(
        self, session: Transaction, message: Message, envelope: Envelope, reason: str
    ) -> None:
        uow: UnitOfWork = self.joining(session)
        await on_step_stalled(uow, stalled_step(message, envelope, reason))


class Redriver:
    """Applies a stalled event again through its subscription, in a transaction with the inbox
    row (an event applied since, e.g. redriven from the dead letters, is not applied twice)."""

    def __init__(self, database: Database, inbox: Table, consumer: str) -> None:
        self.database = database
        self.inbox = inbox
        self.consumer = consumer
        self.handlers: dict[str, Subscription[Any]] = {}

    def bind(self, subscriptions: Sequence[Subscription[Any]]) -> None:
        self.handlers = {event_type(s.message): s for s in subscriptions}

    async def __call__(self, event: StalledEvent) -> str:
        subscription = self.handlers.get(event.event_type)
        if subscription is None:
            return f"orders no longer reads {event.event_type}"
        message = subscription.message.FromString(event.body)
        envelope = Envelope(
            event.event_id,
            event.event_type,
            event.source,
            event.time,
            event.topic,
            event.key,
            event.body,
            "",
            event.correlation_id,
        )
        try:
            async with self.database.transaction() as session:
                first = await claim(
                    session, self.inbox, self.consumer, event.event_id, event.event_type
                )
                if first:
                    await subscription.handler(session, message, envelope)
        except PoisonEvent as error:
            return str(error)
        except Exception as error:  # still failing: the step stays stalled, with why
            log.exception("retrying %s %s failed", event.event_type, event.event_id)
            return f"{type(error).__name__}: {error}"
        return ""
