"""The change log each service keeps of its own data, and the API that reads it back.

A use case records a change in the transaction that makes it:

    await audit.record(session, "customer", customer.id, "credit_limit_changed",
                       before={"credit_limit": "500.00 EUR"}, after={"credit_limit": "900.00 EUR"})

The actor is the current principal (a person through the gateway, a service, or the actor an
event names), the time is now and the correlation id is the business request's. Every service
serves the same `oms.audit.v1.AuditService` for its entities (servicehost.host registers it), open
to admin and finance people and to internal clients holding `audit:read`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import grpc
from sqlalchemy import Column, DateTime, Index, MetaData, String, Table, and_, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from servicekit.access import AccessTable, allow
from servicekit.context import correlation_id, current_principal
from servicekit.db import Database, GatheredRows, Transaction, quoted
from servicekit.errors import InvalidArgument
from servicekit.grpc import timestamp
from servicekit.paging import newest_after, page_limit, page_token

# One change of an entity: (action, before, after).
Change = tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]

AUDIT_ACCESS = AccessTable(
    audit_pb2.DESCRIPTOR.services_by_name["AuditService"],
    {"ListAuditEntries": allow("finance", scope="audit:read")},
)
AUDIT_SERVICE_NAME = audit_pb2.DESCRIPTOR.services_by_name["AuditService"].full_name


def audit_table(metadata: MetaData) -> Table:
    table = Table(
        "audit_log",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("entity_type", String(40), nullable=False),
        Column("entity_id", String(100), nullable=False),
        Column("action", String(60), nullable=False),
        Column("actor", String(200), nullable=False),
        Column("actor_roles", ARRAY(String(40)), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("before", JSONB),
        Column("after", JSONB),
        Column("correlation_id", String(64), nullable=False),
    )
    Index("ix_audit_log_entity", table.c.entity_type, table.c.entity_id, table.c.at)
    return table


def _plain(value: Any) -> Any:
    """JSON's shapes for what entities hold: money and dates as text, never a float."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _json(value: Mapping[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(_plain(value))


class AuditLog:
    """Writes and reads one service's change log."""

    def __init__(self, table: Table) -> None:
        self.table = table
        # Gathered and sent as the transaction commits (servicekit.db.GatheredRows), with
        # the changes as arrays unnested; an actor's roles as a JSON list, since unnest
        # flattens an array of arrays.
        self._rows = GatheredRows(
            f"INSERT INTO {quoted(table)} (id, entity_type, entity_id, action, actor,"
            " actor_roles, at, before, after, correlation_id)"
            " SELECT i, e, d, a, w, ARRAY(SELECT jsonb_array_elements_text(r::jsonb)), t,"
            " b::jsonb, f::jsonb, c FROM unnest($1::varchar[], $2::varchar[], $3::varchar[],"
            " $4::varchar[], $5::varchar[], $6::text[], $7::timestamptz[], $8::text[],"
            " $9::text[], $10::varchar[]) AS x(i, e, d, a, w, r, t, b, f, c)",
            10,
        )

    async def record(
        self,
        session: Transaction,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        await self.record_all(session, entity_type, entity_id, [(action, before, after)])

    async def record_all(
        self,
        session: Transaction,
        entity_type: str,
        entity_id: str,
        changes: Sequence[Change],
    ) -> None:
        """Several changes of one entity: (action, before, after) each, written as the
        transaction commits."""
        if not changes:
            return
        actor, at, correlation = current_principal(), datetime.now(UTC), correlation_id()
        n = len(changes)
        session.gather(
            self._rows,
            [
                [str(uuid.uuid4()) for _ in changes],
                [entity_type] * n,
                [entity_id] * n,
                [action for action, _, _ in changes],
                [actor.subject] * n,
                [json.dumps(list(actor.roles))] * n,
                # a microsecond apart, so the log reads back in the order they happened
                [at + timedelta(microseconds=position) for position in range(n)],
                [_json(before) for _, before, _ in changes],
                [_json(after) for _, _, after in changes],
                [correlation] * n,
            ],
        )

    async def entries(
        self, session: Transaction, entity_type: str, entity_id: str, limit: int, token: str
    ) -> list[Any]:
        c = self.table.c
        query = select(self.table).where(c.entity_type == entity_type)
        if entity_id:
            query = query.where(c.entity_id == entity_id)
        after = newest_after(token)
        if after is not None:
            at, last = after
            query = query.where(or_(c.at < at, and_(c.at == at, c.id < last)))
        query = query.order_by(c.at.desc(), c.id.desc()).limit(limit + 1)
        return list((await session.execute(query)).all())


class AuditServicer(audit_pb2_grpc.AuditServiceServicer):
    def __init__(self, service: str, database: Database, log: AuditLog) -> None:
        self.service = service
        self.database = database
        self.log = log

    async def ListAuditEntries(  # noqa: N802 - the RPC's name
        self, request: audit_pb2.ListAuditEntriesRequest, context: grpc.aio.ServicerContext
    ) -> audit_pb2.ListAuditEntriesResponse:
        if not request.entity_type:
            raise InvalidArgument.of("entity_type", "required")
        if len(request.entity_type) > 40 or len(request.entity_id) > 100:
            raise InvalidArgument.of("entity_id", "longer than any id this service keeps")
        limit = page_limit(request.page_size)
        async with self.database.transaction() as session:
            rows = await self.log.entries(
                session, request.entity_type, request.entity_id, limit, request.page_token
            )
        next_token = ""
        if len(rows) > limit:
            rows = rows[:limit]
            next_token = page_token(rows[-1].at.isoformat(), rows[-1].id)
        return audit_pb2.ListAuditEntriesResponse(
            entries=[
                audit_pb2.AuditEntry(
                    id=row.id,
                    entity_type=row.entity_type,
                    entity_id=row.entity_id,
                    action=row.action,
                    actor=row.actor,
                    actor_roles=row.actor_roles,
                    at=timestamp(row.at),
                    before_json="" if row.before is None else json.dumps(row.before),
                    after_json="" if row.after is None else json.dumps(row.after),
                    correlation_id=row.correlation_id,
                    service=self.service,
                )
                for row in rows
            ],
            next_page_token=next_token,
        )
