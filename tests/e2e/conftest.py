"""End-to-end: every service and the gateway as real processes on a real broker and database."""

import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from devstack.supervisor import Stack
from tests.e2e.browser import Browser
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


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OMS_SCREENSHOTS_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the web pages: {folder}", file=sys.stderr)
    return folder


@pytest.fixture
def browsers(e2e_stack: Stack, shots: Path) -> Iterator[Callable[[], Browser]]:
    opened: list[Browser] = []

    def browser() -> Browser:
        opened.append(Browser(e2e_stack.web_url, shots))
        return opened[-1]

    yield browser
    for each in opened:
        each.close()
