"""Templates in PostgreSQL; their groups as the JSON of oms.quoting.v1.GroupInput messages."""

from __future__ import annotations

from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy import Row, and_, or_, select

from oms.quoting.v1 import quoting_pb2 as pb
from quoting.adapters.protobuf import group_input_from_proto, group_input_to_proto
from quoting.adapters.tables import quote_templates
from quoting.domain.template import Template
from servicekit.db import Transaction


def _template(row: Row[Any]) -> Template:
    return Template(
        id=row.id,
        name=row.name,
        groups=tuple(group_input_from_proto(ParseDict(g, pb.GroupInput())) for g in row.groups),
        created_at=row.created_at,
        created_by=row.created_by,
    )


class SqlTemplateRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, template: Template) -> None:
        await self.session.execute(
            quote_templates.insert().values(
                id=template.id,
                name=template.name,
                groups=[MessageToDict(group_input_to_proto(g)) for g in template.groups],
                created_at=template.created_at,
                created_by=template.created_by,
            )
        )

    async def get(self, template_id: str) -> Template | None:
        query = select(quote_templates).where(quote_templates.c.id == template_id)
        row = (await self.session.execute(query)).first()
        return None if row is None else _template(row)

    async def page(self, after: tuple[str, str] | None, limit: int) -> list[Template]:
        c = quote_templates.c
        query = select(quote_templates).order_by(c.name, c.id).limit(limit)
        if after:
            name, last_id = after
            query = query.where(or_(c.name > name, and_(c.name == name, c.id > last_id)))
        return [_template(row) for row in await self.session.execute(query)]
