"""Opaque page tokens: the sort key of a page's last row, so the next page starts after it.

Newest first (`newest_after`, `newest_page`) for what is listed by creation, or any unique sort
key (`page_start`, `keyed_page`): SKUs, names with ids, paths."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from servicekit.errors import InvalidArgument


def page_token(*key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def page_after(token: str, size: int) -> list[str]:
    """The key `token` carries, or InvalidArgument on page_token for anything this API did not
    issue; an empty token is the first page (an empty key)."""
    if not token:
        return []
    try:
        key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error
    if not isinstance(key, list) or len(key) != size or not all(isinstance(k, str) for k in key):
        raise InvalidArgument.of("page_token", "not a token this API issued")
    return key


class Dated(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


D = TypeVar("D", bound=Dated)
T = TypeVar("T")


# The most rows one page holds, everywhere (the gateway refuses a larger page_size too).
MAX_PAGE_SIZE = 200


def page_limit(page_size: int, maximum: int = MAX_PAGE_SIZE, default: int = 50) -> int:
    """The rows a page holds: InvalidArgument on page_size outside 0..maximum; 0 is `default`."""
    if not 0 <= page_size <= maximum:
        raise InvalidArgument.of("page_size", f"between 1 and {maximum}")
    return page_size or default


def newest_after(token: str) -> tuple[datetime, str] | None:
    """The (created_at, id) a newest-first page token carries; None for the first page."""
    key = page_after(token, 2)
    if not key:
        return None
    try:
        return datetime.fromisoformat(key[0]), key[1]
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error


def newest_page(found: Sequence[D], limit: int) -> tuple[list[D], str]:
    """A newest-first page from the `limit + 1` rows read, and the next page's token (empty on
    the last page)."""
    if len(found) > limit:
        last = found[limit - 1]
        return list(found[:limit]), page_token(last.created_at.isoformat(), last.id)
    return list(found), ""


def page_start(page_size: int, token: str) -> tuple[int, str]:
    """The rows a page holds (`page_limit`) and the one-part key it starts after ("" for the
    first page)."""
    limit = page_limit(page_size)
    key = page_after(token, 1)
    return limit, key[0] if key else ""


def keyed_page(
    found: Sequence[T], limit: int, key: Callable[[T], tuple[str, ...]]
) -> tuple[list[T], str]:
    """The page from the `limit + 1` rows read in the order of a unique sort key, and the next
    page's token carrying its last row's `key` (empty on the last page)."""
    if len(found) > limit:
        return list(found[:limit]), page_token(*key(found[limit - 1]))
    return list(found), ""
