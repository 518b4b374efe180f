"""API fuzzing: the whole stack as in tests/e2e (the same session fixtures), in a session of its
own. The fuzzer changes what every flow reads (pipelines, tax rules, exchange rates, reorder
rules) with whatever the document allows, so it must not share a stack with the flow tests."""

from __future__ import annotations

import pytest

from devstack.supervisor import Stack


@pytest.fixture(scope="session")
def gateway_url(e2e_stack: Stack) -> str:
    return e2e_stack.gateway_url
