"""Each service's README cannot go stale: it names every RPC the service serves, every event it
publishes and every event it consumes, as its contracts and subscriptions say."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from google.protobuf import descriptor_pool

from devstack.topology import BUSINESS_SERVICES, CONNECTORS
from messaging.events import event_type
from tests.contracts.test_event_catalog import wiring

ROOT = Path(__file__).parents[2]


def named(message: object) -> str:
    """`SalesOrderPlaced` for oms.orders.SalesOrderPlaced.v1."""
    return event_type(message).split(".")[-2]  # type: ignore[arg-type]


@pytest.mark.parametrize("service", BUSINESS_SERVICES)
def test_the_readme_names_every_rpc_and_event(service: str) -> None:
    readme = (ROOT / "services" / service / "README.md").read_text()
    spec, wired = wiring(service)
    pool = descriptor_pool.Default()  # the service's modules are imported: its protos are here
    rpcs = {
        method.name
        for name in spec.grpc_service_names
        for method in pool.FindServiceByName(name).methods
    }
    published = {named(m) for m in spec.publishes}
    consumed = {named(s.message) for s in wired.subscriptions}
    missing = sorted(n for n in rpcs | published | consumed if f"`{n}`" not in readme)
    assert not missing, f"services/{service}/README.md does not name: {', '.join(missing)}"


@pytest.mark.parametrize("connector", CONNECTORS)
def test_a_connector_readme_names_its_door_and_every_setting(connector: str) -> None:
    readme = (ROOT / "services" / connector / "README.md").read_text()
    settings = importlib.import_module(f"{connector}.config").Settings
    names = {f"`{connector.upper()}_{name.upper()}`" for name in settings.model_fields}
    missing = sorted(n for n in {*names, "`POST /webhooks/{store_id}`"} if n not in readme)
    assert not missing, f"services/{connector}/README.md does not name: {', '.join(missing)}"
