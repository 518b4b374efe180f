"""The dead letters of one service's own consumer groups, for admins:
`oms.ops.v1.DeadLettersService` (docs/dead-letters.md), served by every business service beside
its API (servicehost).

It shares messaging.dlq's reading, order rule and resolution records with the operator's
command, so both agree on what is open; only the re-drive differs: the command publishes the
event again on its topic for every group, this service applies it itself, in the group that
failed it, through that group's consumer (`EventConsumer.process`: the inbox claim keeps an
event applied meanwhile from being applied twice). It reads the event from its original topic
(assigned and seeking, without a group) and the letters from the dead-letter topics of what the
service consumes: its Kafka principal may read both (devstack.kafka_acls).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import grpc

from messaging.consumer import EventConsumer
from messaging.dlq import (
    DeadLetter,
    OriginalGone,
    event_of,
    mark_resolved,
    read_dead_letters,
    with_earlier_of_their_keys,
)
from messaging.events import dead_letter_topic
from messaging.kafka import KafkaAccess
from oms.ops.v1 import dead_letters_pb2, dead_letters_pb2_grpc
from servicekit.access import AccessTable, allow
from servicekit.context import current_principal
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound
from servicekit.grpc import timestamp

# People with role admin only (no service on its own account, no internal client).
DEAD_LETTERS_ACCESS = AccessTable(
    dead_letters_pb2.DESCRIPTOR.services_by_name["DeadLettersService"],
    {
        "ListDeadLetters": allow("admin"),
        "RedriveDeadLetter": allow("admin"),
        "ResolveDeadLetter": allow("admin"),
    },
)
DEAD_LETTERS_SERVICE_NAME = dead_letters_pb2.DESCRIPTOR.services_by_name[
    "DeadLettersService"
].full_name
_MAX_ID = 100
_MAX_NOTE = 500


@dataclass(frozen=True)
class Redriven:
    """What a re-drive did: the event ids applied again, in order, and those that failed again."""

    event_ids: list[str]
    failed_again: list[str]


class DeadLetterDesk:
    """The letters of a service's consumer groups; its consumers are attached once started
    (messaging.runtime.start_messaging). A service without consumers has no letters."""

    def __init__(self, kafka: KafkaAccess) -> None:
        self.kafka = kafka
        self.producer: Any = None
        self.consumers: dict[str, EventConsumer] = {}

    def attach(self, producer: Any, consumers: Sequence[EventConsumer]) -> None:
        """The producer that writes resolution records, and the consumers that re-apply."""
        self.producer = producer
        self.consumers = {c.group_id: c for c in consumers}

    @property
    def topics(self) -> set[str]:
        """The dead-letter topics of what the service consumes."""
        return {dead_letter_topic(t) for c in self.consumers.values() for t in c.topics}

    async def letters(self) -> list[DeadLetter]:
        """Every letter of the service's groups, resolved ones included, as written."""
        if not self.consumers:
            return []
        return await read_dead_letters(
            self.kafka, resolved=True, topics=self.topics, groups=set(self.consumers)
        )

    async def open(self) -> list[tuple[DeadLetter, int]]:
        """The open letters with how many letters their event has in its group."""
        letters = await self.letters()
        attempts = Counter((x.event_id, x.headers.get("dlq_consumer")) for x in letters)
        return [
            (x, attempts[(x.event_id, x.headers.get("dlq_consumer"))])
            for x in letters
            if x.resolved_by is None
        ]

    async def _chosen(self, event_id: str) -> tuple[list[DeadLetter], list[DeadLetter]]:
        still_open = [x for x in await self.letters() if x.resolved_by is None]
        chosen = [x for x in still_open if x.event_id == event_id]
        if not chosen:
            raise NotFound(f"no open dead letter of event {event_id} here")
        return chosen, still_open

    async def redrive(self, event_id: str, *, by: str) -> Redriven:
        """Applies the event again in the group(s) that failed it, after its key's earlier open
        letters (messaging.dlq.with_earlier_of_their_keys), and closes each letter as
        `redriven` by `by`. FailedPrecondition, before anything is applied, when one of the
        events is no longer on its topic."""
        chosen, still_open = await self._chosen(event_id)
        ordered = with_earlier_of_their_keys(chosen, still_open)
        try:
            records = [await event_of(self.kafka, letter) for letter in ordered]
        except OriginalGone as error:
            raise FailedPrecondition(f"{error}: its owner must publish the change again") from error
        applied: list[str] = []
        failed: list[str] = []
        for letter, record in zip(ordered, records, strict=True):
            consumer = self.consumers[letter.headers["dlq_consumer"]]
            if not await consumer.process(record):
                failed.append(letter.event_id)  # a new open letter now
            await mark_resolved(self.producer, letter, by, "redriven")
            if letter.event_id not in applied:
                applied.append(letter.event_id)
        return Redriven(applied, failed)

    async def resolve(self, event_id: str, *, by: str, note: str = "") -> int:
        """Closes the event's open letters as `discarded` by `by`, without applying it."""
        chosen, _ = await self._chosen(event_id)
        for letter in chosen:
            await mark_resolved(self.producer, letter, by, "discarded", note)
        return len(chosen)


