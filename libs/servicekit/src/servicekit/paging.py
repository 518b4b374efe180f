"""Opaque page tokens: the sort key of a page's last row, so the next page starts after it."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
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


def page_limit(page_size: int, maximum: int = 200, default: int = 50) -> int:
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
