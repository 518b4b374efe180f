"""DeadLettersService on fakes (no broker): what is open and how often it failed, the order of a
re-drive (a key's earlier open letters first, each in the group that failed it), the letters
closed with who and why, and the refusals (unknown or resolved id, an event past retention,
bad input)."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka import ConsumerRecord

from messaging import dead_letters_api
from messaging.dead_letters_api import DeadLetterDesk, DeadLettersServicer
from messaging.dlq import DeadLetter, OriginalGone
from messaging.kafka import KafkaAccess
from oms.ops.v1 import dead_letters_pb2 as ops
from servicekit.context import Principal, acting
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound

TOPIC = "oms.orders.sales-order.v1"


def letter(
    event_id: str, offset: int, *, key: str = "k", group: str = "oms.billing", at: int = 0
) -> DeadLetter:
    headers = {
        "ce_id": event_id,
        "ce_type": "oms.orders.SalesOrderPlaced.v1",
        "dlq_error": "IntegrityError [23505]: duplicate key",
        "dlq_error_class": "IntegrityError",
        "dlq_sqlstate": "23505",
        "dlq_consumer": group,
        "dlq_original_topic": TOPIC,
        "dlq_original_partition": "0",
        "dlq_original_offset": str(offset),
        "dlq_time": "2026-12-01T08:00:00+00:00",
    }
    return DeadLetter(TOPIC + ".dlq", at, key.encode(), b"", headers, [])


def closed(x: DeadLetter) -> DeadLetter:
    return DeadLetter(x.topic, x.offset, x.key, x.value, x.headers, [], resolved_by="ops")


class FakeConsumer:
    def __init__(self, group_id: str, fails: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.group_id = group_id
        self.topics = [TOPIC]
        self.fails = fails
        self.applied: list[int] = []

    async def process(self, record: ConsumerRecord) -> bool:
        self.applied.append(record.offset)
        return record.offset not in self.fails


class Broker:
    """What the desk reads and writes, instead of Kafka."""

    def __init__(self, letters: list[DeadLetter], gone: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.letters = letters
        self.gone = gone
        self.resolutions: list[tuple[str, int, str, str, str]] = []
        self.asked: list[dict[str, Any]] = []

    async def read(self, kafka: Any, **kwargs: Any) -> list[DeadLetter]:
        self.asked.append(kwargs)
        groups = kwargs["groups"]
        return [x for x in self.letters if x.headers["dlq_consumer"] in groups]

    async def event(self, kafka: Any, x: DeadLetter) -> ConsumerRecord:
        topic, partition, offset = x.original
        if offset in self.gone:
            raise OriginalGone(f"{x.event_id}: gone")
        return ConsumerRecord(topic, partition, offset, 0, 0, x.key, b"body", None, 1, 4, ())

    async def resolve(
        self, producer: Any, x: DeadLetter, by: str, how: str, note: str = ""
    ) -> None:
        self.resolutions.append((x.event_id, x.offset, by, how, note))


def desk_over(
    broker: Broker, monkeypatch: pytest.MonkeyPatch, *consumers: FakeConsumer
) -> DeadLettersServicer:
    monkeypatch.setattr(dead_letters_api, "read_dead_letters", broker.read)
    monkeypatch.setattr(dead_letters_api, "event_of", broker.event)
    monkeypatch.setattr(dead_letters_api, "mark_resolved", broker.resolve)
    desk = DeadLetterDesk(KafkaAccess("broker:9093", None))  # type: ignore[arg-type]
    desk.attach(object(), consumers)  # type: ignore[arg-type]
    return DeadLettersServicer(desk)


ADMIN = Principal("ada", ("admin",))


async def test_the_open_letters_of_its_own_groups_with_their_attempts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    letters = [
        closed(letter("e-1", 10, at=0)),  # failed once, re-driven, failed again:
        letter("e-1", 10, at=1),
        letter("e-2", 11, at=2, key="other"),
        letter("e-3", 12, at=3, group="oms.orders"),  # another service's group
    ]
    broker = Broker(letters)
    api = desk_over(broker, monkeypatch, FakeConsumer("oms.billing"))
    reply = await api.ListDeadLetters(ops.ListDeadLettersRequest(), None)
    assert [(x.event_id, x.attempts) for x in reply.dead_letters] == [("e-1", 2), ("e-2", 1)]
    first = reply.dead_letters[0]
    assert (first.topic, first.partition, first.offset, first.key) == (TOPIC, 0, 10, "k")
    assert (first.group, first.error_class, first.sqlstate) == (
        "oms.billing",
        "IntegrityError",
        "23505",
    )
    assert first.error == "IntegrityError [23505]: duplicate key"
    assert first.at.ToJsonString() == "2026-12-01T08:00:00Z"
    assert broker.asked == [
        {"resolved": True, "topics": {TOPIC + ".dlq"}, "groups": {"oms.billing"}}
    ]


async def test_a_redrive_applies_the_keys_earlier_letters_first_each_in_its_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    letters = [
        letter("e-1", 10, at=0),
        letter("e-2", 11, at=1, key="other"),
        letter("e-3", 12, at=2, group="oms.billing.ledger"),
        letter("e-4", 13, at=3),
    ]
    broker = Broker(letters)
    main, ledger = FakeConsumer("oms.billing", fails={13}), FakeConsumer("oms.billing.ledger")
    api = desk_over(broker, monkeypatch, main, ledger)
    with acting(ADMIN):
        reply = await api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id="e-4"), None)
    assert list(reply.redriven_event_ids) == ["e-1", "e-3", "e-4"]
    assert list(reply.failed_again_event_ids) == ["e-4"]
    assert (main.applied, ledger.applied) == ([10, 13], [12])
    assert broker.resolutions == [
        ("e-1", 0, "ada", "redriven", ""),
        ("e-3", 2, "ada", "redriven", ""),
        ("e-4", 3, "ada", "redriven", ""),
    ]


async def test_an_event_past_retention_is_refused_before_anything_is_applied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = Broker([letter("e-1", 10, at=0), letter("e-2", 11, at=1)], gone={10})
    consumer = FakeConsumer("oms.billing")
    api = desk_over(broker, monkeypatch, consumer)
    with acting(ADMIN), pytest.raises(FailedPrecondition, match="publish the change again"):
        await api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id="e-2"), None)
    assert (consumer.applied, broker.resolutions) == ([], [])


async def test_resolve_closes_without_applying_with_who_and_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = Broker([letter("e-1", 10, at=0), letter("e-2", 11, at=1)])
    consumer = FakeConsumer("oms.billing")
    api = desk_over(broker, monkeypatch, consumer)
    with acting(ADMIN):
        request = ops.ResolveDeadLetterRequest(event_id="e-2", note="order cancelled")
        reply = await api.ResolveDeadLetter(request, None)
    assert reply.resolved == 1
    assert broker.resolutions == [("e-2", 1, "ada", "discarded", "order cancelled")]
    assert consumer.applied == []


@pytest.mark.parametrize("resolved", [False, True])
async def test_an_unknown_or_resolved_id_is_not_found(
    monkeypatch: pytest.MonkeyPatch, resolved: bool
) -> None:
    only = letter("e-1", 10)
    broker = Broker([closed(only) if resolved else only])
    api = desk_over(broker, monkeypatch, FakeConsumer("oms.billing"))
    unknown = "e-1" if resolved else "e-9"
    with acting(ADMIN), pytest.raises(NotFound):
        await api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id=unknown), None)
    with acting(ADMIN), pytest.raises(NotFound):
        await api.ResolveDeadLetter(ops.ResolveDeadLetterRequest(event_id=unknown), None)
    assert broker.resolutions == []


async def test_bad_input_names_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    api = desk_over(Broker([]), monkeypatch, FakeConsumer("oms.billing"))
    cases = [
        (api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id=""), None), "event_id"),
        (api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id="x" * 101), None), "event_id"),
        (
            api.ResolveDeadLetter(ops.ResolveDeadLetterRequest(event_id="e", note="n" * 501), None),
            "note",
        ),
    ]
    for call, field in cases:
        with acting(ADMIN), pytest.raises(InvalidArgument) as refused:
            await call
        assert [v.field for v in refused.value.violations] == [field]


async def test_a_service_without_consumers_has_no_letters_and_asks_nobody(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = Broker([letter("e-1", 10)])
    api = desk_over(broker, monkeypatch)
    reply = await api.ListDeadLetters(ops.ListDeadLettersRequest(), None)
    assert list(reply.dead_letters) == []
    assert broker.asked == []


def test_only_admins_may_call_it() -> None:
    rules = dead_letters_api.DEAD_LETTERS_ACCESS.rules.values()
    assert {(r.roles, r.services, r.scope) for r in rules} == {
        (frozenset({"admin"}), frozenset(), "")
    }
