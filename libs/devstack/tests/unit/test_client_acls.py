"""What a registered client may do on Kafka follows from its `events:<topic>` scopes alone."""

import json
from pathlib import Path

import pytest

from devstack.kafka_acls import Operation, Resource, client_grants, registered_clients
from devstack.pki import Pki

ORDERS = "oms.orders.sales-order.v1"


def test_an_events_scope_grants_reading_the_topic_and_groups_named_for_the_client() -> None:
    found = client_grants("shipping-sync", ["orders:read", f"events:{ORDERS}"], namespace="t1.")
    assert {(a.resource, a.name, a.operation) for a in found} == {
        (Resource.TOPIC, f"t1.{ORDERS}", Operation.READ),
        (Resource.TOPIC, f"t1.{ORDERS}", Operation.DESCRIBE),
        (Resource.GROUP, "shipping-sync.", Operation.READ),
    }
    group = next(a for a in found if a.resource is Resource.GROUP)
    assert group.pattern == 4  # PREFIXED: shipping-sync.<anything>, and only that
    assert {a.principal for a in found} == {"User:shipping-sync"}


def test_a_client_without_an_events_scope_gets_nothing_on_kafka() -> None:
    assert client_grants("reporting", ["orders:read", "billing:read"]) == []


def test_a_scope_for_a_topic_no_event_uses_is_refused() -> None:
    with pytest.raises(ValueError, match=r"oms\.orders\.sales-orders\.v1"):
        client_grants("typo", ["events:oms.orders.sales-orders.v1"])
    with pytest.raises(ValueError, match=r"\.dlq"):
        client_grants("snoop", [f"events:{ORDERS}.dlq"])


def test_the_registry_devstack_pki_writes_is_read_back_revoked_clients_with_no_scopes(
    tmp_path: Path,
) -> None:
    pki = Pki(tmp_path).ensure()
    pki.register_client("feed", [f"events:{ORDERS}"])
    pki.register_client("old-feed", [f"events:{ORDERS}"])
    pki.revoke_client("old-feed")

    assert registered_clients(pki.clients_file) == {"feed": [f"events:{ORDERS}"], "old-feed": []}
    pki.register_client("old-feed", ["orders:read"])  # registered again: no longer revoked
    assert json.loads(pki.clients_file.read_text())["revoked"] == []
    assert registered_clients(tmp_path / "missing.json") == {}
