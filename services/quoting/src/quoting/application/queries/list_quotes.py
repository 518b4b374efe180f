"""The quotes the caller may see, newest first, filtered, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.ports import Ports, QuoteFilter
from quoting.domain.approval import ApprovalStatus
from quoting.domain.limits import CONTENT_TEXTS
from quoting.domain.model import Quote, Status
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument
from servicekit.paging import newest_after, newest_page, page_limit
from servicekit.sales_reach import reach_of


@dataclass(frozen=True)
class ListQuotes:
    status: str = ""
    customer_id: str = ""
    salesperson: str = ""
    page_size: int = 0
    page_token: str = ""
    approval: str = ""  # the approval's status


async def list_quotes(ports: Ports, query: ListQuotes) -> tuple[list[Quote], str]:
    """A page of quotes and the next page's token (empty on the last page)."""
    limit = page_limit(query.page_size)
    if query.status and query.status not in set(Status):
        raise InvalidArgument.of("status", f"one of {', '.join(Status)}")
    if query.approval and query.approval not in set(ApprovalStatus):
        raise InvalidArgument.of("approval", f"one of {', '.join(ApprovalStatus)}")
    if len(query.salesperson) > CONTENT_TEXTS["salesperson"]:
        raise InvalidArgument.of("salesperson", "longer than any salesperson's name")
    after = newest_after(query.page_token)
    wanted = QuoteFilter(query.status, query.customer_id, query.salesperson, query.approval)
    async with ports.uow() as uow:
        found = await uow.quotes.page(reach_of(current_principal()), wanted, after, limit + 1)
    return newest_page(found, limit)
