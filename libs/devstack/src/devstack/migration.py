"""Writes a service's next Alembic migration by comparing its tables with a scratch database
migrated to head.

    python -m devstack.migration orders "add cancelled_at"      (make migration SERVICE=... MSG=...)

Uses the PostgreSQL server named by OMS_TEST_PG_URL (an admin postgresql:// URL), else the
running local stack's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import uuid

import asyncpg
from alembic import command

from devstack.paths import RUN, alembic_ini
from servicekit.db import alembic_config


def _admin_url() -> str:
    if "OMS_TEST_PG_URL" in os.environ:
        return os.environ["OMS_TEST_PG_URL"]
    state = RUN / "stack.json"
    return str(json.loads(state.read_text())["pg_admin_url"])


async def _create(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.migration")
    parser.add_argument("service")
    parser.add_argument("message")
    args = parser.parse_args()
    admin = _admin_url()
    name = f"scratch_{args.service}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_create(admin, name))
    try:
        base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        ini = alembic_ini(args.service)
        config = alembic_config(ini, f"{base}/{name}")
        command.upgrade(config, "head")
        number = len(list((ini.parent / "migrations" / "versions").glob("*.py"))) + 1
        command.revision(config, message=args.message, autogenerate=True, rev_id=f"{number:04d}")
    finally:
        asyncio.run(_drop(admin, name))


if __name__ == "__main__":
    main()
