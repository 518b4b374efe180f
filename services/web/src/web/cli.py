"""The service's entry point and its one command: create a user (the first admin, before anyone
can sign in to make others)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from datetime import UTC, datetime

from servicekit.auth import ROLES, UnsafeKey
from servicekit.db import Database, migrate
from servicekit.errors import ServiceError
from servicekit.telemetry import configure_logging, configure_tracing
from web.adapters.unit_of_work import units_of_work
from web.application.people import create_user
from web.bootstrap import ALEMBIC_INI, NAME, application, hasher
from web.config import Settings


def serve(settings: Settings) -> None:
    import uvicorn

    configure_logging(NAME, settings.log_level, settings.log_dir)
    configure_tracing(NAME)
    try:
        app = application(settings)
    except UnsafeKey as error:
        sys.exit(f"{NAME} refuses to start: {error}")
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        loop="uvloop",
        log_config=None,
        access_log=False,
    )


def read_password() -> str:
    """From a prompt (twice) at a terminal; else the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            sys.exit("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


async def add_user(settings: Settings, username: str, role: str, team: str, password: str) -> str:
    await migrate(ALEMBIC_INI, settings.database_url)
    database = Database(settings.database_url, pool_size=1)
    try:
        user = await create_user(
            units_of_work(database),
            hasher(settings),
            username=username,
            role=role,
            team=team,
            password=password,
            now=datetime.now(UTC),
        )
    finally:
        await database.dispose()
    return user.username


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m web")
    sub = parser.add_subparsers(dest="command")
    create = sub.add_parser("create-user", help="create a user; the password from stdin")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--team", default="")
    args = parser.parse_args(argv)
    settings = Settings()  # required fields come from the environment
    if args.command != "create-user":
        serve(settings)
        return
    try:
        name = asyncio.run(add_user(settings, args.username, args.role, args.team, read_password()))
    except ServiceError as error:
        details = "; ".join(f"{v.field}: {v.description}" for v in error.violations)
        sys.exit(f"not created: {details or error.message}")
    print(f"created {name} ({args.role})")
