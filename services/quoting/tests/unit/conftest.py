"""Use cases on fakes: an empty store, a catalog that knows the builders' products, a clock at
the builders' NOW, and people to act as."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quoting.application.ports import Ports
from quoting.domain.catalog import ResolvedPrice
from servicekit.context import Principal
from services.quoting.tests.builders import ITEMS
from services.quoting.tests.unit.fakes import FakeCatalog, FakeClock, Store, fake_ports

SAM = Principal("sam", ("sales",), team="north")
KIM = Principal("kim", ("sales",), team="north")
NINA = Principal("nina", ("sales-manager",), team="north")
SOL = Principal("sol", ("sales-manager",), team="south")
ODETTE = Principal("odette", ("order-desk",))
EXPIRY = Principal("system:expiry", ("system",))
UNIT_PRICES = {
    "p-w": ResolvedPrice(Decimal("10.00"), "list price"),
    "p-b": ResolvedPrice(Decimal("0.50"), "list price"),
    "p-k": ResolvedPrice(Decimal("11.00"), "list price"),
}


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def catalog() -> FakeCatalog:
    return FakeCatalog(ITEMS, UNIT_PRICES)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ports(store: Store, catalog: FakeCatalog, clock: FakeClock) -> Ports:
    return fake_ports(store, catalog, clock)
