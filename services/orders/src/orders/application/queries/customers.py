"""Customer accounts: one, or a page of them by name with filters."""

from __future__ import annotations

from orders.application.ports import Deps
from orders.application.views import CustomerView, customer_seen
from orders.domain.customers import CustomerFilter
from servicekit.errors import NotFound, Violations
from servicekit.paging import keyed_page, page_after, page_limit

MAX_FILTER = 200


async def get_customer(deps: Deps, customer_id: str) -> CustomerView:
    async with deps.unit_of_work() as uow:
        customer = await uow.customers.get(customer_id)
    if customer is None:
        raise NotFound(f"customer {customer_id} not found")
    return customer_seen(customer)


async def list_customers(
    deps: Deps, wanted: CustomerFilter, page_size: int, token: str
) -> tuple[list[CustomerView], str]:
    """The page and the next page's token ("" on the last)."""
    problems = Violations()
    for name, value in (
        ("name_prefix", wanted.name_prefix),
        ("name_contains", wanted.name_contains),
        ("customer_group", wanted.customer_group),
    ):
        if len(value) > MAX_FILTER:
            problems.add(name, f"at most {MAX_FILTER} characters")
    problems.raise_if_any()
    limit = page_limit(page_size)
    key = page_after(token, 2)
    after = (key[0], key[1]) if key else None
    async with deps.unit_of_work() as uow:
        found = await uow.customers.page(wanted, after, limit + 1)
    page, next_token = keyed_page(found, limit, lambda c: (c.details.name, c.id))
    return [customer_seen(c) for c in page], next_token
