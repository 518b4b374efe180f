"""The bodies of /dead-letters: the open dead letters of every service, and what an admin does
with one (docs/dead-letters.md)."""

from __future__ import annotations

from pydantic import Field

from gateway.bodies import Request, Response, When
from gateway.examples import LATER, examples

# Examples for the OpenAPI document (valid instances of their models), in the story of
# gateway.examples.
EVENT_ID = "7d1c0a52-3f4e-4b8a-9c61-2e5f0d9b8a17"
LETTER = {
    "service": "billing",
    "event_id": EVENT_ID,
    "event_type": "oms.orders.OrderConfirmed.v1",
    "topic": "oms.orders.order.v1",
    "partition": 2,
    "offset": 4711,
    "key": "5b0c6a3e-8f7d-4e2a-b1c9-0d4e6f8a2b3c",
    "group": "oms.billing",
    "error": "IntegrityError [23505]: duplicate key value violates unique constraint",
    "error_class": "IntegrityError",
    "sqlstate": "23505",
    "attempts": 1,
    "at": LATER,
}


class DeadLetter(Response):
    """An event a service's consumer group could not apply, set aside with its error."""

    model_config = examples(LETTER)

    service: str = Field(description="the service whose consumer group failed it")
    event_id: str = Field(description="the event's id (ce_id)")
    event_type: str
    topic: str = Field(description="the topic the event was read from")
    partition: int
    offset: int
    key: str = Field(description="the event's key (an aggregate id)")
    group: str = Field(description="the consumer group that could not apply it")
    error: str = Field(description="`Class [SQLSTATE]: first line of the message`")
    error_class: str
    sqlstate: str = Field(description="PostgreSQL's SQLSTATE; empty when there was none")
    attempts: int = Field(description="how many times this group dead-lettered the event")
    at: When = Field(description="when it was dead-lettered")


class DeadLetterList(Response):
    """The open dead letters of every service, oldest first, and the services that did not
    answer (their letters are missing)."""

    model_config = examples({"items": [LETTER], "missing": ["procurement"]})

    items: list[DeadLetter]
    missing: list[str] = Field(
        description="services that did not answer: their dead letters are missing from the list"
    )


class Redriven(Response):
    """What a re-drive applied, in order (the chosen event after its key's earlier open
    letters), and which of those failed again (each a new open letter)."""

    model_config = examples({"redriven": [EVENT_ID], "failed_again": []})

    redriven: list[str] = Field(description="the event ids applied again, in order")
    failed_again: list[str] = Field(description="those that failed again: open letters again")


class ResolveIn(Request):
    """Why the dead letter is set aside without being applied."""

    model_config = examples({"note": "the order was cancelled; nothing to invoice"})

    note: str = Field("", max_length=500, description="kept on the resolution record")


class Resolved(Response):
    """How many letters were closed (one per consumer group of the service that failed it)."""

    model_config = examples({"resolved": 1})

    resolved: int
