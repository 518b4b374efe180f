"""The database: one engine per process, transactions as units of work, migrations at start."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import asyncpg
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, MetaData, Table, event, exc, pool, text
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    create_async_engine,
)
from sqlalchemy.sql.expression import ClauseElement

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


# Connections opened beyond `pool_size` when busier, closed when given back to a full pool.
OVERFLOW = 10


def make_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    # No pre-ping: it cost a round trip per transaction (7% of the orders service's CPU under
    # load). A checkout instead asks the driver whether the server closed the connection (a
    # restart or an administrator's terminate reaches the idle socket), which costs nothing;
    # what even that cannot see fails once and is retried as transient (servicekit.db_errors).
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=OVERFLOW,
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
    them, rows gathered to be sent as it commits (`gather`), and `info` for what the
    transaction's own code leaves for its later steps (gone with the transaction). Core, not
    the ORM's session: nothing here is mapped, and the session's bookkeeping cost about 35 us of
    CPU a statement and 85 us a transaction."""

    __slots__ = ("begins", "connection", "driver", "execute", "gathered", "info", "scalar")

    def __init__(self, connection: AsyncConnection, begins: bool = True) -> None:
        self.connection = connection
        # False for a reading (Database.reading): statements on the driver run without BEGIN
        self.begins = begins
        self.execute = connection.execute
        self.scalar = connection.scalar
        self.info: dict[str, Any] = {}
        # the asyncpg connection, once `driver` has begun the transaction on it
        self.driver: asyncpg.Connection | None = None
        # each gathered INSERT's rows, column by column, not sent yet
        self.gathered: dict[GatheredRows, list[list[Any]]] = {}

    def gather(self, rows: GatheredRows, columns: Sequence[Sequence[Any]]) -> None:
        """Rows for `rows`' INSERT, column by column (as many columns as it takes, of one
        length), after those gathered before: sent as the transaction commits."""
        if len(columns) != rows.columns or len({len(column) for column in columns}) != 1:
            raise ValueError(f"{rows.columns} columns of one length are needed")
        if not self.begins:
            raise RuntimeError("a reading (Database.reading) writes nothing")
        if not columns[0]:
            return
        pending = self.gathered.get(rows)
        if pending is None:
            self.gathered[rows] = [list(column) for column in columns]
        else:
            for mine, more in zip(pending, columns, strict=True):
                mine.extend(more)

    async def send_gathered(self) -> None:
        """Sends every gathered row in one statement (`Database.transaction` does before it
        commits; a step that must read them back in the transaction may call it first)."""
        if not self.gathered:
            return
        kinds = tuple(sorted(self.gathered, key=lambda rows: rows.made))
        arguments = [column for rows in kinds for column in self.gathered[rows]]
        self.gathered = {}
        await (await driver(self)).execute(_together(kinds), *arguments)

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        """A savepoint: `async with transaction.begin_nested():` undoes only its own block,
        rows it gathered included."""
        kept = {rows: len(columns[0]) for rows, columns in self.gathered.items()}
        try:
            async with self.connection.begin_nested():
                yield
        except BaseException:
            self.gathered = {
                rows: [column[: kept[rows]] for column in columns]
                for rows, columns in self.gathered.items()
                if rows in kept
            }
            raise


class GatheredRows:
    """An INSERT whose rows the steps of a transaction gather (`Transaction.gather`) and that is
    sent once, as the transaction commits, in one statement with the transaction's other
    gathered INSERTs (each a data-modifying WITH): a change's log, journal and outbox rows cost
    one round trip per transaction, however many steps or events (a consumer's batch) made
    them. `sql` takes the rows column by column as arrays, $1 to $`columns`, for example
    "INSERT INTO t (a, b) SELECT * FROM unnest($1::varchar[], $2::bigint[])". What a
    transaction gathered is not in its tables until then: the tables written so are those only
    read after it commits (logs, journals, the outbox). All of a transaction's rows for one
    INSERT go in one command, so it may skip a copy (ON CONFLICT DO NOTHING) but not upsert
    one key twice."""

    __slots__ = ("columns", "made", "sql")
    _made = itertools.count()

    def __init__(self, sql: str, columns: int) -> None:
        if {int(n) for n in re.findall(r"\$(\d+)", sql)} != set(range(1, columns + 1)):
            raise ValueError(f"the INSERT must take its rows as $1 to ${columns}: {sql}")
        self.sql = sql
        self.columns = columns
        self.made = next(GatheredRows._made)  # a fixed order, so one set makes one text


def _numbered_from(sql: str, offset: int) -> str:
    return re.sub(r"\$(\d+)", lambda n: f"${int(n[1]) + offset}", sql)


_TOGETHER: dict[tuple[GatheredRows, ...], str] = {}


def _together(kinds: tuple[GatheredRows, ...]) -> str:
    """One statement of the INSERTs, their parameters numbered on from one another's."""
    text = _TOGETHER.get(kinds)
    if text is None:
        parts, offset = [], 0
        for rows in kinds:
            parts.append(_numbered_from(rows.sql, offset))
            offset += rows.columns
        *first, last = parts
        before = ", ".join(f"gathered{i} AS ({part})" for i, part in enumerate(first))
        text = _TOGETHER[kinds] = f"WITH {before} {last}" if first else last
    return text


