"""What the consumer does with a failing event depends on what failed, read from PostgreSQL's
SQLSTATE: a deadlock, a serialization failure, a full connection table, a pool with no free
connection, a server restarting are retried until they pass (never dead-lettered); a failure
about the event itself is dead-lettered, and the dead letter keeps a diagnosis, not the body,
the SQL or its parameters. Records of a type no contract declares are counted and logged."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import pytest
from sqlalchemy import MetaData, exc
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi

from libs.messaging.tests.unit.broker_fakes import ClaimsEveryEvent, FakeProducer, FakeRecord
from messaging.consumer import EventConsumer, Subscription
from messaging.envelope import Envelope
from messaging.inbox import inbox_table
from oms.events.v1 import billing_pb2

_DBAPI = AsyncAdapt_asyncpg_dbapi(asyncpg)


def _session_error(driver_error: Exception) -> exc.DBAPIError:
    """What a session raises when PostgreSQL answers `driver_error` (chained as SQLAlchemy's
    asyncpg dialect chains it), with a statement and a personal parameter in its text."""
    adapted = _DBAPI.Error(str(driver_error), driver_error)
    adapted.__cause__ = driver_error
    error = exc.DBAPIError.instance(
        "UPDATE customers SET email = $1", ("jane@example.com",), adapted, _DBAPI.Error
    )
    error.__cause__ = adapted
    return error


@dataclass
class _Database(ClaimsEveryEvent):
    """Transactions whose inbox claim always succeeds."""

    info: dict[str, Any] = field(default_factory=dict)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Database]:
        yield self


def _record(kind: str | None = None) -> FakeRecord:
    message = billing_pb2.InvoicePaid(invoice_id="i-1", order_id="o-1")
    envelope = Envelope.wrap(message, source="/oms/billing", key="o-1")
    headers = envelope.headers()
    if kind is not None:
        headers = [(k, kind.encode() if k == "ce_type" else v) for k, v in headers]
    return FakeRecord(envelope.topic, b"o-1", envelope.body, headers, partition=2, offset=41)


def _consumer(handler: Callable[..., Any], producer: FakeProducer) -> EventConsumer:
    return EventConsumer(
        kafka=None,  # type: ignore[arg-type]  # process() never reaches the broker itself
        group_id="oms.orders",
        subscriptions=[Subscription(billing_pb2.InvoicePaid, handler)],
        database=_Database(),  # type: ignore[arg-type]
        inbox=inbox_table(MetaData()),
        producer=producer,  # type: ignore[arg-type]
        backoff_seconds=0,
    )


def _failing(times: int, error: BaseException) -> tuple[Callable[..., Any], list[str]]:
    applied: list[str] = []
    calls = 0

    async def handle(session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope) -> None:
        nonlocal calls
        calls += 1
        if calls <= times:
            raise error
        applied.append(message.order_id)

    return handle, applied


@pytest.mark.parametrize(
    "error",
    [
        _session_error(asyncpg.DeadlockDetectedError("deadlock detected")),
        _session_error(asyncpg.SerializationError("could not serialize access")),
        _session_error(asyncpg.TooManyConnectionsError("sorry, too many clients already")),
        _session_error(asyncpg.AdminShutdownError("terminating connection")),
        _session_error(asyncpg.CannotConnectNowError("the database system is starting up")),
        exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached"),
    ],
    ids=["40P01", "40001", "53300", "57P01", "57P03", "pool timeout"],
)
async def test_a_transient_failure_is_retried_past_the_attempts_and_never_dead_lettered(
    error: BaseException,
) -> None:
    producer = FakeProducer()
    handler, applied = _failing(5, error)  # more failures than the 3 attempts of a bad event
    await _consumer(handler, producer).process(_record())
    assert applied == ["o-1"]
    assert producer.sent == []


async def test_a_dead_letter_keeps_a_diagnosis_without_body_sql_parameters_or_actor() -> None:
    producer = FakeProducer()
    error = _session_error(
        asyncpg.CheckViolationError(
            'new row violates check constraint "credit_positive"\nDETAIL: Failing row contains '
            "(jane@example.com)."
        )
    )
    handler, applied = _failing(99, error)
    await _consumer(handler, producer).process(_record())

    assert applied == []
    ((topic, headers),) = producer.sent
    assert topic == "oms.billing.invoice.v1.dlq"
    assert producer.values == [b""], "the body stays on its original topic"
    text = b" ".join(headers.values()).decode()
    assert "jane@example.com" not in text
    assert "UPDATE customers" not in text
    assert headers["dlq_error"].decode() == (
        'DBAPIError [23514]: new row violates check constraint "credit_positive"'
    )
    assert headers["dlq_error_class"] == b"DBAPIError"
    assert headers["dlq_sqlstate"] == b"23514"
    assert (headers["dlq_original_partition"], headers["dlq_original_offset"]) == (b"2", b"41")
    assert "ce_actor" not in headers
    assert headers["ce_type"] == b"oms.billing.InvoicePaid.v1"


async def test_unknown_event_types_are_counted_and_logged_once_per_type(
    caplog: pytest.LogCaptureFixture,
) -> None:
    producer = FakeProducer()
    handler, applied = _failing(0, RuntimeError())
    consumer = _consumer(handler, producer)
    with caplog.at_level(logging.WARNING, logger="messaging.consumer"):
        for _ in range(3):
            await consumer.process_batch([_record("oms.billing.InvoicePaid.v2")])
        # another group's event of a known type is no news
        await consumer.process_batch([_record("oms.billing.InvoiceIssued.v1")])

    assert consumer.unknown_types == {"oms.billing.InvoicePaid.v2": 3}
    warnings = [r.getMessage() for r in caplog.records if "unknown type" in r.getMessage()]
    assert len(warnings) == 1
    assert "oms.billing.InvoicePaid.v2" in warnings[0]
    assert (applied, producer.sent) == ([], [])
