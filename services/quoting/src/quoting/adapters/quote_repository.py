"""Quotes in PostgreSQL: the head row carries the current state and the latest version's
headline figures, a version row each version (content as entered, document as priced, both as
the JSON of their protobuf messages)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from google.protobuf.json_format import ParseDict
from sqlalchemy import ColumnElement, Row, Text, and_, cast, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB, insert

from oms.quoting.v1 import quoting_pb2 as pb
from pricing.wire import document_from_json, document_to_json
from quoting.adapters.protobuf import content_from_proto, content_to_json
from quoting.adapters.tables import quote_sequences, quote_versions, quotes
from quoting.application.ports import QuoteFilter
from quoting.domain.approval import Approval, ApprovalStatus
from quoting.domain.model import OPEN, Quote, Status
from servicekit.db import Transaction
from servicekit.numbering import next_number
from servicekit.sales_reach import Reach


def _quote(head: Row[Any], version: Row[Any]) -> Quote:
    return Quote(
        id=head.id,
        version=version.version,
        latest_version=head.latest_version,
        status=Status(head.status),
        content=content_from_proto(ParseDict(version.content, pb.QuoteContent())),
        document=document_from_json(version.document),
        created_at=head.created_at,
        created_by=head.created_by,
        updated_at=head.updated_at,
        converted_to=head.converted_to,
        converted_id=head.converted_id,
        rejection_reason=head.rejection_reason,
        team=head.team,
        number=head.number,
        order_stalled=head.order_stalled,
        approval=Approval(
            ApprovalStatus(head.approval_status),
            head.approval_reason,
            head.approval_decided_by,
            head.approval_decided_at,
            head.approval_note,
        ),
    )


def _jsonb(value: dict[str, Any]) -> ColumnElement[Any]:
    """`value` as a jsonb parameter, serialized here by orjson and cast by PostgreSQL: the same
    jsonb the driver's json.dumps would give, for a fraction of its cost on a 1,000-line
    document (~20 ms of json.dumps for both columns, under 1 ms this way)."""
    return cast(literal(orjson.dumps(value).decode(), Text), JSONB)


def _head(quote: Quote) -> dict[str, Any]:
    return {
        "customer_id": quote.content.customer_id,
        "salesperson": quote.content.salesperson,
        "currency": quote.content.currency,
        "total": quote.total.amount,
        "status": quote.status.value,
        "latest_version": quote.latest_version,
        "valid_until": quote.valid_until,
        "converted_to": quote.converted_to,
        "converted_id": quote.converted_id,
        "rejection_reason": quote.rejection_reason,
        "order_stalled": quote.order_stalled,
        "updated_at": quote.updated_at,
        "approval_status": quote.approval.status.value,
        "approval_reason": quote.approval.reason,
        "approval_decided_by": quote.approval.decided_by,
        "approval_decided_at": quote.approval.decided_at,
        "approval_note": quote.approval.note,
    }


class SqlQuoteRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, quote: Quote) -> None:
        await self.session.execute(
            quotes.insert().values(
                id=quote.id,
                created_at=quote.created_at,
                created_by=quote.created_by,
                team=quote.team,
                number=quote.number,
                **_head(quote),
            )
        )
        await self._save_version(quote, quote.created_by)

    async def next_number(self, year: int) -> int:
        return await next_number(self.session, quote_sequences, year)

    async def save(self, quote: Quote, actor: str) -> None:
        await self.session.execute(
            quotes.update().where(quotes.c.id == quote.id).values(**_head(quote))
        )
        await self._save_version(quote, actor)

    async def _save_version(self, quote: Quote, actor: str) -> None:
        statement = insert(quote_versions).values(
            quote_id=quote.id,
            version=quote.version,
            created_at=quote.updated_at,
            created_by=actor,
            content=_jsonb(content_to_json(quote.content)),
            document=_jsonb(document_to_json(quote.document)),
        )
        replaced = {"content": statement.excluded.content, "document": statement.excluded.document}
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=["quote_id", "version"], set_=replaced)
        )

    async def get(self, quote_id: str, version: int = 0, for_update: bool = False) -> Quote | None:
        query = select(quotes).where(quotes.c.id == quote_id)
        head = (
            await self.session.execute(query.with_for_update() if for_update else query)
        ).first()
        if head is None:
            return None
        row = (
            await self.session.execute(
                select(quote_versions).where(
                    quote_versions.c.quote_id == quote_id,
                    quote_versions.c.version == (version or head.latest_version),
                )
            )
        ).first()
        return None if row is None else _quote(head, row)

    async def page(
        self,
        visible: Reach,
        wanted: QuoteFilter,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Quote]:
        version = quote_versions.c
        query = select(quotes, version.version, version.content, version.document).join(
            quote_versions,
            and_(version.quote_id == quotes.c.id, version.version == quotes.c.latest_version),
        )
        filters = (
            (quotes.c.status, wanted.status),
            (quotes.c.customer_id, wanted.customer_id),
            (quotes.c.salesperson, wanted.salesperson),
            (quotes.c.approval_status, wanted.approval),
        )
        for column, value in filters:
            if value:
                query = query.where(column == value)
        if not visible.everything:
            mine = quotes.c.salesperson == visible.salesperson
            query = query.where(or_(mine, quotes.c.team == visible.team) if visible.team else mine)
        if after:
            at, last_id = after
            query = query.where(
                or_(
                    quotes.c.created_at < at, and_(quotes.c.created_at == at, quotes.c.id < last_id)
                )
            )
        query = query.order_by(quotes.c.created_at.desc(), quotes.c.id.desc()).limit(limit)
        return [_quote(row, row) for row in await self.session.execute(query)]

    async def open_past_validity(self, today: date, limit: int) -> list[str]:
        query = (
            select(quotes.c.id)
            .where(quotes.c.status.in_([s.value for s in OPEN]), quotes.c.valid_until < today)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(query)).scalars())
