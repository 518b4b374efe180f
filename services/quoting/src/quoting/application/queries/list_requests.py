"""The customer requests the caller reaches, newest first, filtered, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quoting.application.ports import Ports, RequestFilter
from quoting.domain.request import OWNER, CustomerRequest, RequestStatus, Source
from servicekit.context import current_principal
from servicekit.errors import Violations
from servicekit.paging import newest_after, newest_page, page_limit
from servicekit.sales_reach import reach_of


@dataclass(frozen=True)
class ListRequests:
    status: str = ""
    owner: str = ""
    source: str = ""
    customer_id: str = ""
    created_from: str = ""  # ISO dates, UTC, both included
    created_to: str = ""
    page_size: int = 0
    page_token: str = ""


def _day(field: str, text: str, violations: Violations) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        violations.add(field, "a date, YYYY-MM-DD")
        return None


def _filter(query: ListRequests) -> RequestFilter:
    violations = Violations()
    if query.status and query.status not in set(RequestStatus):
        violations.add("status", f"one of {', '.join(RequestStatus)}")
    if query.source and query.source not in set(Source):
        violations.add("source", f"one of {', '.join(Source)}")
    if len(query.owner) > OWNER:
        violations.add("owner", "longer than any salesperson's name")
    first = _day("created_from", query.created_from, violations)
    last = _day("created_to", query.created_to, violations)
    if first and last and last < first:
        violations.add("created_to", "on or after created_from")
    violations.raise_if_any()
    return RequestFilter(query.status, query.owner, query.source, query.customer_id, first, last)


async def list_requests(ports: Ports, query: ListRequests) -> tuple[list[CustomerRequest], str]:
    """A page of requests and the next page's token (empty on the last page)."""
    limit = page_limit(query.page_size)
    wanted = _filter(query)
    after = newest_after(query.page_token)
    async with ports.uow() as uow:
        found = await uow.customer_requests.page(
            reach_of(current_principal()), wanted, after, limit + 1
        )
    return newest_page(found, limit)
