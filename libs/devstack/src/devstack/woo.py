"""The WooCommerce connector's admin commands against the stack `make run` started:

    make woo ARGS="stores"
    WOO_CONSUMER_KEY=ck_... WOO_CONSUMER_SECRET=cs_... WOO_WEBHOOK_SECRET=... \\
      make woo ARGS="add-store --id shop-eu --name 'EU shop' --base-url https://shop.example.eu \\
                     --tax-rounding per_line --warehouse <warehouse id>"
    make woo ARGS="orders --store shop-eu --state parked"

Runs `python -m woocommerce.cli` with the environment the running connector has (its database,
its sealing key, its certificate and peers), read from .run/stack.json."""

from __future__ import annotations

import os
import sys
from typing import Any

from devstack.paths import RUN
from devstack.running import database_url, ports_of, stack_state
from devstack.topology import Secrets, connector_env

NAME = "woocommerce"


def environment(state: dict[str, Any]) -> dict[str, str]:
    """The connector's variables for the stack `state` describes."""
    secrets = Secrets(RUN / "pki", development_mode=True)
    return connector_env(NAME, ports_of(state), database_url(state, NAME), secrets)


def main() -> None:
    env = {**os.environ, **environment(stack_state())}
    command = [sys.executable, "-m", "woocommerce.cli", *sys.argv[1:]]
    os.execvpe(sys.executable, command, env)


if __name__ == "__main__":
    main()
