"""Named crash points for reliability tests: `OMS_FAULT=relay.after_publish` makes the process
die (as a SIGKILL would) the first time it reaches that point. Unset in production."""

from __future__ import annotations

import os

EXIT_CODE = 137


def fault_point(name: str) -> None:
    if os.environ.get("OMS_FAULT") == name:
        os._exit(EXIT_CODE)
