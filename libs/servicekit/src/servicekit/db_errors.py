"""Which database errors pass by themselves, read from PostgreSQL's own SQLSTATE codes.

A transient error says nothing about the work that met it: the same transaction, tried again a
moment later, can succeed (a deadlock victim, a serialization failure, a server restarting, a
full connection table, a pool with no free connection). Retrying it is right; setting the work
aside as broken (a dead letter) is wrong. Anything else is taken to be about the work itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
from sqlalchemy import exc as sa_exc

# SQLSTATE classes and codes that pass: connection exceptions (08xxx), deadlock and
# serialization failures, lack of resources (too many connections, 53300; out of memory), the
# server shutting down or starting (57P01-57P03), and a lock not granted in time (55P03).
_TRANSIENT_CLASSES = ("08", "53")
_TRANSIENT_CODES = frozenset({"40001", "40P01", "57P01", "57P02", "57P03", "55P03"})


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE PostgreSQL gave for `error`, wherever the driver or SQLAlchemy put it."""
    for cause in _chain(error):
        code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(code, str) and len(code) == 5:
            return code
    return None


def is_transient(error: BaseException) -> bool:
    """True when trying the same work again later may succeed."""
    code = sqlstate(error)
    if code is not None:
        return code in _TRANSIENT_CODES or code[:2] in _TRANSIENT_CLASSES
    for cause in _chain(error):
        # no SQLSTATE: the connection itself failed (refused, reset, closed under us, or found
        # inside an operation that will never end, which asyncpg reports as its own internal
        # error and aborts the connection for) or the pool had no connection to give in time
        if isinstance(
            cause,
            OSError
            | TimeoutError
            | sa_exc.TimeoutError
            | asyncpg.InterfaceError
            | asyncpg.InternalClientError,
        ):
            return True
        if isinstance(cause, sa_exc.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, sa_exc.InterfaceError | sa_exc.DisconnectionError):
            return True
    return False


def _chain(error: BaseException) -> Iterator[BaseException]:
    """`error`, the driver error SQLAlchemy wraps, and their causes; each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        # not __context__: an error met and handled on the way is no cause of this one
        pending += [orig if isinstance(orig, BaseException) else None, current.__cause__]
