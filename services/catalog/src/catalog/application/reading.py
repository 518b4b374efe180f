"""What reads return: a page at a time, and only the figures the caller may see."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from catalog.domain.rights import Visibility, visibility
from servicekit.context import current_principal
from servicekit.paging import keyed_page

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    # "" on the last page
    next_page_token: str


@dataclass(frozen=True)
class Shown(Generic[T]):
    """What a use case found or made, with which of a product's figures (costs, list prices) the
    current caller may see (domain.rights): the answer leaves out the others and names them."""

    value: T
    seen: Visibility


def shown(value: T) -> Shown[T]:
    return Shown(value, visibility(current_principal()))


def page_of(found: Sequence[T], limit: int, key: Callable[[T], tuple[str, ...]]) -> Page[T]:
    """The page from the `limit + 1` rows read in the order of a unique sort key (`key`)."""
    items, token = keyed_page(found, limit, key)
    return Page(items, token)
