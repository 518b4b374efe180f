"""Saved views: a named set of order-desk filters, kept per user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

from servicekit.errors import Violations
from web.domain.users import UserId

ViewId = NewType("ViewId", str)

# The order desk's filters, as GET /api/v1/sales-orders names them.
ORDER_FILTERS = (
    "status",
    "customer_id",
    "salesperson",
    "channel",
    "order_type",
    "category_id",
    "created_from",
    "created_to",
)
NAME_MAX = 80
VALUE_MAX = 200


@dataclass(frozen=True)
class SavedView:
    id: ViewId
    user_id: UserId
    name: str
    filters: dict[str, str]


def clean_filters(given: dict[str, str]) -> dict[str, str]:
    """The known filters that are set, trimmed; others dropped."""
    return {k: given[k].strip() for k in ORDER_FILTERS if given.get(k, "").strip()}


def check_view(name: str, filters: dict[str, str]) -> None:
    wrong = Violations()
    if not name.strip() or len(name) > NAME_MAX:
        wrong.add("name", f"1 to {NAME_MAX} characters")
    for key, value in filters.items():
        if len(value) > VALUE_MAX:
            wrong.add(key, f"at most {VALUE_MAX} characters")
    wrong.raise_if_any()
