"""Loads finance's exchange rates from a CSV file into billing's database, through the same use
case as `POST /api/v1/exchange-rates/import` (all or nothing; each rate published as
ExchangeRateSet by the service's outbox relay):

    python -m billing.import_rates rates.csv --base EUR

The file: a header `date,currency,rate`, then one row per rate (one unit of the base is worth
`rate` of `currency` from `date` on). The database is BILLING_DATABASE_URL's (or
--database-url); the change log names the operating-system user as `cli:<user>`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from pathlib import Path

from billing.adapters.tables import messaging_tables
from billing.adapters.unit_of_work import SqlUnitOfWork
from billing.application.commands.import_exchange_rates import (
    ImportExchangeRates,
    import_exchange_rates,
)
from messaging.outbox import Outbox
from servicekit.context import Principal, acting
from servicekit.db import Database
from servicekit.errors import InvalidArgument


async def load(database_url: str, base: str, text: str) -> str:
    database = Database(database_url, pool_size=1)
    try:
        uow = SqlUnitOfWork(database, Outbox(messaging_tables.outbox, "billing"))
        with acting(Principal(f"cli:{getpass.getuser()}", ("finance",))):
            done = await import_exchange_rates(uow, ImportExchangeRates(base, text))
    finally:
        await database.dispose()
    return f"{done.set} rates set, {done.unchanged} unchanged"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m billing.import_rates", description=__doc__)
    parser.add_argument("file", type=Path, help="the CSV file (UTF-8)")
    parser.add_argument("--base", default="EUR", help="the currency the rates are against")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BILLING_DATABASE_URL", ""),
        help="billing's database (default: BILLING_DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("no database: set BILLING_DATABASE_URL or pass --database-url")
    text = args.file.read_text(encoding="utf-8-sig")
    try:
        sys.stdout.write(asyncio.run(load(args.database_url, args.base, text)) + "\n")
    except InvalidArgument as error:
        for violation in error.violations:
            sys.stderr.write(f"{violation.field}: {violation.description}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
