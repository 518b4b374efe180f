"""Categories: a tree. Each keeps the path of ids from its root, so a category's descendants are
the categories whose path it prefixes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from catalog.domain.product_rules import MAX_NAME
from servicekit.errors import InvalidArgument


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    parent_id: str | None
    # "/<root id>/.../<own id>/"
    path: str


def new_category(name: str, parent: Category | None) -> Category:
    """A category under `parent`; its path extends the parent's, so descendants share a prefix."""
    if not name.strip() or len(name) > MAX_NAME:
        raise InvalidArgument.of("name", f"1-{MAX_NAME} characters")
    category_id = str(uuid.uuid4())
    prefix = parent.path if parent is not None else "/"
    return Category(
        category_id, name.strip(), parent.id if parent else None, f"{prefix}{category_id}/"
    )
