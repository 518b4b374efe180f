"""The broker's side as the consumer sees it, in memory: a record it polled and a producer
that keeps what it was asked to send (the dead letters); and a transaction whose inbox claims
all succeed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FakeProducer:
    sent: list[tuple[str, dict[str, bytes]]] = field(default_factory=list)
    values: list[bytes] = field(default_factory=list)

    async def send_and_wait(self, topic: str, **record: Any) -> None:
        self.sent.append((topic, dict(record["headers"])))
        self.values.append(record["value"])


@dataclass
class FakeRecord:
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    partition: int = 0
    offset: int = 0


class ClaimsEveryEvent:
    """A fake transaction that is its own driver connection (servicekit.db.driver), on which
    every inbox claim succeeds: each event is new."""

    @property
    def driver(self) -> Any:
        return self

    async def fetchval(self, *_: object) -> str:
        return "claimed"
