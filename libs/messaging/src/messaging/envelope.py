"""An event on the wire: a protobuf body plus CloudEvents (Kafka binding, binary mode) headers.

Headers: ce_specversion, ce_id, ce_type, ce_source, ce_time, content-type, ce_dataschema, the
extensions ce_correlationid, ce_causationid, ce_actor and ce_actorroles (who made the change),
and W3C traceparent / tracestate.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from google.protobuf.message import Message

from messaging.events import event_type, topic_of
from servicekit.context import Principal, causation_id, correlation_id, current_principal
from servicekit.telemetry import inject_trace_context

CONTENT_TYPE = "application/protobuf"


class MalformedEnvelope(ValueError):
    """A record without the headers every event must carry."""


@dataclass(frozen=True)
class Envelope:
    event_id: str
    type: str
    source: str
    time: datetime
    topic: str
    key: str
    body: bytes
    schema: str
    correlation_id: str
    causation_id: str | None = None
    actor: Principal = field(default_factory=lambda: Principal("system", ("system",)))
    trace_headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def wrap(cls, message: Message, *, source: str, key: str, namespace: str = "") -> Envelope:
        """An envelope for `message`, stamped with who is acting and the current trace."""
        return cls(
            event_id=str(uuid.uuid4()),
            type=event_type(message),
            source=source,
            time=datetime.now(UTC),
            topic=namespace + topic_of(message),
            key=key,
            body=message.SerializeToString(deterministic=True),
            schema=f"proto:{message.DESCRIPTOR.full_name}",
            correlation_id=correlation_id(),
            causation_id=causation_id(),
            actor=current_principal(),
            trace_headers=inject_trace_context(),
        )

    def headers(self) -> list[tuple[str, bytes]]:
        entries = {
            "ce_specversion": "1.0",
            "ce_id": self.event_id,
            "ce_type": self.type,
            "ce_source": self.source,
            "ce_time": self.time.isoformat(),
            "content-type": CONTENT_TYPE,
            "ce_dataschema": self.schema,
            "ce_correlationid": self.correlation_id,
            "ce_actor": self.actor.subject,
            "ce_actorroles": ",".join(self.actor.roles),
            **self.trace_headers,
        }
        if self.causation_id:
            entries["ce_causationid"] = self.causation_id
        return [(name, value.encode()) for name, value in entries.items()]

    @classmethod
    def from_record(
        cls,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        headers: Sequence[tuple[str, bytes]],
    ) -> Envelope:
        found = {name: raw.decode(errors="replace") for name, raw in headers}
        missing = [h for h in ("ce_id", "ce_type", "ce_source", "ce_time") if h not in found]
        if missing:
            raise MalformedEnvelope(f"missing headers: {', '.join(missing)}")
        try:
            time = datetime.fromisoformat(found["ce_time"])
        except ValueError as error:
            raise MalformedEnvelope(f"ce_time is not ISO 8601: {found['ce_time']!r}") from error
        roles = tuple(r for r in found.get("ce_actorroles", "").split(",") if r)
        return cls(
            event_id=found["ce_id"],
            type=found["ce_type"],
            source=found["ce_source"],
            time=time,
            topic=topic,
            key=(key or b"").decode(errors="replace"),
            body=value or b"",
            schema=found.get("ce_dataschema", ""),
            correlation_id=found.get("ce_correlationid") or found["ce_id"],
            causation_id=found.get("ce_causationid"),
            actor=Principal(found.get("ce_actor", "system"), roles),
            trace_headers={k: v for k, v in found.items() if k in ("traceparent", "tracestate")},
        )


def type_header(headers: Sequence[tuple[str, bytes]]) -> bytes | None:
    """The raw `ce_type` header (the last one, as `Envelope.from_record` reads it), or None: a
    consumer skips other groups' events on it before parsing anything."""
    found = None
    for name, value in headers:
        if name == "ce_type":
            found = value
    return found
