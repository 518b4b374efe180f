"""Reads the orders service's sales-order events as another team's consumer would: its own
consumer group, mutual TLS with its own certificate, each record decoded by its `ce_type` with
the protobuf message for that type, offsets committed only after the records are handled.

The platform team registers the client once with the topic's scope (`python -m devstack.pki
register-client shipping-sync --scope events:oms.orders.sales-order.v1`), which lets it read the
topic with consumer groups named `shipping-sync.*`. This program reads:

    OMS_TLS_CA_FILE, OMS_TLS_CERT_FILE, OMS_TLS_KEY_FILE   the CA and the client's PEM files
    OMS_CLIENT_NAME            the registered name (its groups are `<name>.<purpose>`)
    OMS_KAFKA_BOOTSTRAP        host:port of the brokers (default: make run's, 127.0.0.1:19092)

    python examples/consume_orders.py        # prints one JSON line per event; Ctrl-C stops

What a team can rely on (docs/contracts.md): an event's type and topic never change, fields are
only added (old readers ignore the new ones: protobuf keeps unknown fields and reads on), and a
new event type may appear on the topic at any time (skip what you do not know). Delivery is at
least once: handle an event idempotently, keyed by its `ce_id`.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import DecodeError, Message

from oms.events.v1 import options_pb2, orders_pb2
from omsclient import TlsFiles

TOPIC = "oms.orders.sales-order.v1"


def event_types(*modules: object) -> dict[str, type[Message]]:
    """ce_type -> message class, for every event the generated modules declare."""
    found: dict[str, type[Message]] = {}
    for module in modules:
        for descriptor in module.DESCRIPTOR.message_types_by_name.values():  # type: ignore[attr-defined]
            declared = descriptor.GetOptions().Extensions[options_pb2.event_type]
            if declared:
                found[declared] = getattr(module, descriptor.name)
    return found


# The events this consumer understands; anything else on the topic is skipped.
KNOWN = event_types(orders_pb2)


@dataclass(frozen=True)
class Event:
    id: str  # ce_id: unique per event, the key to deduplicate on
    type: str  # ce_type, e.g. "oms.orders.SalesOrderPlaced.v1"
    source: str  # ce_source, "/oms/orders"
    time: str  # ce_time, RFC 3339
    key: str  # the aggregate's id: the sales order's
    message: Message
    partition: int
    offset: int


@dataclass
class Counts:
    handled: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # ce_type -> how many


@dataclass(frozen=True)
class Settings:
    bootstrap: str
    tls: TlsFiles
    group: str

    @classmethod
    def from_env(cls, purpose: str = "order-feed") -> Settings:
        return cls(
            os.environ.get("OMS_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
            TlsFiles.from_env(),
            f"{os.environ['OMS_CLIENT_NAME']}.{purpose}",
        )


def decode(record: ConsumerRecord[bytes, bytes]) -> Event | str:
    """The record as an Event, or the reason it is skipped (unknown type, no headers)."""
    headers = {name: value.decode() for name, value in record.headers}
    event_type = headers.get("ce_type", "")
    message_type = KNOWN.get(event_type)
    if message_type is None:
        return event_type or "(no ce_type)"
    try:
        message = message_type.FromString(record.value or b"")
    except DecodeError:
        return f"{event_type} (undecodable)"
    return Event(
        id=headers.get("ce_id", ""),
        type=event_type,
        source=headers.get("ce_source", ""),
        time=headers.get("ce_time", ""),
        key=(record.key or b"").decode(),
        message=message,
        partition=record.partition,
        offset=record.offset,
    )


async def consume(
    settings: Settings,
    handle: Callable[[Event], Awaitable[None]],
    stop: asyncio.Event,
    topic: str = TOPIC,
) -> Counts:
    """Handles every event of `topic` from the group's committed offsets (the beginning for a
    new group) until `stop` is set; commits each batch's offsets once all of it is handled."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.bootstrap,
        security_protocol="SSL",
        ssl_context=settings.tls.ssl_context(),
        group_id=settings.group,
        enable_auto_commit=False,  # committed below, after handling: nothing is lost
        auto_offset_reset="earliest",
    )
    counts = Counts()
    try:
        await consumer.start()  # inside: a refused start (a group not the client's) closes it too
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=500, max_records=200)
            for records in batch.values():
                for record in records:
                    decoded = decode(record)
                    if isinstance(decoded, str):
                        counts.skipped[decoded] = counts.skipped.get(decoded, 0) + 1
                        continue
                    await handle(decoded)
                    counts.handled += 1
            if batch:
                await consumer.commit()
    finally:
        await consumer.stop()
    return counts


async def print_event(event: Event) -> None:
    body = MessageToDict(event.message, preserving_proto_field_name=True)
    print(json.dumps({"ce_id": event.id, "ce_type": event.type, "key": event.key, "event": body}))


async def main() -> None:
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    counts = await consume(Settings.from_env(), print_event, stop)
    print(f"handled {counts.handled}, skipped {sum(counts.skipped.values())}: {counts.skipped}")


if __name__ == "__main__":
    asyncio.run(main())
