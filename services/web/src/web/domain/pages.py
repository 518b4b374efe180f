"""Which role opens which page. The web service refuses the others (403); the gateway and the
services refuse the data anyway, whatever a page asks."""

from __future__ import annotations

from enum import StrEnum


class Page(StrEnum):
    """The pages, in menu order: each role's own work first (a user lands on the first)."""

    ORDERS = "orders"
    REQUESTS = "requests"
    QUOTES = "quotes"
    APPROVALS = "approvals"
    PIPELINE = "pipeline"
    WAREHOUSE = "warehouse"
    PURCHASING = "purchasing"
    FINANCE = "finance"
    QUEUES = "queues"
    TASKS = "tasks"
    USERS = "users"

    @property
    def label(self) -> str:
        """The page's name in the navigation."""
        return LABELS[self]


LABELS = {
    Page.ORDERS: "Order desk",
    Page.REQUESTS: "Requests",
    Page.QUOTES: "Quotes",
    Page.APPROVALS: "Approvals",
    Page.PIPELINE: "Pipeline",
    Page.WAREHOUSE: "Warehouse",
    Page.PURCHASING: "Purchasing",
    Page.FINANCE: "Finance",
    Page.QUEUES: "Work queues",
    Page.TASKS: "Tasks",
    Page.USERS: "Users",
}

OFFICE = frozenset(
    {"sales", "sales-manager", "order-desk", "warehouse", "purchasing", "finance", "admin"}
)
ROLES_OF: dict[Page, frozenset[str]] = {
    Page.ORDERS: frozenset({"order-desk", "sales", "sales-manager", "admin"}),
    Page.REQUESTS: frozenset({"order-desk", "sales", "sales-manager", "admin"}),
    Page.QUOTES: frozenset({"sales", "sales-manager", "admin"}),
    Page.APPROVALS: frozenset({"sales-manager", "admin"}),
    Page.PIPELINE: frozenset({"sales", "sales-manager", "order-desk", "admin"}),
    Page.WAREHOUSE: frozenset({"warehouse", "admin"}),
    Page.PURCHASING: frozenset({"purchasing", "admin"}),
    Page.FINANCE: frozenset({"finance", "admin"}),
    Page.QUEUES: OFFICE,
    Page.TASKS: OFFICE,
    Page.USERS: frozenset({"admin"}),
}


def may_open(role: str, page: Page) -> bool:
    return role in ROLES_OF[page]


def pages_for(role: str) -> list[Page]:
    """The navigation a role sees, in menu order."""
    return [page for page in Page if may_open(role, page)]
