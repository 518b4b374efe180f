"""Finding products: the category tree and what a search asks for."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.domain.model import MAX_NAME, check_attributes
from pricing.money import InvalidMoney, parse_amount
from servicekit.errors import InvalidArgument, Violations

MAX_SEARCH_TEXT = 200
WORD = re.compile(r"[\w]+", re.UNICODE)


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    parent_id: str | None
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


@dataclass(frozen=True)
class Search:
    """What a product search asks for; every given criterion must hold."""

    text: str = ""
    sku: str = ""
    category_id: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    min_price: Decimal | None = None
    max_price: Decimal | None = None

    @property
    def by_price(self) -> bool:
        return self.min_price is not None or self.max_price is not None


def search_criteria(
    text: str, sku: str, category_id: str, attributes: Mapping[str, str], low: str, high: str
) -> Search:
    problems = Violations()
    bounds: list[Decimal | None] = []
    for name, value in (("min_price", low), ("max_price", high)):
        if not value:
            bounds.append(None)
            continue
        try:
            bounds.append(parse_amount(value))
        except InvalidMoney as error:
            problems.add(name, str(error))
            bounds.append(None)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        problems.add("min_price", "must not exceed max_price")
    check_attributes(attributes, "attributes", problems)
    if len(text) > MAX_SEARCH_TEXT:
        problems.add("text", f"at most {MAX_SEARCH_TEXT} characters")
    problems.raise_if_any()
    return Search(text, sku, category_id, dict(attributes), bounds[0], bounds[1])


def text_query(text: str) -> str:
    """A PostgreSQL tsquery: every word must appear; the last may be a prefix ("blu" finds
    "blue"). Only word characters reach the query, so no input can break its syntax."""
    words = [w.lower() for w in WORD.findall(text)]
    if not words:
        return ""
    return " & ".join([*words[:-1], f"{words[-1]}:*"])
