"""Client-supplied request ids: a command retried with the same id has its first effect only.

A use case that moves money or stock takes an optional `request_id` from its caller (the gateway
derives one from the client's Idempotency-Key). In its transaction, before doing anything:

    done = await requests.claim(session, "record_payment", request.request_id, request)
    if done is not None:
        return await repository.get_payment(done)        # the first call's result
    ... the work ...
    await requests.complete(session, "record_payment", request.request_id, payment.id)

Two calls with the same id at once: the second one's claim waits for the first transaction and
then returns its result. The same id with different content is refused (ALREADY_EXISTS on
`request_id`), never applied.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from google.protobuf.message import Message
from sqlalchemy import (
    Column,
    DateTime,
    Insert,
    MetaData,
    Select,
    String,
    Table,
    Update,
    bindparam,
    select,
)
from sqlalchemy.dialects.postgresql import insert

from servicekit.db import Transaction
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument

MAX_REQUEST_ID = 100


def requests_table(metadata: MetaData) -> Table:
    return Table(
        "processed_requests",
        metadata,
        Column("operation", String(60), primary_key=True),
        Column("request_id", String(MAX_REQUEST_ID), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("result_id", String(100)),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )


def fingerprint(request: Message, id_field: str = "request_id") -> str:
    """The request's content without its id: what a retry must repeat exactly."""
    content = type(request)()
    content.CopyFrom(request)
    content.ClearField(id_field)
    return hashlib.sha256(content.SerializeToString(deterministic=True)).hexdigest()


@dataclass(frozen=True)
class _Statements:
    claim: Insert
    lookup: Select[tuple[str, str | None]]
    complete: Update


@cache
def _statements(table: Table) -> _Statements:
    # Built once per table and executed with parameters: building an INSERT or UPDATE per call
    # cost about 250 us of CPU, more than its round trip (every claim and completion runs them).
    c = table.c
    key = (c.operation == bindparam("b_operation"), c.request_id == bindparam("b_request_id"))
    return _Statements(
        claim=insert(table).on_conflict_do_nothing().returning(c.request_id),
        lookup=select(c.fingerprint, c.result_id).where(*key),
        complete=table.update().where(*key).values(result_id=bindparam("b_result_id")),
    )


class ProcessedRequests:
    def __init__(self, table: Table) -> None:
        self.table = table
        self._statements = _statements(table)

    async def claim(
        self, session: Transaction, operation: str, request_id: str, request: Message | str
    ) -> str | None:
        """None when this transaction now owns `request_id` (or there is none): do the work and
        `complete` it. The first result's id when the request was done before. `request` is the
        wire message, or its `fingerprint` taken where the wire message still was."""
        if not request_id:
            return None
        if len(request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.of("request_id", f"at most {MAX_REQUEST_ID} characters")
        print_ = request if isinstance(request, str) else fingerprint(request)
        statements = self._statements
        claimed = await session.execute(
            statements.claim,
            {
                "operation": operation,
                "request_id": request_id,
                "fingerprint": print_,
                "created_at": datetime.now(UTC),
            },
        )
        if claimed.first() is not None:
            return None
        key = {"b_operation": operation, "b_request_id": request_id}
        row = (await session.execute(statements.lookup, key)).one()
        if row.fingerprint != print_ or row.result_id is None:
            raise AlreadyExists(
                "this request_id was used for a different request",
                (FieldViolation("request_id", "already used with other content"),),
            )
        return str(row.result_id)

    async def complete(
        self, session: Transaction, operation: str, request_id: str, result_id: str
    ) -> None:
        if not request_id:
            return
        await session.execute(
            self._statements.complete,
            {"b_operation": operation, "b_request_id": request_id, "b_result_id": result_id},
        )


class SessionRequests:
    """ProcessedRequests within one unit of work's session, claimed by the fingerprint the
    entrypoint took of the wire request, so the use cases never see a wire message."""

    def __init__(self, session: Transaction, table: Table) -> None:
        self.session = session
        self.requests = ProcessedRequests(table)

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        return await self.requests.claim(self.session, operation, request_id, fingerprint)

    async def complete(self, operation: str, request_id: str, result_id: str) -> None:
        await self.requests.complete(self.session, operation, request_id, result_id)