class Database:
    """Owns the engine; hands out transactions. A use case is one `transaction()` block."""

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Commits when the block ends normally (its gathered rows sent first), rolls back when
        it raises."""
        async with self.engine.begin() as connection:
            transaction = Transaction(connection)
            yield transaction
            await transaction.send_gathered()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Transaction]:
        """For a use case that only reads: its statements sent on the driver run without BEGIN
        and COMMIT, two round trips fewer. Under READ COMMITTED a transaction's statements each
        see what was committed when they began, so reads in one transaction see no more
        together than reads outside one; a statement through SQLAlchemy still begins one,
        rolled back at the end. Nothing written here is kept: gathering rows is refused."""
        async with self.engine.connect() as connection:
            yield Transaction(connection, begins=False)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def driver(transaction: Transaction) -> asyncpg.Connection:
    """The asyncpg connection under the transaction, begun if it was not yet (but for a
    reading's, `Database.reading`, which sends no BEGIN). The hottest shared
    statements (a batch's inbox claim, a use case's outbox and change-log rows) are sent on it
    directly: SQLAlchemy's own work per execution, about 0.1 ms of CPU, cost more than the
    statement itself. Their effects commit or roll back with the transaction."""
    if transaction.driver is not None:  # begun: it stays so until the transaction ends
        return transaction.driver
    adapted: Any = (await transaction.connection.get_raw_connection()).dbapi_connection
    # SQLAlchemy's asyncpg adapter sends BEGIN only before its own first statement: begun here
    # through the adapter, so the transaction is the one it commits or rolls back
    if adapted._transaction is None and transaction.begins:
        await adapted._start_transaction()
    transaction.driver = adapted._connection
    return adapted._connection


# The engine's dialect: statements compiled with it are the text, casts and value conversions
# SQLAlchemy itself would send on this driver.
_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]


class DriverStatement:
    """A Core statement compiled once and sent on the driver (`driver`): what SQLAlchemy would
    send, without its work per execution (about 0.1 ms of CPU, more than most statements cost
    the server). As in SQLAlchemy, an INSERT or UPDATE sets the columns its parameters name;
    each set of names is compiled once. Parameters SQLAlchemy would fill in itself (a column's
    Python-side default) are refused when compiled: name them."""

    __slots__ = ("_compiled", "_statement")

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        self._compiled: dict[tuple[str, ...], _Compiled] = {}

    def _for(self, names: tuple[str, ...]) -> _Compiled:
        compiled = self._compiled.get(names)
        if compiled is None:
            compiled = self._compiled[names] = _Compiled(self._statement, names)
        return compiled

    async def execute(self, transaction: Transaction, parameters: Mapping[str, Any]) -> int:
        """Runs it once; how many rows it inserted, updated or deleted."""
        compiled = self._for(tuple(parameters))
        status: str = await (await driver(transaction)).execute(
            compiled.sql, *compiled.arguments(parameters)
        )
        return int(status.rpartition(" ")[2] or 0)

    async def execute_many(
        self, transaction: Transaction, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Runs it once per row of parameters (each naming the same columns), pipelined."""
        if rows:
            compiled = self._for(tuple(rows[0]))
            await (await driver(transaction)).executemany(
                compiled.sql, [compiled.arguments(row) for row in rows]
            )

    async def fetch(
        self, transaction: Transaction, parameters: Mapping[str, Any] | None = None
    ) -> list[asyncpg.Record]:
        """The rows it returns, read by column name or position."""
        parameters = parameters or {}
        compiled = self._for(tuple(parameters))
        rows: list[asyncpg.Record] = await (await driver(transaction)).fetch(
            compiled.sql, *compiled.arguments(parameters)
        )
        return rows


_REQUIRED = object()


class _Compiled:
    __slots__ = ("parameters", "sql")

    def __init__(self, statement: ClauseElement, names: tuple[str, ...]) -> None:
        compiled: Any = statement.compile(dialect=_DIALECT, column_keys=list(names))
        if compiled.insert_prefetch or compiled.update_prefetch:
            filled = [column.key for column in compiled.insert_prefetch + compiled.update_prefetch]
            raise ValueError(f"name the parameters SQLAlchemy would fill in: {filled}")
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("an expanding IN is compiled per execution: use = ANY(an array)")
        self.sql: str = compiled.string
        self.parameters: list[tuple[str, Any, Any]] = []  # name, bind processor, default
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            process = bind.type.dialect_impl(_DIALECT).bind_processor(_DIALECT)
            value = _REQUIRED if bind.required or bind.callable else bind.value
            self.parameters.append((name, process, value))

    def arguments(self, given: Mapping[str, Any]) -> list[Any]:
        arguments = []
        for name, process, value in self.parameters:
            value = given.get(name, value)
            if value is _REQUIRED:
                raise KeyError(f"the statement needs a value for {name!r}")
            arguments.append(value if process is None else process(value))
        return arguments


class Columns(Protocol):
    """A row read by column name: the driver's record, or SQLAlchemy's row mapping."""

    def __getitem__(self, name: str) -> Any: ...


def select_every_column(
    table: Table, rest: str, also: Sequence[str] = (), texts: Collection[str] = ()
) -> str:
    """`SELECT` of every column of `table` and the expressions `also`, then `rest` (its WHERE
    and ORDER BY), as sent on the driver. The columns named in `texts` come as their text (a
    JSONB column's JSON, not decoded)."""
    columns = [f"{c.name}::text AS {c.name}" if c.name in texts else c.name for c in table.columns]
    names = ", ".join([*columns, *also])
    return f"SELECT {names} FROM {quoted(table)} {rest}"


def rows_of(table: Table, where: str, name: str) -> str:
    """An expression for `select_every_column`'s `also`: the rows of `table` matching `where`
    (and its ORDER BY) as one array column `name`, each row a record read by column name. A
    head and its lines come in one statement; the lines are read, not locked."""
    return f"ARRAY(SELECT r FROM {quoted(table)} r WHERE {where}) AS {name}"


def quoted(table: Table) -> str:
    """The table's name as it is written in SQL sent on the driver."""
    name: str = _DIALECT.identifier_preparer.format_table(table)
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
