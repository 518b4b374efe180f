"""The database: one engine per process, transactions as units of work, migrations at start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import asyncpg
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, MetaData, Table, event, exc, pool, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncTransaction,
    create_async_engine,
)

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# One key for every service's migrations: replicas starting together migrate one at a time.
_MIGRATION_LOCK = 7_262_001


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


# Distinct SQL texts whose prepared statements each connection keeps (the driver's default,
# 100, is fewer than the statements a busy service runs: billing ran 148 in the order flow).
_PREPARED_STATEMENTS = 250


def make_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    # No pre-ping: it cost a round trip per transaction (7% of the orders service's CPU under
    # load). A checkout instead asks the driver whether the server closed the connection (a
    # restart or an administrator's terminate reaches the idle socket), which costs nothing;
    # what even that cannot see fails once and is retried as transient (servicekit.db_errors).
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=10,
        pool_recycle=1800,
        connect_args={"prepared_statement_cache_size": _PREPARED_STATEMENTS},
    )
    event.listen(engine.sync_engine, "checkout", _refuse_closed)
    return engine


def _refuse_closed(dbapi_connection: object, record: pool.ConnectionPoolEntry, _: object) -> None:
    """Pool checkout hook: a connection the server has closed is replaced by a fresh one."""
    driver = record.driver_connection
    if driver is not None and driver.is_closed():
        # the pool discards this connection and checks out (or opens) another
        raise exc.DisconnectionError("the server closed this pooled connection")


class Transaction:
    """One unit of work's connection inside its transaction: statements as SQLAlchemy Core runs
    them, and `info` for what the transaction's own code leaves for its later steps (gone with
    the transaction). Core, not the ORM's session: nothing here is mapped, and the session's
    bookkeeping cost about 35 us of CPU a statement and 85 us a transaction."""

    __slots__ = ("connection", "execute", "info", "scalar")

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.execute = connection.execute
        self.scalar = connection.scalar
        self.info: dict[str, Any] = {}

    def begin_nested(self) -> AsyncTransaction:
        """A savepoint: `async with transaction.begin_nested():` undoes only its own block."""
        return self.connection.begin_nested()


class Database:
    """Owns the engine; hands out transactions. A use case is one `transaction()` block."""

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Commits when the block ends normally, rolls back when it raises."""
        async with self.engine.begin() as connection:
            yield Transaction(connection)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def driver(transaction: Transaction) -> asyncpg.Connection:
    """The asyncpg connection under the transaction, begun if it was not yet. The hottest shared
    statements (a batch's inbox claim, a use case's outbox and change-log rows) are sent on it
    directly: SQLAlchemy's own work per execution, about 0.1 ms of CPU, cost more than the
    statement itself. Their effects commit or roll back with the transaction."""
    adapted: Any = (await transaction.connection.get_raw_connection()).dbapi_connection
    # SQLAlchemy's asyncpg adapter sends BEGIN only before its own first statement: begun here
    # through the adapter, so the transaction is the one it commits or rolls back
    if adapted._transaction is None:
        await adapted._start_transaction()
    raw: asyncpg.Connection = adapted._connection
    return raw


class Columns(Protocol):
    """A row read by column name: the driver's record, or SQLAlchemy's row mapping."""

    def __getitem__(self, name: str) -> Any: ...


def select_every_column(table: Table, rest: str) -> str:
    """`SELECT` of every column of `table`, then `rest` (its WHERE and ORDER BY), as sent on
    the driver."""
    names = ", ".join(column.name for column in table.columns)
    return f"SELECT {names} FROM {quoted(table)} {rest}"


def quoted(table: Table) -> str:
    """The table's name as it is written in SQL sent on the driver."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    name: str = dialect.identifier_preparer.format_table(table)
    return name


def alembic_config(alembic_ini: Path, database_url: str) -> Config:
    config = Config(str(alembic_ini))
    config.set_main_option("script_location", str(alembic_ini.parent / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


async def migrate(alembic_ini: Path, database_url: str) -> None:
    """Upgrades the service's database to the newest migration (run at every start)."""
    # alembic's env.py runs its own event loop, so it gets a thread of its own
    await asyncio.to_thread(command.upgrade, alembic_config(alembic_ini, database_url), "head")


def run_migrations_online(config: Config, target_metadata: MetaData) -> None:
    """Body of every service's migrations/env.py: async engine, serialized by an advisory lock."""

    def do_run(connection: Connection) -> None:
        from alembic import context

        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        url = config.get_main_option("sqlalchemy.url")
        assert url is not None
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await _locked(connection)
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run())


async def _locked(connection: AsyncConnection) -> None:
    await connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
