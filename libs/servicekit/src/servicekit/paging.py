"""Opaque page tokens: the sort key of a page's last row, so the next page starts after it."""

from __future__ import annotations

import base64
import json

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
