"""Who is admitted to an RPC: decided from the verified peer and the signed token only."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from libs.servicekit.tests.unit.keys import signing_key
from oms.catalog.v1 import catalog_pb2
from servicekit.access import Access, AccessTable, ClientRegistry, allow, bearer
from servicekit.auth import KeySet, SigningKey, TokenVerifier, issue_token
from servicekit.errors import PermissionDenied, Unauthenticated
from servicekit.tls import Peer, PeerKind

SERVICE = catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"]
METHOD = "/oms.catalog.v1.CatalogService/ChangeListPrice"
READ = "/oms.catalog.v1.CatalogService/GetProduct"
GATEWAY = Peer(PeerKind.SERVICE, "gateway")
ORDERS = Peer(PeerKind.SERVICE, "orders")
REPORTING = Peer(PeerKind.CLIENT, "reporting")
KEY = signing_key()


def table() -> AccessTable:
    rules = {m.name: allow("purchasing") for m in SERVICE.methods}
    rules["GetProduct"] = allow("sales", services=("orders",), scope="catalog:read")
    return AccessTable(SERVICE, rules)


@pytest.fixture
def access(tmp_path: Path) -> Access:
    registry = tmp_path / "clients.json"
    registry.write_text(json.dumps({"clients": {"reporting": {"scopes": ["catalog:read"]}}}))
    verifier = TokenVerifier(KEY.key_set(), "oms-gateway", "oms-services")
    return Access([table()], verifier, ClientRegistry(registry))


def token(*roles: str, key: SigningKey = KEY, audience: str = "oms-services") -> str:
    return issue_token(
        key, issuer="oms-gateway", audience=audience, subject="alice", roles=roles, ttl_seconds=60
    )


def test_a_table_must_name_every_rpc_and_only_those() -> None:
    with pytest.raises(ValueError, match="no rule for"):
        AccessTable(SERVICE, {"GetProduct": allow("sales")})
    rules = {m.name: allow("sales") for m in SERVICE.methods} | {"Nonsense": allow()}
    with pytest.raises(ValueError, match="unknown RPCs"):
        AccessTable(SERVICE, rules)


def test_a_person_through_a_suite_service_needs_one_of_the_rules_roles(access: Access) -> None:
    assert access.admit(METHOD, GATEWAY, token("purchasing")).subject == "alice"
    assert access.admit(METHOD, GATEWAY, token("admin")).roles == ("admin",)
    with pytest.raises(PermissionDenied, match="purchasing"):
        access.admit(METHOD, GATEWAY, token("sales"))


def test_no_certificate_or_a_bad_token_is_unauthenticated(
    access: Access,
) -> None:
    with pytest.raises(Unauthenticated):
        access.admit(METHOD, None, token("admin"))
    with pytest.raises(PermissionDenied, match="a person's token is needed"):
        access.admit(METHOD, GATEWAY, None)
    forged = token("admin", key=signing_key())
    with pytest.raises(Unauthenticated, match="does not trust"):
        access.admit(METHOD, GATEWAY, forged)
    with pytest.raises(Unauthenticated, match=r"(?i)audience"):
        access.admit(METHOD, GATEWAY, token("admin", audience="oms-api"))


def test_a_service_on_its_own_account_only_where_the_rule_names_it(access: Access) -> None:
    assert access.admit(READ, ORDERS, None).subject == "orders"
    with pytest.raises(PermissionDenied):
        access.admit(METHOD, Peer(PeerKind.SERVICE, "quoting"), None)


def test_a_client_acts_under_its_scopes_and_never_under_a_persons_token(access: Access) -> None:
    assert access.admit(READ, REPORTING, None).subject == "client:reporting"
    with pytest.raises(PermissionDenied, match="no internal client"):
        access.admit(METHOD, REPORTING, None)
    with pytest.raises(PermissionDenied, match="lacks the scope"):
        access.admit(READ, Peer(PeerKind.CLIENT, "unregistered"), None)
    with pytest.raises(PermissionDenied, match="own scopes"):
        access.admit(METHOD, REPORTING, token("admin"))
    with pytest.raises(PermissionDenied):
        access.admit(READ, Peer(PeerKind.CLIENT, "unregistered"), None)


def test_a_revoked_client_is_refused_once_the_registry_is_read_again(tmp_path: Path) -> None:
    registry = tmp_path / "clients.json"
    registry.write_text(json.dumps({"clients": {"reporting": {"scopes": ["catalog:read"]}}}))
    verifier = TokenVerifier(KEY.key_set(), "oms-gateway", "oms-services")
    access = Access([table()], verifier, ClientRegistry(registry, recheck_seconds=0))
    access.admit(READ, REPORTING, None)
    registry.write_text(json.dumps({"clients": {}}))
    os.utime(registry, (1, 1))  # a new modification time, whatever the clock's resolution
    with pytest.raises(PermissionDenied):
        access.admit(READ, REPORTING, None)


def test_only_a_bearer_authorization_entry_is_a_token() -> None:
    assert bearer({"authorization": "Bearer abc"}) == "abc"
    assert bearer({"authorization": "Basic abc"}) is None
    assert bearer({"x-oms-roles": "admin"}) is None


def test_a_key_set_round_trips_as_jwks() -> None:
    keys = KeySet.of(ed25519.Ed25519PrivateKey.generate().public_key())
    assert KeySet.from_jwks(keys.to_jwks()).keys.keys() == keys.keys.keys()
