"""The fault suite: the whole stack as in tests/e2e (the same session fixtures), a workload
through the gateway, and faults injected under it. Its injection log and checks are printed in
pytest's terminal summary."""

from __future__ import annotations

import pytest

from devstack.supervisor import Stack
from tests.faults.report import SECTIONS


@pytest.fixture(scope="session")
def gateway_url(e2e_stack: Stack) -> str:
    return e2e_stack.gateway_url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for title, lines in SECTIONS:
        terminalreporter.write_sep("-", title)
        for line in lines:
            terminalreporter.write_line(line)
