"""A partition's records are applied in one transaction (one inbox statement, handlers in offset
order, one commit); a batch that fails is rolled back and replayed one event at a time, so only
the failing event is retried or dead-lettered. Records of types the group has no handler for
are skipped on their `ce_type` header alone, before any parsing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import MetaData

import messaging.inbox
from libs.messaging.tests.unit.broker_fakes import FakeProducer, FakeRecord
from messaging.consumer import (
    IN_BATCH,
    BatchConflict,
    EventConsumer,
    PoisonEvent,
    Subscription,
)
from messaging.envelope import Envelope
from messaging.inbox import inbox_table
from oms.events.v1 import billing_pb2

GROUP = "oms.orders"


@dataclass
class _Session:
    """One transaction's view: its own claims and effects, kept only if it commits."""

    database: _Database
    claims: set[str] = field(default_factory=set)
    effects: list[str] = field(default_factory=list)
    statements: int = 0
    info: dict[str, Any] = field(default_factory=dict)

    def _claim(self, event_id: str) -> bool:
        if event_id in self.database.claimed or event_id in self.claims:
            return False
        self.claims.add(event_id)
        return True

    async def fetch(
        self, sql: str, consumer: str, ids: list[str], types: list[str], lock_timeout: str
    ) -> list[tuple[str]]:
        """claim_all, on the driver: every id in one statement, and the lock timeout."""
        assert sql.startswith("INSERT INTO inbox")
        assert consumer == GROUP
        self.statements += 1
        self.info["lock_timeout"] = lock_timeout
        return [(i,) for i in ids if self._claim(i)]

    async def execute(self, sql: str, consumer: str, ids: list[str]) -> None:
        """release, on the driver: claims of this transaction given back."""
        assert sql.startswith("DELETE FROM inbox")
        assert consumer == GROUP
        self.statements += 1
        assert set(ids) <= self.claims, "only this transaction's claims"
        self.claims -= set(ids)

    async def fetchval(self, sql: str, consumer: str, event_id: str, kind: str) -> str | None:
        """claim, on the driver: one event applied alone."""
        assert sql.startswith("INSERT INTO inbox")
        assert consumer == GROUP
        self.statements += 1
        return event_id if self._claim(event_id) else None


