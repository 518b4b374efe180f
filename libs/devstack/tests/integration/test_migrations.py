"""Each service's migrations build exactly the tables its code declares: `alembic check` finds
nothing left to generate after upgrading a fresh database to head."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from alembic import command

from devstack.paths import ROOT
from devstack.topology import BUSINESS_SERVICES
from servicekit.db import alembic_config


@pytest.mark.parametrize("service", BUSINESS_SERVICES)
async def test_migrations_match_the_declared_tables(
    service: str, fresh_database: Callable[[str], Awaitable[str]]
) -> None:
    config = alembic_config(
        ROOT / "services" / service / "alembic.ini", await fresh_database(service)
    )
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.check, config)
