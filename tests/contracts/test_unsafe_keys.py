"""No secret has a working default outside development: every service and the gateway refuse to
start without token keys of their own, with the published development keys, or with weak ones."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack.topology import BUSINESS_SERVICES
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


def start(module: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m <module>` with only `env` (and PATH), to its exit."""
    clean = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [sys.executable, "-m", module], env=clean, capture_output=True, text=True, timeout=60
    )


def service_env(service: str, **extra: str) -> dict[str, str]:
    prefix = service.upper() + "_"
    values = {
        "DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none",
        "GRPC_PORT": "1",
        "TLS_CA_FILE": "/nonexistent",
        "TLS_CERT_FILE": "/nonexistent",
        "TLS_KEY_FILE": "/nonexistent",
        **extra,
    }
    return {prefix + key: value for key, value in values.items()}


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


def test_a_service_process_refuses_to_start_without_keys_of_its_own() -> None:
    result = start("billing", service_env("billing"))
    assert result.returncode != 0
    assert "billing refuses to start: BILLING_TOKEN_JWKS_FILE is required outside" in (
        result.stderr
    )


def gateway_env(**extra: str) -> dict[str, str]:
    return {
        "GATEWAY_TLS_CA_FILE": "/nonexistent",
        "GATEWAY_TLS_CERT_FILE": "/nonexistent",
        "GATEWAY_TLS_KEY_FILE": "/nonexistent",
        "GATEWAY_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none",
        "GATEWAY_HTTP_PORT": "1",
        **extra,
    }


def test_the_gateway_refuses_to_start_without_keys_or_with_the_published_ones(
    development_jwks: str,
) -> None:
    result = start("gateway", gateway_env())
    assert result.returncode != 0
    assert "GATEWAY_IDENTITY_PROVIDER_JWKS_FILE is required" in result.stderr
    published = start(
        "gateway",
        gateway_env(
            GATEWAY_IDENTITY_PROVIDER_JWKS_FILE=development_jwks,
            GATEWAY_SIGNING_KEY_FILE=str(DEVKEYS / "internal.pem"),
        ),
    )
    assert published.returncode != 0
    assert "published development key" in published.stderr


def test_the_gateway_refuses_a_weak_signing_key(tmp_path: Path) -> None:
    weak = tmp_path / "weak.pem"
    weak.write_bytes(
        rsa.generate_private_key(65537, 1024).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    result = start(
        "gateway",
        gateway_env(GATEWAY_DEVELOPMENT_MODE="true", GATEWAY_SIGNING_KEY_FILE=str(weak)),
    )
    assert result.returncode != 0
    assert "1024 bits is too weak" in result.stderr
