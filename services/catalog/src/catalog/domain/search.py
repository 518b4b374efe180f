"""What a product search asks for, and what its words mean."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.domain.product_rules import check_attributes
from pricing.money import InvalidMoney, parse_amount
from servicekit.errors import Violations

MAX_SEARCH_TEXT = 200
WORD = re.compile(r"[\w]+", re.UNICODE)


@dataclass(frozen=True)
class Search:
    """What a product search asks for; every given criterion must hold. A product is found by
    its name's words (`search_words`), its SKU, its category or any below it, attributes it has
    (all of them), and a list price within the bounds."""

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


def search_words(text: str) -> list[str]:
    """The words a name must have, lower case: every one of them, the last perhaps only as the
    start of a word ("blu" finds "blue"). Anything but word characters separates words."""
    return [w.lower() for w in WORD.findall(text)]
