"""Operator command for dead-lettered events (docs/dead-letters.md).

    python -m messaging.dlq list [--resolved]          # unresolved dead letters, with errors
    python -m messaging.dlq redrive --id <ce_id>       # put one back (with its key's earlier ones)
    python -m messaging.dlq redrive --all              # put every unresolved one back
    python -m messaging.dlq resolve --id <ce_id>       # set one aside for good, without re-driving

A dead letter holds no body (messaging.deadletter): re-driving reads the event from its original
topic, partition and offset and publishes it again, unchanged but for two headers naming who
re-drove it and when. Each re-driven or resolved letter is then marked resolved by a record on
its dead-letter topic (`dlq_resolves` = the letter's offset there, `dlq_resolves_id` its ce_id,
`dlq_resolved_by`, `dlq_resolved_at`, `dlq_resolution`), so `list` shows what is still open and
who closed the rest; an event that fails again after its re-drive is a new, open letter.

Order: the letters of one key go back in their original order, and choosing one takes the
earlier unresolved letters of its key along, so a key's dead letters are never applied out of
order among themselves. Re-driving keeps the event's ce_id, so an event that was applied in the
meantime is still applied only once.

The broker address and the operator's certificate (Kafka's ACLs let only an operator read every
dead-letter topic and write back to any topic) come from --bootstrap-server and --tls-ca,
--tls-cert, --tls-key, from OMS_KAFKA_BOOTSTRAP_SERVERS and OMS_KAFKA_TLS_{CA,CERT,KEY}_FILE, or
from the running local stack (.run/stack.json). Who acts is --by, else OMS_OPERATOR, else the
login name.

Each service's DeadLettersService (messaging.dead_letters_api) shares this reading (narrowed to
its own dead-letter topics and consumer groups), the order rule and the resolution records, so
the command and the admins' pages agree on what is open.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import json
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from messaging.events import DEAD_LETTER_SUFFIX
from messaging.kafka import KafkaAccess, make_admin, make_producer
from servicekit.tls import TlsFiles

RESOLVES = "dlq_resolves"
# How long a reading fetch waits at a partition's end: the reader stops there, and its stop
# waits for the fetch in flight.
_READ_WAIT_MS = 20


class OriginalGone(RuntimeError):
    """The dead-lettered event is no longer on its original topic (past its retention)."""


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]
    raw_headers: list[tuple[str, bytes]]
    resolved_by: str | None = None
    resolved_at: str | None = None
    resolution: str | None = None
    partition: int = 0

    @property
    def event_id(self) -> str:
        return self.headers.get("ce_id", "?")

    @property
    def original(self) -> tuple[str, int, int]:
        """Where the event was read: topic, partition, offset."""
        h = self.headers
        return (
            h["dlq_original_topic"],
            int(h["dlq_original_partition"]),
            int(h["dlq_original_offset"]),
        )


async def _dead_letter_partitions(
    kafka: KafkaAccess, topics: Collection[str] | None = None
) -> list[TopicPartition]:
    """The partitions of `topics` (dead-letter topics), or of every dead-letter topic there is
    (which needs the right to describe the cluster's topics: an operator's)."""
    admin = make_admin(kafka)
    await admin.start()
    try:
        if topics is None:
            listed = await admin.list_topics()
            topics = [t for t in listed if t.endswith(DEAD_LETTER_SUFFIX)]
        named = sorted(topics)
        described = await admin.describe_topics(named) if named else []
        return [
            TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
        ]
    finally:
        await admin.close()


def reading_consumer(
    kafka: KafkaAccess, partitions: list[TopicPartition], reset: str
) -> AIOKafkaConsumer:
    """A consumer without a group, `partitions` assigned, starting at their `reset` end
    (`earliest` or `latest`) unless sought.

    Assigned before it starts, so that its first metadata request covers every topic: asked
    after, the offsets of n topics it knows nothing of take n metadata rounds. Its fetches wait
    at most `_READ_WAIT_MS` at a partition's end: a broker answers one connection's requests in
    turn, so a question asked behind a long poll (the offsets, the stop) waits for it. An
    admin's lookup must answer within the gateway's deadline."""
    consumer = AIOKafkaConsumer(
        **kafka.client_args(),
        enable_auto_commit=False,
        auto_offset_reset=reset,
        fetch_max_wait_ms=_READ_WAIT_MS,
    )
    consumer.assign(partitions)
    return consumer


# Readers stopping in the background (stop_in_background), kept until they have stopped.
_stopping: set[asyncio.Task[None]] = set()


def stop_in_background(consumer: AIOKafkaConsumer) -> None:
    """Stops a reader without waiting for it. Its stop waits until the broker has closed each
    TLS connection, which took over 5 s under load (the event loop gives an SSL shutdown up to
    30 s): an admin's lookup answered past the gateway's deadline waiting for nothing it needs."""
    task = asyncio.get_running_loop().create_task(consumer.stop())
    _stopping.add(task)
    task.add_done_callback(_stopping.discard)


async def _read_all(kafka: KafkaAccess, partitions: list[TopicPartition]) -> list[ConsumerRecord]:
    return await read_to_end(reading_consumer(kafka, partitions, "earliest"), partitions)


async def read_to_end(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition]
) -> list[ConsumerRecord]:
    """Every record of `partitions`, up to their ends as they were when asked, through a
    `consumer` not started yet, with them assigned; it is stopped in the background."""
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
        found: list[ConsumerRecord] = []
        while [p for p in partitions if await consumer.position(p) < ends[p]]:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                found += records
        return found
    finally:
        stop_in_background(consumer)


async def read_dead_letters(
    kafka: KafkaAccess,
    *,
    resolved: bool = False,
    topics: Collection[str] | None = None,
    groups: Collection[str] | None = None,
) -> list[DeadLetter]:
    """The unresolved dead letters (with `resolved`, also the resolved ones, each with who
    resolved it), in the order they were written: of the dead-letter `topics` (default: every
    one) and of the consumer `groups` (default: every group)."""
    partitions = await _dead_letter_partitions(kafka, topics)
    records = await _read_all(kafka, partitions) if partitions else []
    # resolution records share their letter's key, so its partition: (topic, partition, offset)
    closed: dict[tuple[str, int, str], dict[str, str]] = {}
    letters: list[DeadLetter] = []
    for r in records:
        headers = {k: v.decode(errors="replace") for k, v in r.headers}
        if RESOLVES in headers:
            closed[(r.topic, r.partition, headers[RESOLVES])] = headers
        elif groups is None or headers.get("dlq_consumer") in groups:
            letter = DeadLetter(r.topic, r.offset, r.key, r.value, headers, list(r.headers))
            letters.append(dataclasses.replace(letter, partition=r.partition))
    marked = [_marked(x, closed.get((x.topic, x.partition, str(x.offset)))) for x in letters]
    return [x for x in marked if resolved or x.resolved_by is None]


def _marked(letter: DeadLetter, resolution: dict[str, str] | None) -> DeadLetter:
    if resolution is None:
        return letter
    return dataclasses.replace(
        letter,
        resolved_by=resolution.get("dlq_resolved_by", "?"),
        resolved_at=resolution.get("dlq_resolved_at"),
        resolution=resolution.get("dlq_resolution"),
    )


def with_earlier_of_their_keys(
    chosen: list[DeadLetter], letters: list[DeadLetter]
) -> list[DeadLetter]:
    """`chosen` plus every unresolved letter of the same topic and key that came before one of
    them, in original order."""
    latest: dict[tuple[str, bytes | None], tuple[int, int]] = {}
    for letter in chosen:
        topic, partition, offset = letter.original
        latest[(topic, letter.key)] = max(
            latest.get((topic, letter.key), (-1, -1)), (partition, offset)
        )
    taken = {id(x) for x in chosen}
    for letter in letters:
        topic, partition, offset = letter.original
        bound = latest.get((topic, letter.key))
        if letter.resolved_by is None and bound is not None and (partition, offset) <= bound:
            taken.add(id(letter))
    unique = {id(x): x for x in [*chosen, *letters] if id(x) in taken}
    return sorted(unique.values(), key=lambda x: x.original)


async def _original(kafka: KafkaAccess, letter: DeadLetter) -> ConsumerRecord:
    topic, partition, offset = letter.original
    where = TopicPartition(topic, partition)
    consumer = reading_consumer(kafka, [where], "latest")
    await consumer.start()
    try:
        if (await consumer.beginning_offsets([where]))[where] > offset:
            raise OriginalGone(f"{letter.event_id}: {topic}@{partition}:{offset} is past retention")
        # an offset the partition never reached (a letter from another cluster, or edited)
        # would otherwise be waited for until the timeout below
        end = (await consumer.end_offsets([where]))[where]
        if end <= offset:
            raise OriginalGone(
                f"{letter.event_id}: {topic}@{partition}:{offset} is not on the topic (it ends "
                f"at offset {end})"
            )
        consumer.seek(where, offset)
        record = await asyncio.wait_for(consumer.getone(where), 30)
        if record.offset != offset:
            raise OriginalGone(f"{letter.event_id}: {topic}@{partition}:{offset} is gone")
        return record
    finally:
        stop_in_background(consumer)


async def event_of(kafka: KafkaAccess, letter: DeadLetter) -> ConsumerRecord:
    """The dead-lettered event as it was read: from its original topic, partition and offset
    (OriginalGone past its retention), or from the letter itself when it carries its body (a
    letter written before letters lost their bodies)."""
    if not letter.value:
        return await _original(kafka, letter)
    topic, partition, offset = letter.original
    headers = [(k, v) for k, v in letter.raw_headers if not k.startswith("dlq_")]
    return ConsumerRecord(
        topic, partition, offset, 0, 0, letter.key, letter.value, None,
        len(letter.key or b""), len(letter.value), tuple(headers),
    )  # fmt: skip


async def redrive(kafka: KafkaAccess, letters: list[DeadLetter], *, by: str) -> int:
    """Publishes each letter's event again on its original topic (in original order, each
    event once however many groups dead-lettered it), then marks the letters resolved by `by`;
    returns how many events went back."""
    producer = make_producer(kafka, client_id="oms-dlq-redrive")
    await producer.start()
    sent: set[str] = set()
    try:
        for letter in sorted(letters, key=lambda x: x.original):
            if letter.event_id not in sent:
                await _republish(kafka, producer, letter, by)
                sent.add(letter.event_id)
            await mark_resolved(producer, letter, by, "redriven")
        return len(sent)
    finally:
        await producer.stop()


async def _republish(kafka: KafkaAccess, producer: Any, letter: DeadLetter, by: str) -> None:
    record = await event_of(kafka, letter)
    kept = [(k, v) for k, v in record.headers if not k.startswith(("dlq_", "oms_redriven_"))]
    stamp = [
        ("oms_redriven_by", by.encode()),
        ("oms_redriven_at", datetime.now(UTC).isoformat().encode()),
    ]
    await producer.send_and_wait(
        letter.original[0], value=record.value, key=letter.key, headers=[*kept, *stamp]
    )


async def resolve(kafka: KafkaAccess, letters: list[DeadLetter], *, by: str, note: str = "") -> int:
    """Marks letters resolved without re-driving them (the operator set them aside)."""
    producer = make_producer(kafka, client_id="oms-dlq-resolve")
    await producer.start()
    try:
        for letter in letters:
            await mark_resolved(producer, letter, by, "discarded", note)
        return len(letters)
    finally:
        await producer.stop()


async def mark_resolved(
    producer: Any, letter: DeadLetter, by: str, how: str, note: str = ""
) -> None:
    """Closes `letter` with a resolution record on its dead-letter topic: `how` is `redriven`
    or `discarded`, `by` who did it, `note` why (optional)."""
    headers = [
        (RESOLVES, str(letter.offset).encode()),
        ("dlq_resolves_id", letter.event_id.encode()),
        ("dlq_resolved_by", by.encode()),
        ("dlq_resolved_at", datetime.now(UTC).isoformat().encode()),
        ("dlq_resolution", how.encode()),
        *([("dlq_resolution_note", note.encode())] if note else []),
    ]
    await producer.send_and_wait(letter.topic, value=b"", key=letter.key, headers=headers)


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


def _print(letters: list[DeadLetter]) -> None:
    for letter in letters:
        h = letter.headers
        topic, partition, offset = letter.original
        print(
            f"{letter.event_id}  {h.get('ce_type', '?')}  key={(letter.key or b'').decode()}"
            f"  from {topic}@{partition}:{offset}  consumer={h.get('dlq_consumer')}"
            f"  at={h.get('dlq_time')}\n    error: {h.get('dlq_error')}"
            + (
                f"\n    {letter.resolution} by {letter.resolved_by} at {letter.resolved_at}"
                if letter.resolved_by
                else ""
            )
        )
    print(f"{len(letters)} dead letter(s)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m messaging.dlq")
    parser.add_argument("--bootstrap-server")
    parser.add_argument("--tls-ca", help="the project CA (PEM)")
    parser.add_argument("--tls-cert", help="an operator's certificate (PEM)")
    parser.add_argument("--tls-key", help="its private key (PEM)")
    parser.add_argument("--by", help="who acts (default: OMS_OPERATOR, else the login name)")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="list unresolved dead letters with their errors")
    listing.add_argument("--resolved", action="store_true", help="the resolved ones too")
    for name, text in (
        ("redrive", "republish dead letters to their original topics, marking them resolved"),
        ("resolve", "mark dead letters resolved without republishing them"),
    ):
        command = sub.add_parser(name, help=text)
        which = command.add_mutually_exclusive_group(required=True)
        which.add_argument("--id", action="append", help="ce_id of an event (repeatable)")
        which.add_argument("--all", action="store_true")
    return parser


def main() -> None:
    args = _parser().parse_args()
    kafka = _kafka(args)
    by = args.by or os.environ.get("OMS_OPERATOR") or getpass.getuser()
    if args.command == "list":
        _print(asyncio.run(read_dead_letters(kafka, resolved=args.resolved)))
        return
    letters = asyncio.run(read_dead_letters(kafka))
    chosen = letters if args.all else [x for x in letters if x.event_id in set(args.id)]
    if args.command == "resolve":
        print(f"resolved {asyncio.run(resolve(kafka, chosen, by=by))} dead letter(s) as {by}")
        return
    ordered = with_earlier_of_their_keys(chosen, letters)
    print(f"redrove {asyncio.run(redrive(kafka, ordered, by=by))} event(s) as {by}")


if __name__ == "__main__":
    main()
