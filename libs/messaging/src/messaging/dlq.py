"""Operator command for dead-lettered events.

    python -m messaging.dlq list                      # every dead letter, with its error
    python -m messaging.dlq redrive --id <ce_id>      # put one back on its original topic
    python -m messaging.dlq redrive --all             # put them all back

The broker address and the operator's certificate (Kafka's ACLs let only an operator read every
dead-letter topic and write back to any topic) come from --bootstrap-server and --tls-ca,
--tls-cert, --tls-key, from OMS_KAFKA_BOOTSTRAP_SERVERS and OMS_KAFKA_TLS_{CA,CERT,KEY}_FILE, or
from the running local stack (.run/stack.json). Redriving keeps the event's ce_id, so an event
that was applied in the meantime is still applied only once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from messaging.events import DEAD_LETTER_SUFFIX
from messaging.kafka import KafkaAccess, make_admin, make_producer
from servicekit.tls import TlsFiles


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


async def _dead_letter_partitions(kafka: KafkaAccess) -> list[TopicPartition]:
    admin = make_admin(kafka)
    await admin.start()
    try:
        topics = sorted(t for t in await admin.list_topics() if t.endswith(DEAD_LETTER_SUFFIX))
        described = await admin.describe_topics(topics) if topics else []
        return [
            TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
        ]
    finally:
        await admin.close()


async def read_dead_letters(kafka: KafkaAccess) -> list[DeadLetter]:
    partitions = await _dead_letter_partitions(kafka)
    if not partitions:
        return []
    consumer = AIOKafkaConsumer(**kafka.client_args(), enable_auto_commit=False)
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


async def redrive(kafka: KafkaAccess, letters: list[DeadLetter]) -> int:
    producer = make_producer(kafka, client_id="oms-dlq-redrive")
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


def _kafka(args: argparse.Namespace) -> KafkaAccess:
    state_file = Path(".run/stack.json")
    state: dict[str, Any] = json.loads(state_file.read_text()) if state_file.exists() else {}
    operator = state.get("operator_tls", {})

    def pick(flag: str | None, variable: str, key: str) -> str:
        value = flag or os.environ.get(variable) or operator.get(key) or state.get(key)
        if not value:
            raise SystemExit(f"no {key}: pass it, set {variable}, or start the local stack")
        return str(value)

    bootstrap = pick(args.bootstrap_server, "OMS_KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap")
    tls = TlsFiles.of(
        pick(args.tls_ca, "OMS_KAFKA_TLS_CA_FILE", "ca"),
        pick(args.tls_cert, "OMS_KAFKA_TLS_CERT_FILE", "cert"),
        pick(args.tls_key, "OMS_KAFKA_TLS_KEY_FILE", "key"),
    )
    return KafkaAccess.of(bootstrap, tls)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m messaging.dlq")
    parser.add_argument("--bootstrap-server")
    parser.add_argument("--tls-ca", help="the project CA (PEM)")
    parser.add_argument("--tls-cert", help="an operator's certificate (PEM)")
    parser.add_argument("--tls-key", help="its private key (PEM)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list dead-lettered events with their errors")
    again = sub.add_parser("redrive", help="republish dead letters to their original topics")
    which = again.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", action="append", help="ce_id of an event (repeatable)")
    which.add_argument("--all", action="store_true")
    args = parser.parse_args()
    kafka = _kafka(args)
    letters = asyncio.run(read_dead_letters(kafka))
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
    print(f"redrove {asyncio.run(redrive(kafka, chosen))} event(s)")


if __name__ == "__main__":
    main()
