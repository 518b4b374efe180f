"""`python -m orders.activity rebuild`: empties the activity journal and reads it again from every
partition of its topics, from the earliest offset to the end offsets seen at the start (the
ORDERS_* settings say where the database and the broker are). It may run while the service runs:
each event is kept once."""

from __future__ import annotations

import argparse
import asyncio
import sys

from messaging.kafka import KafkaAccess
from orders.config import Settings
from orders.entrypoints.activity import rebuild
from servicekit.db import Database


async def _rebuild(settings: Settings) -> int:
    database = Database(settings.database_url)
    try:
        kafka = KafkaAccess.of(settings.kafka_bootstrap_servers, settings.tls())
        return await rebuild(database, kafka, settings.topic_namespace)
    finally:
        await database.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m orders.activity", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("rebuild", help="empty the activity journal and read it from the topics")
    parser.parse_args(argv)
    read = asyncio.run(_rebuild(Settings()))  # required fields come from the environment
    sys.stderr.write(f"activity journal rebuilt from {read} events\n")


if __name__ == "__main__":
    main()
