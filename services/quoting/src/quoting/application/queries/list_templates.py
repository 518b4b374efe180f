"""Templates by name, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.ports import Ports
from quoting.domain.template import Template
from servicekit.paging import keyed_page, page_after, page_limit


@dataclass(frozen=True)
class ListTemplates:
    page_size: int = 0
    page_token: str = ""


async def list_templates(ports: Ports, query: ListTemplates) -> tuple[list[Template], str]:
    """A page of templates and the next page's token (empty on the last page)."""
    limit = page_limit(query.page_size)
    key = page_after(query.page_token, 2)
    after = (key[0], key[1]) if key else None
    async with ports.uow() as uow:
        found = await uow.templates.page(after, limit + 1)
    return keyed_page(found, limit, lambda template: (template.name, template.id))
