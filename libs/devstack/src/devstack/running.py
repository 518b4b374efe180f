"""The stack `make run` started, as .run/stack.json describes it: for commands that act on it
with a process's own settings (devstack.woo, devstack.web_admin)."""

from __future__ import annotations

import json
import sys
from typing import Any

from devstack.paths import RUN
from devstack.topology import Ports, database_name


def stack_state() -> dict[str, Any]:
    """The running stack's description; exits with a hint when none runs."""
    state_file = RUN / "stack.json"
    if not state_file.exists():
        sys.exit("no running stack: start it with `make run` first")
    state: dict[str, Any] = json.loads(state_file.read_text())
    return state


def ports_of(state: dict[str, Any]) -> Ports:
    return Ports(int(state["grpc"]["catalog"]) - Ports().grpc("catalog"))


def database_url(state: dict[str, Any], process: str) -> str:
    """The process's own database on the stack's PostgreSQL (the admin's credentials)."""
    admin = str(state["pg_admin_url"])
    server = admin.split("://", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+asyncpg://{server}/{database_name(process)}"
