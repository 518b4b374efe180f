"""The WooCommerce connector's admin commands against the stack `make run` started:

    make woo ARGS="stores"
    WOO_CONSUMER_KEY=ck_... WOO_CONSUMER_SECRET=cs_... WOO_WEBHOOK_SECRET=... \\
      make woo ARGS="add-store --id shop-eu --name 'EU shop' --base-url https://shop.example.eu \\
                     --tax-rounding per_line --warehouse <warehouse id>"
    make woo ARGS="orders --store shop-eu --state parked"

Runs `python -m woocommerce.cli` with the environment the running connector has (its database,
its sealing key, its certificate and peers), read from .run/stack.json."""

from __future__ import annotations

import json
import os
import sys

from devstack.paths import RUN
from devstack.topology import Ports, Secrets, connector_env, database_name

NAME = "woocommerce"


def environment(state: dict[str, object]) -> dict[str, str]:
    """The connector's variables for the stack `state` describes."""
    grpc = state["grpc"]
    assert isinstance(grpc, dict)
    ports = Ports(int(grpc["catalog"]) - Ports().grpc("catalog"))
    admin = str(state["pg_admin_url"])
    database = (
        f"postgresql+asyncpg://{admin.split('://', 1)[1].rsplit('/', 1)[0]}/{database_name(NAME)}"
    )
    secrets = Secrets(RUN / "pki", development_mode=True)
    return connector_env(NAME, ports, database, secrets)


def main() -> None:
    state_file = RUN / "stack.json"
    if not state_file.exists():
        sys.exit("no running stack: start it with `make run` first")
    env = {**os.environ, **environment(json.loads(state_file.read_text()))}
    command = [sys.executable, "-m", "woocommerce.cli", *sys.argv[1:]]
    os.execvpe(sys.executable, command, env)


if __name__ == "__main__":
    main()
