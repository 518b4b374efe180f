"""Which role opens which page. The web service refuses the others (403); the gateway and the
services refuse the data anyway, whatever a page asks."""

from __future__ import annotations

from enum import StrEnum


class Page(StrEnum):
    ORDERS = "orders"
    WAREHOUSE = "warehouse"
    FINANCE = "finance"
    USERS = "users"


ROLES_OF: dict[Page, frozenset[str]] = {
    Page.ORDERS: frozenset({"order-desk", "sales", "sales-manager", "admin"}),
    Page.WAREHOUSE: frozenset({"warehouse", "admin"}),
    Page.FINANCE: frozenset({"finance", "admin"}),
    Page.USERS: frozenset({"admin"}),
}


def may_open(role: str, page: Page) -> bool:
    return role in ROLES_OF[page]


def pages_for(role: str) -> list[Page]:
    """The navigation a role sees, in menu order."""
    return [page for page in Page if may_open(role, page)]
