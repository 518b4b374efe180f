"""What a dead letter keeps: enough for an operator to find, understand and re-drive the event,
and nothing personal.

A dead letter is a pointer plus a diagnosis. Its value is empty: the event's body (names,
addresses, amounts) stays where it already is, on its original topic, under that topic's
retention and ACLs, and the re-drive reads it from there by partition and offset
(messaging.dlq). Its headers keep the event's identity (ce_id, type, source, time, correlation
and causation ids, trace), never who acted (ce_actor). The error is its class, PostgreSQL's
SQLSTATE when there is one, and the first line of its message, without the SQL statement and
its parameters SQLAlchemy appends, nor the DETAIL line with key values PostgreSQL may add.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaError
from sqlalchemy.exc import StatementError

from messaging.events import dead_letter_topic
from servicekit.db_errors import sqlstate

log = logging.getLogger(__name__)

# Envelope headers a dead letter keeps; everything else of the record is left behind.
KEPT_HEADERS = frozenset(
    {
        "ce_specversion",
        "ce_id",
        "ce_type",
        "ce_source",
        "ce_time",
        "ce_dataschema",
        "ce_correlationid",
        "ce_causationid",
        "traceparent",
        "tracestate",
    }
)
_MESSAGE_LIMIT = 300


def error_message(error: BaseException) -> str:
    """The first line of the error's message, without the SQL SQLAlchemy appends."""
    cause: BaseException = error
    if isinstance(error, StatementError) and error.orig is not None:
        cause = error.orig  # the driver's message, not SQLAlchemy's with the statement
    lines = str(cause).strip().splitlines()
    message = lines[0] if lines else ""
    if len(message) > _MESSAGE_LIMIT:
        message = message[: _MESSAGE_LIMIT - 1] + "\u2026"
    return message


def describe(error: BaseException) -> str:
    """`Class [SQLSTATE]: first line of the message`, without SQL or parameters."""
    code = sqlstate(error)
    name = type(error).__name__ + (f" [{code}]" if code else "")
    message = error_message(error)
    return f"{name}: {message}" if message else name


def dead_letter_headers(
    headers: Sequence[tuple[str, bytes]],
    *,
    reason: str,
    error_class: str,
    sqlstate_code: str | None,
    consumer: str,
    topic: str,
    partition: int,
    offset: int,
) -> list[tuple[str, bytes]]:
    """The dead letter's headers for a record read at `topic`/`partition`/`offset`."""
    kept = [(k, v) for k, v in headers if k in KEPT_HEADERS]
    return [
        *kept,
        ("dlq_error", reason.encode()),
        ("dlq_error_class", error_class.encode()),
        *([("dlq_sqlstate", sqlstate_code.encode())] if sqlstate_code else []),
        ("dlq_consumer", consumer.encode()),
        ("dlq_original_topic", topic.encode()),
        ("dlq_original_partition", str(partition).encode()),
        ("dlq_original_offset", str(offset).encode()),
        ("dlq_time", datetime.now(UTC).isoformat().encode()),
    ]


async def set_aside(
    producer: AIOKafkaProducer,
    record: ConsumerRecord,
    consumer: str,
    reason: str,
    error_class: str,
    error: BaseException | None = None,
) -> None:
    """Writes `record`'s dead letter for `consumer`'s group; returns once it is durable (the
    offset moves past a poison event only then), retrying while the broker is away."""
    headers = dead_letter_headers(
        record.headers,
        reason=reason,
        error_class=error_class,
        sqlstate_code=sqlstate(error) if error is not None else None,
        consumer=consumer,
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
    )
    while True:
        try:
            await producer.send_and_wait(
                dead_letter_topic(record.topic), value=b"", key=record.key, headers=headers
            )
            return
        except KafkaError as failure:
            log.warning("dead letter not written yet (%s); retrying", failure)
            await asyncio.sleep(1.0)
