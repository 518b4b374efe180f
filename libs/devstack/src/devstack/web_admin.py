"""The first admin of the web pages, on the stack `make run` started:

    make web-admin ADMIN=alice       # asks for the password twice

Runs `python -m web create-user --role admin` with the running web service's settings (its
database on the stack's PostgreSQL), read from .run/stack.json."""

from __future__ import annotations

import os
import sys

from devstack.paths import RUN
from devstack.running import database_url, ports_of, stack_state
from devstack.topology import Secrets, web_env


def main() -> None:
    state = stack_state()
    secrets = Secrets(RUN / "pki", development_mode=True)
    env = {**os.environ, **web_env(ports_of(state), database_url(state, "web"), secrets)}
    command = [sys.executable, "-m", "web", "create-user", *sys.argv[1:]]
    os.execvpe(sys.executable, command, env)


if __name__ == "__main__":
    main()
