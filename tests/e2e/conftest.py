"""End-to-end: every service and the gateway as real processes on a real broker and database."""

from collections.abc import AsyncIterator

import pytest

from devstack.supervisor import Stack
from tests.e2e.helpers import Api


@pytest.fixture(scope="session")
def gateway_url(e2e_stack: Stack) -> str:
    return e2e_stack.gateway_url


@pytest.fixture
async def admin(gateway_url: str) -> AsyncIterator[Api]:
    api = Api(gateway_url, "e2e-admin", "admin")
    yield api
    await api.aclose()


@pytest.fixture
async def warehouse(gateway_url: str) -> AsyncIterator[Api]:
    api = Api(gateway_url, "e2e-warehouse", "warehouse")
    yield api
    await api.aclose()
