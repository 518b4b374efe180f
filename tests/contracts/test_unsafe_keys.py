"""No secret has a working default outside development: every service and the gateway refuse to
start without token keys of their own, with the published development keys, or with weak ones."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from devstack.topology import BUSINESS_SERVICES, CONNECTORS
from servicekit.auth import UnsafeKey, development_key

SETTINGS = {
    "database_url": "postgresql+asyncpg://nobody@127.0.0.1:1/none",
    "grpc_port": 1,
    "tls_ca_file": "/nonexistent",
    "tls_cert_file": "/nonexistent",
    "tls_key_file": "/nonexistent",
    "token_jwks_file": None,
}
DEVKEYS = Path(__file__).parents[2] / "libs/servicekit/src/servicekit/devkeys"


@pytest.fixture(scope="module")
def development_jwks(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("keys") / "dev.jwks.json"
    path.write_text(json.dumps(development_key("internal").key_set().to_jwks()))
    return str(path)


@pytest.mark.parametrize("service", BUSINESS_SERVICES)
def test_every_service_refuses_token_keys_it_cannot_trust(
    service: str, development_jwks: str
) -> None:
    settings: Any = importlib.import_module(f"{service}.config").Settings
    prefix = service.upper()
    with pytest.raises(UnsafeKey, match=f"{prefix}_TOKEN_JWKS_FILE is required outside"):
        settings(**SETTINGS).token_verifier()
    with pytest.raises(UnsafeKey, match="published development key"):
        settings(**{**SETTINGS, "token_jwks_file": development_jwks}).token_verifier()
    assert settings(**SETTINGS, development_mode=True).token_verifier().keys.keys


@pytest.mark.parametrize("connector", CONNECTORS)
def test_every_connector_refuses_to_seal_secrets_without_a_key_of_its_own(connector: str) -> None:
    settings: Any = importlib.import_module(f"{connector}.config").Settings
    prefix = connector.upper()
    database = {"database_url": SETTINGS["database_url"]}
    with pytest.raises(UnsafeKey, match=f"{prefix}_SECRETS_KEY is required outside"):
        settings(**database).sealing_key()
    published = importlib.import_module(f"{connector}.adapters.secrets").DEVELOPMENT_KEY
    with pytest.raises(UnsafeKey, match="published development key"):
        settings(**database, secrets_key=published).sealing_key()
    assert settings(**database, development_mode=True).sealing_key() == published
