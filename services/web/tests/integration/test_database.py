"""The web service on the real PostgreSQL: its migrations build exactly its tables, its
repositories keep the contract the fakes keep, and the command that makes the first admin."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from alembic import command

from servicekit.db import Database, alembic_config, migrate
from services.web.tests.repository_contracts import CONTRACTS
from web.adapters.passwords import Argon2Passwords
from web.adapters.unit_of_work import units_of_work
from web.bootstrap import ALEMBIC_INI

pytestmark = pytest.mark.integration


@pytest.fixture
async def database_url(fresh_database: Callable[[str], Awaitable[str]]) -> str:
    url = await fresh_database("web")
    await migrate(ALEMBIC_INI, url)
    return url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, pool_size=2)
    try:
        yield db
    finally:
        await db.dispose()


async def test_the_migrations_build_exactly_the_declared_tables(database_url: str) -> None:
    config = alembic_config(ALEMBIC_INI, database_url)
    await asyncio.to_thread(command.check, config)
    await asyncio.to_thread(command.downgrade, config, "base")
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.check, config)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.__name__)
async def test_postgres_keeps_the_repository_contract(
    database: Database, contract: Callable[[Any], Awaitable[None]]
) -> None:
    await contract(units_of_work(database))


async def test_create_user_makes_an_admin_with_an_argon2id_hash(
    database_url: str, database: Database
) -> None:
    env = {**os.environ, "WEB_DATABASE_URL": database_url, "WEB_ARGON2_MEMORY_KIB": "8192"}
    made = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "web", "create-user", "--username", "Root.Admin", "--role", "admin",
        env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await made.communicate(b"a long admin password\n")
    assert made.returncode == 0, err.decode()
    assert b"created root.admin (admin)" in out
    async with units_of_work(database)() as uow:
        user = await uow.users.by_username("root.admin")
    assert user is not None
    assert user.role == "admin"
    assert user.password_hash.startswith("$argon2id$")
    assert Argon2Passwords(memory_kib=8192).verify(user.password_hash, "a long admin password")

    again = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "web", "create-user", "--username", "x", "--role", "admin",
        env=env, stdin=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await again.communicate(b"short\n")
    assert again.returncode != 0
    assert b"username" in err
    assert b"password" not in err or b"at least 12" in err