@pytest.fixture(autouse=True)
def _fake_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake transaction is its own driver connection (servicekit.db.driver)."""

    async def driver(session: _Session) -> _Session:
        return session

    monkeypatch.setattr(messaging.inbox, "driver", driver)


@dataclass
class _Database:
    """An inbox and an effect log in memory, with commit and rollback."""

    claimed: set[str] = field(default_factory=set)
    applied: list[str] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)  # (how it ended, statements)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Session]:
        session = _Session(self)
        try:
            yield session
        except BaseException:
            self.outcomes.append(("rolled back", session.statements))
            raise
        self.claimed |= session.claims
        self.applied += session.effects
        self.outcomes.append(("committed", session.statements))


def _records(*orders: str) -> list[FakeRecord]:
    records = []
    for offset, order in enumerate(orders):
        message = billing_pb2.InvoicePaid(invoice_id=f"i-{order}", order_id=order)
        envelope = Envelope.wrap(message, source="/oms/billing", key=order)
        record = FakeRecord(envelope.topic, order.encode(), envelope.body, envelope.headers())
        record.offset = offset
        records.append(record)
    return records


def _ids(records: list[FakeRecord]) -> list[str]:
    return [dict(r.headers)["ce_id"].decode() for r in records]


@dataclass
class _Probe:
    """A handler that records each application in the transaction, refusing some orders."""

    refused: set[str] = field(default_factory=set)
    # orders whose lock another transaction holds: only tried inside a batch
    locked: set[str] = field(default_factory=set)
    calls: list[str] = field(default_factory=list)
    told: list[str] = field(default_factory=list)

    async def handle(
        self, session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope
    ) -> None:
        self.calls.append(message.order_id)
        if message.order_id in self.locked and session.info.get(IN_BATCH):
            raise BatchConflict(f"lock of {message.order_id} is taken")
        if message.order_id in self.refused:
            raise PoisonEvent(f"no sales order {message.order_id}")
        session.effects.append(envelope.event_id)

    async def stalled(
        self, session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope, reason: str
    ) -> None:
        self.told.append(message.order_id)

    def consumer(
        self,
        database: _Database,
        producer: FakeProducer,
        wants: Callable[[billing_pb2.InvoicePaid], bool] | None = None,
        with_inbox: bool = True,
    ) -> EventConsumer:
        subscription = Subscription(billing_pb2.InvoicePaid, self.handle, self.stalled, wants)
        return EventConsumer(
            kafka=None,  # type: ignore[arg-type]  # process_batch() never reaches the broker
            group_id=GROUP,
            subscriptions=[subscription],
            database=database,  # type: ignore[arg-type]
            inbox=inbox_table(MetaData()) if with_inbox else None,
            producer=producer,
            backoff_seconds=0,
        )


async def test_a_partitions_records_are_applied_in_one_transaction_in_offset_order() -> None:
    database, probe = _Database(), _Probe()
    records = _records("o-1", "o-2", "o-3", "o-4", "o-5")
    await probe.consumer(database, FakeProducer()).process_batch(records)
    assert database.applied == _ids(records)
    assert database.outcomes == [("committed", 1)], "one claim statement, one commit"


async def test_a_group_without_an_inbox_claims_nothing_and_applies_a_copy_in_a_batch_once() -> None:
    database, probe = _Database(), _Probe()
    consumer = probe.consumer(database, FakeProducer(), with_inbox=False)
    records = _records("o-1", "o-2")
    await consumer.process_batch([*records, records[0]])  # a relay's resend in the same batch
    assert probe.calls == ["o-1", "o-2"], "each event of the batch once"
    assert database.outcomes == [("committed", 0)], "no claim statement"
    assert await consumer.process(records[1])  # a redelivery alone: its handler keeps it once
    assert database.outcomes[1:] == [("committed", 0)]
    assert database.claimed == set()


async def test_a_batch_waits_for_no_lock_longer_than_50_ms() -> None:
    database, probe = _Database(), _Probe()
    seen: list[str] = []
    original = probe.handle

    async def handle(session: Any, message: billing_pb2.InvoicePaid, envelope: Envelope) -> None:
        seen.append(session.info.get("lock_timeout", ""))
        await original(session, message, envelope)

    probe.handle = handle  # type: ignore[method-assign]
    await probe.consumer(database, FakeProducer()).process_batch(_records("o-1"))
    assert seen == ["50ms"]


async def test_a_poison_event_in_a_batch_dead_letters_only_itself_the_rest_apply_once() -> None:
    database, producer, probe = _Database(), FakeProducer(), _Probe(refused={"o-3"})
    records = _records("o-1", "o-2", "o-3", "o-4", "o-5")
    await probe.consumer(database, producer).process_batch(records)

    ids = _ids(records)
    assert database.applied == ids[:2] + ids[3:]
    assert [dict(headers)["ce_id"].decode() for _, headers in producer.sent] == [ids[2]]
    assert probe.told == ["o-3"]
    # the batch rolled back, then a transaction per event (the poison's own), then the hook's
    assert database.outcomes[0] == ("rolled back", 1)
    assert [outcome for outcome, _ in database.outcomes[1:]] == [
        "committed",
        "committed",
        "rolled back",
        "committed",
        "committed",
        "committed",
    ]


async def test_a_redelivered_batch_applies_nothing_twice_nor_a_copy_within_a_batch() -> None:
    database, probe = _Database(), _Probe()
    records = _records("o-1", "o-2", "o-3")
    consumer = probe.consumer(database, FakeProducer())
    await consumer.process_batch(records)
    await consumer.process_batch([*records, records[0]])  # redelivered, one twice over
    copy = _records("o-4")
    await consumer.process_batch([copy[0], copy[0]])  # the relay published it twice
    assert database.applied == _ids(records) + _ids(copy)
    assert probe.calls == ["o-1", "o-2", "o-3", "o-4"]


async def test_other_groups_events_are_skipped_by_header_malformed_ones_still_dead_lettered() -> (
    None
):
    database, producer, probe = _Database(), FakeProducer(), _Probe()
    (good,) = _records("o-1")
    # another group's event, and broken too (no ce_id): not this group's to judge or parse
    theirs = FakeRecord(good.topic, b"o-2", b"\xff", [("ce_type", b"oms.billing.InvoiceIssued.v1")])
    # no ce_type at all: nobody can tell whose it is, so it is dead-lettered as today
    anonymous = FakeRecord(good.topic, b"o-3", b"", [("ce_id", b"x")], offset=2)
    # this group's type, but malformed
    broken = FakeRecord(good.topic, b"o-4", b"", [("ce_type", b"oms.billing.InvoicePaid.v1")])
    await probe.consumer(database, producer).process_batch([theirs, good, anonymous, broken])

    assert database.applied == _ids([good])
    errors = [headers["dlq_error"].decode() for _, headers in producer.sent]
    assert len(errors) == 2
    assert all(error.startswith("malformed envelope: missing headers") for error in errors)


async def test_a_batch_of_only_skipped_records_opens_no_transaction() -> None:
    database, producer = _Database(), FakeProducer()
    (good,) = _records("o-1")
    theirs = FakeRecord(good.topic, b"o-2", b"", [("ce_type", b"oms.billing.InvoiceIssued.v1")])
    await _Probe().consumer(database, producer).process_batch([theirs, theirs])
    assert (database.outcomes, producer.sent) == ([], [])


async def test_a_lock_a_batch_cannot_take_cuts_it_short_and_that_event_waits_alone() -> None:
    database, producer, probe = _Database(), FakeProducer(), _Probe(locked={"o-2"})
    records = _records("o-1", "o-2", "o-3", "o-4")
    await probe.consumer(database, producer).process_batch(records)
    assert database.applied == _ids(records)  # each once, in offset order
    assert producer.sent == []
    # o-1 committed with the batch (o-2's and the rest's claims given back), o-2 alone waiting
    # for its lock, then o-3 and o-4 as the next batch: nothing rolled back, nothing done twice
    assert [outcome for outcome, _ in database.outcomes] == ["committed"] * 3
    assert probe.calls == ["o-1", "o-2", "o-2", "o-3", "o-4"]


async def test_a_batch_cut_short_keeps_redeliveries_and_copies_applied_once() -> None:
    database, producer, probe = _Database(), FakeProducer(), _Probe(locked={"o-3"})
    first = _records("o-1", "o-2")
    await probe.consumer(database, producer).process_batch(first)
    probe.calls.clear()
    copy = _records("o-5")[0]
    copy.headers = first[0].headers  # a resend of o-1's event after the conflict
    copy.value = first[0].value
    again = [first[1], *_records("o-3", "o-4"), copy]
    await probe.consumer(database, producer).process_batch(again)
    assert database.applied == _ids(first) + _ids(again[1:3])  # o-1 and o-2 not again
    assert database.claimed == set(_ids(first) + _ids(again[1:3]))
    assert probe.calls == ["o-3", "o-3", "o-4"]


async def test_events_a_subscription_does_not_want_are_skipped_before_any_claim() -> None:
    database, producer, probe = _Database(), FakeProducer(), _Probe()
    records = _records("o-1", "o-2", "o-3")
    consumer = probe.consumer(database, producer, wants=lambda paid: paid.order_id != "o-2")
    await consumer.process_batch(records)
    assert probe.calls == ["o-1", "o-3"]
    assert database.claimed == {_ids(records)[0], _ids(records)[2]}  # o-2 left no inbox row
    await consumer.process_batch(_records("o-2", "o-2"))
    assert len(database.outcomes) == 1  # a batch of unwanted events opens no transaction
