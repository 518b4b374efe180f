"""Templates: a quote's groups saved under a name, to start new quotes from. Everyone who works
quotes shares them; saving one needs a quote the caller may see."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from oms.quoting.v1 import quoting_pb2 as pb
from quoting.adapters.repository import QuoteRepository
from quoting.application.quotes import Quotes
from quoting.domain.limits import TEMPLATE_NAME
from servicekit.audit import AuditLog
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument
from servicekit.paging import page_after, page_limit, page_token

# The change log's name for a template.
TEMPLATE = "quote_template"


class Templates:
    def __init__(self, database: Database, audit: AuditLog, quotes: Quotes) -> None:
        self.database = database
        self.audit = audit
        self.quotes = quotes

    async def save(self, quote_id: str, name: str) -> pb.Template:
        if not name.strip() or len(name) > TEMPLATE_NAME:
            raise InvalidArgument.of("name", f"1-{TEMPLATE_NAME} characters")
        quote = await self.quotes.get(quote_id)
        template_id, now = str(uuid.uuid4()), datetime.now(UTC)
        groups = list(quote.content.groups)
        async with self.database.transaction() as session:
            repository = QuoteRepository(session)
            actor = current_principal().subject
            await repository.add_template(template_id, name.strip(), groups, now, actor)
            await self.audit.record(
                session,
                TEMPLATE,
                template_id,
                "created",
                after={
                    "name": name.strip(),
                    "quote_id": quote.id,
                    "quote_version": quote.version,
                    "groups": [group.name for group in groups],
                },
            )
            (template,) = await repository.templates(template_id)
        return template

    async def page(self, page_size: int, token: str) -> tuple[list[pb.Template], str]:
        """Templates by name, a page at a time."""
        limit = page_limit(page_size)
        after = page_after(token, 2)
        async with self.database.transaction() as session:
            found = await QuoteRepository(session).templates(after=after, limit=limit + 1)
        if len(found) <= limit:
            return found, ""
        last = found[limit - 1]
        return found[:limit], page_token(last.name, last.id)
