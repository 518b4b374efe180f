"""Operator command for dead-lettered events.

    python -m messaging.dlq list                      # every dead letter, with its error
    python -m messaging.dlq redrive --id <ce_id>      # put one back on its original topic
    python -m messaging.dlq redrive --all             # put them all back

The broker address comes from --bootstrap-server, OMS_KAFKA_BOOTSTRAP_SERVERS, or the running
local stack (.run/stack.json). Redriving keeps the event's ce_id, so an event that was applied
in the meantime is still applied only once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from messaging.events import DEAD_LETTER_SUFFIX
from messaging.kafka import make_producer


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]
    raw_headers: list[tuple[str, bytes]]

    @property
    def event_id(self) -> str:
        return self.headers.get("ce_id", "?")


async def _dead_letter_partitions(bootstrap_servers: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        topics = sorted(t for t in await admin.list_topics() if t.endswith(DEAD_LETTER_SUFFIX))
        described = await admin.describe_topics(topics) if topics else []
        return [
            TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
        ]
    finally:
        await admin.close()


async def read_dead_letters(bootstrap_servers: str) -> list[DeadLetter]:
    partitions = await _dead_letter_partitions(bootstrap_servers)
    if not partitions:
        return []
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        letters: list[DeadLetter] = []
        while [p for p in partitions if await consumer.position(p) < ends[p]]:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                letters += [
                    DeadLetter(
                        r.topic,
                        r.offset,
                        r.key,
                        r.value,
                        {k: v.decode(errors="replace") for k, v in r.headers},
                        list(r.headers),
                    )
                    for r in records
                ]
        return letters
    finally:
        await consumer.stop()


async def redrive(bootstrap_servers: str, letters: list[DeadLetter]) -> int:
    producer = make_producer(bootstrap_servers, client_id="oms-dlq-redrive")
    await producer.start()
    try:
        for letter in letters:
            original = letter.headers["dlq_original_topic"]
            headers = [(k, v) for k, v in letter.raw_headers if not k.startswith("dlq_")]
            await producer.send_and_wait(
                original, value=letter.value, key=letter.key, headers=headers
            )
        return len(letters)
    finally:
        await producer.stop()


def _bootstrap(explicit: str | None) -> str:
    if explicit:
        return explicit
    if "OMS_KAFKA_BOOTSTRAP_SERVERS" in os.environ:
        return os.environ["OMS_KAFKA_BOOTSTRAP_SERVERS"]
    state = Path(".run/stack.json")
    if state.exists():
        return str(json.loads(state.read_text())["kafka_bootstrap"])
    return "127.0.0.1:19092"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m messaging.dlq")
    parser.add_argument("--bootstrap-server")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list dead-lettered events with their errors")
    again = sub.add_parser("redrive", help="republish dead letters to their original topics")
    which = again.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", action="append", help="ce_id of an event (repeatable)")
    which.add_argument("--all", action="store_true")
    args = parser.parse_args()
    bootstrap = _bootstrap(args.bootstrap_server)
    letters = asyncio.run(read_dead_letters(bootstrap))
    if args.command == "list":
        for letter in letters:
            h = letter.headers
            print(
                f"{letter.event_id}  {h.get('ce_type', '?')}  from {h.get('dlq_original_topic')}"
                f"@{h.get('dlq_original_partition')}:{h.get('dlq_original_offset')}"
                f"  consumer={h.get('dlq_consumer')}  at={h.get('dlq_time')}"
                f"\n    error: {h.get('dlq_error')}"
            )
        print(f"{len(letters)} dead letter(s)")
        return
    chosen = letters if args.all else [x for x in letters if x.event_id in set(args.id)]
    print(f"redrove {asyncio.run(redrive(bootstrap, chosen))} event(s)")


if __name__ == "__main__":
    main()