def _event_id(value: str) -> str:
    if not value:
        raise InvalidArgument.of("event_id", "required")
    if len(value) > _MAX_ID:
        raise InvalidArgument.of("event_id", f"at most {_MAX_ID} characters")
    return value


def _message(letter: DeadLetter, attempts: int) -> dead_letters_pb2.DeadLetter:
    h = letter.headers
    topic, partition, offset = letter.original
    at = dead_letters_pb2.DeadLetter().at
    if "dlq_time" in h:
        at = timestamp(datetime.fromisoformat(h["dlq_time"]))
    return dead_letters_pb2.DeadLetter(
        event_id=letter.event_id,
        event_type=h.get("ce_type", ""),
        topic=topic,
        partition=partition,
        offset=offset,
        key=(letter.key or b"").decode(errors="replace"),
        group=h.get("dlq_consumer", ""),
        error=h.get("dlq_error", ""),
        error_class=h.get("dlq_error_class", ""),
        sqlstate=h.get("dlq_sqlstate", ""),
        at=at,
        attempts=attempts,
    )


class DeadLettersServicer(dead_letters_pb2_grpc.DeadLettersServiceServicer):
    def __init__(self, desk: DeadLetterDesk) -> None:
        self.desk = desk

    async def ListDeadLetters(  # noqa: N802 - the RPC's name
        self, request: dead_letters_pb2.ListDeadLettersRequest, context: grpc.aio.ServicerContext
    ) -> dead_letters_pb2.ListDeadLettersResponse:
        return dead_letters_pb2.ListDeadLettersResponse(
            dead_letters=[_message(x, n) for x, n in await self.desk.open()]
        )

    async def RedriveDeadLetter(  # noqa: N802 - the RPC's name
        self,
        request: dead_letters_pb2.RedriveDeadLetterRequest,
        context: grpc.aio.ServicerContext,
    ) -> dead_letters_pb2.RedriveDeadLetterResponse:
        event_id = _event_id(request.event_id)
        done = await self.desk.redrive(event_id, by=current_principal().subject)
        return dead_letters_pb2.RedriveDeadLetterResponse(
            redriven_event_ids=done.event_ids, failed_again_event_ids=done.failed_again
        )

    async def ResolveDeadLetter(  # noqa: N802 - the RPC's name
        self,
        request: dead_letters_pb2.ResolveDeadLetterRequest,
        context: grpc.aio.ServicerContext,
    ) -> dead_letters_pb2.ResolveDeadLetterResponse:
        event_id = _event_id(request.event_id)
        if len(request.note) > _MAX_NOTE:
            raise InvalidArgument.of("note", f"at most {_MAX_NOTE} characters")
        count = await self.desk.resolve(event_id, by=current_principal().subject, note=request.note)
        return dead_letters_pb2.ResolveDeadLetterResponse(resolved=count)
