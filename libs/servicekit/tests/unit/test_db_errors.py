"""Database errors are told apart by PostgreSQL's own SQLSTATE, as the driver and SQLAlchemy
carry them: what passes by itself is retried, what is about the work is not."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import exc
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi

from servicekit.db_errors import is_transient, sqlstate

_DBAPI = AsyncAdapt_asyncpg_dbapi(asyncpg)


def _as_sqlalchemy_raises(driver_error: Exception) -> exc.DBAPIError:
    """The error a session raises for `driver_error`, chained as SQLAlchemy's asyncpg dialect
    chains it (asyncpg error -> the adapter's DB-API error -> SQLAlchemy's)."""
    adapted = _DBAPI.Error(str(driver_error), driver_error)
    adapted.__cause__ = driver_error
    wrapped = exc.DBAPIError.instance(
        "UPDATE customers SET email = $1", ("jane@example.com",), adapted, _DBAPI.Error
    )
    wrapped.__cause__ = adapted
    return wrapped


@pytest.mark.parametrize(
    "driver_error",
    [
        asyncpg.DeadlockDetectedError("deadlock detected"),
        asyncpg.SerializationError("could not serialize access"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.ConnectionFailureError("connection failure"),
        asyncpg.LockNotAvailableError("canceling statement due to lock timeout"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_transient_sqlstates_are_retried(driver_error: Exception) -> None:
    error = _as_sqlalchemy_raises(driver_error)
    assert sqlstate(error) == driver_error.sqlstate  # type: ignore[attr-defined]
    assert is_transient(error)


@pytest.mark.parametrize(
    "driver_error",
    [
        asyncpg.UniqueViolationError("duplicate key value violates unique constraint"),
        asyncpg.CheckViolationError("new row violates check constraint"),
        asyncpg.UndefinedColumnError('column "x" does not exist'),
        asyncpg.DivisionByZeroError("division by zero"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_about_the_work_itself_are_not(driver_error: Exception) -> None:
    assert not is_transient(_as_sqlalchemy_raises(driver_error))


def test_a_pool_with_no_free_connection_and_a_lost_connection_are_transient() -> None:
    assert is_transient(exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached"))
    assert is_transient(ConnectionRefusedError(111, "Connect call failed"))
    assert is_transient(asyncpg.ConnectionDoesNotExistError("connection was closed"))
    lost = _as_sqlalchemy_raises(asyncpg.InterfaceError("connection is closed"))
    assert is_transient(lost)


def test_a_connection_the_driver_found_stuck_inside_an_operation_is_transient() -> None:
    # a pooled connection that read the server's "terminating connection" before its close
    stuck = asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is")
    assert is_transient(stuck)
    assert is_transient(_as_sqlalchemy_raises(stuck))


def test_a_plain_bug_is_not_transient_even_if_it_met_an_os_error_on_the_way() -> None:
    bug = ValueError("a bug")
    bug.__context__ = ConnectionResetError("earlier, handled")  # met, not its cause
    assert not is_transient(bug)
