"""Quotes in PostgreSQL: the head row carries the current state, a version row each version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict
from google.protobuf.message import Message
from sqlalchemy import Row, and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from pricing.money import parse_amount
from quoting.adapters.tables import quote_templates, quote_versions, quotes
from quoting.domain.model import Quote, Status
from servicekit.sales_reach import Reach


def as_json(message: Message) -> dict[str, Any]:
    return MessageToDict(message)


def _quote(head: Row[Any], version: Row[Any]) -> Quote:
    return Quote(
        id=head.id,
        version=version.version,
        latest_version=head.latest_version,
        status=Status(head.status),
        content=ParseDict(version.content, pb.QuoteContent()),
        document=ParseDict(version.document, pricing.PricedDocument()),
        created_at=head.created_at,
        created_by=head.created_by,
        updated_at=head.updated_at,
        converted_to=head.converted_to,
        converted_id=head.converted_id,
        rejection_reason=head.rejection_reason,
        team=head.team,
    )


class QuoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _head(self, quote: Quote) -> dict[str, Any]:
        return {
            "customer_id": quote.content.customer_id,
            "salesperson": quote.content.salesperson,
            "currency": quote.content.currency,
            "total": parse_amount(quote.total),
            "status": quote.status.value,
            "latest_version": quote.latest_version,
            "valid_until": quote.valid_until,
            "converted_to": quote.converted_to,
            "converted_id": quote.converted_id,
            "rejection_reason": quote.rejection_reason,
            "updated_at": quote.updated_at,
        }

    async def add(self, quote: Quote) -> None:
        await self.session.execute(
            quotes.insert().values(
                id=quote.id,
                created_at=quote.created_at,
                created_by=quote.created_by,
                team=quote.team,
                **self._head(quote),
            )
        )
        await self._save_version(quote, quote.created_by)

    async def save(self, quote: Quote, actor: str) -> None:
        """Writes the head and the current version (a new one after a revision)."""
        await self.session.execute(
            quotes.update().where(quotes.c.id == quote.id).values(**self._head(quote))
        )
        await self._save_version(quote, actor)

    async def _save_version(self, quote: Quote, actor: str) -> None:
        values = {"content": as_json(quote.content), "document": as_json(quote.document)}
        await self.session.execute(
            insert(quote_versions)
            .values(
                quote_id=quote.id,
                version=quote.version,
                created_at=quote.updated_at,
                created_by=actor,
                **values,
            )
            .on_conflict_do_update(index_elements=["quote_id", "version"], set_=values)
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
        filters: tuple[str, str, str],
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Quote]:
        """The quotes `visible` admits, newest first, filtered by (status, customer_id,
        salesperson); `after` is the (created_at, id) of the previous page's last quote."""
        version = quote_versions.c
        query = select(quotes, version.version, version.content, version.document).join(
            quote_versions,
            and_(
                quote_versions.c.quote_id == quotes.c.id,
                quote_versions.c.version == quotes.c.latest_version,
            ),
        )
        columns = (quotes.c.status, quotes.c.customer_id, quotes.c.salesperson)
        for column, wanted in zip(columns, filters, strict=True):
            if wanted:
                query = query.where(column == wanted)
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
        """Ids of drafts and sent quotes whose validity date has passed, locked for this
        transaction; SKIP LOCKED lets several replicas expire side by side."""
        query = (
            select(quotes.c.id)
            .where(quotes.c.status.in_(["draft", "sent"]), quotes.c.valid_until < today)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(query)).scalars())

    async def add_template(
        self, template_id: str, name: str, groups: list[pb.GroupInput], at: datetime, actor: str
    ) -> None:
        await self.session.execute(
            quote_templates.insert().values(
                id=template_id,
                name=name,
                groups=[as_json(group) for group in groups],
                created_at=at,
                created_by=actor,
            )
        )

    async def templates(
        self, template_id: str = "", after: list[str] | None = None, limit: int | None = None
    ) -> list[pb.Template]:
        """By name; `after` is the (name, id) of the previous page's last template."""
        c = quote_templates.c
        query = select(quote_templates).order_by(c.name, c.id).limit(limit)
        if template_id:
            query = query.where(c.id == template_id)
        if after:
            query = query.where(or_(c.name > after[0], and_(c.name == after[0], c.id > after[1])))
        found = []
        for row in await self.session.execute(query):
            template = pb.Template(id=row.id, name=row.name, created_by=row.created_by)
            template.created_at.FromDatetime(row.created_at)
            template.groups.extend(ParseDict(g, pb.GroupInput()) for g in row.groups)
            found.append(template)
        return found
