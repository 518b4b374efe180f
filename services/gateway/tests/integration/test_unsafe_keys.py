"""The gateway process refuses to start on keys anyone could hold (none of its own outside
development mode, the published development keys, weak ones), before it touches its database:
so this needs no infrastructure, only a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from servicekit.auth import development_key
from testkit.security import session_security


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m gateway` with only `env` (and PATH), to its exit."""
    clean = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [sys.executable, "-m", "gateway"], env=clean, capture_output=True, text=True, timeout=60
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


def development_pem() -> str:
    return str(resources.files("servicekit") / "devkeys" / "internal.pem")


@pytest.fixture(scope="module")
def development_jwks(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("keys") / "dev.jwks.json"
    path.write_text(json.dumps(development_key("internal").key_set().to_jwks()))
    return str(path)


def test_the_process_exits_with_the_reason() -> None:
    session_security()  # the session's own keys for all but the one under test
    env = {
        **os.environ,
        "GATEWAY_DATABASE_URL": "postgresql+asyncpg://unused/never-reached",
        "GATEWAY_DEVELOPMENT_MODE": "false",
        "GATEWAY_SIGNING_KEY_FILE": development_pem(),
    }
    result = subprocess.run(
        [sys.executable, "-m", "gateway"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "gateway refuses to start" in result.stderr
    assert "development key" in result.stderr


def test_the_gateway_refuses_to_start_without_keys_or_with_the_published_ones(
    development_jwks: str,
) -> None:
    result = start(gateway_env())
    assert result.returncode != 0
    assert "GATEWAY_IDENTITY_PROVIDER_JWKS_FILE is required" in result.stderr
    published = start(
        gateway_env(
            GATEWAY_IDENTITY_PROVIDER_JWKS_FILE=development_jwks,
            GATEWAY_SIGNING_KEY_FILE=development_pem(),
        )
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
    result = start(gateway_env(GATEWAY_DEVELOPMENT_MODE="true", GATEWAY_SIGNING_KEY_FILE=str(weak)))
    assert result.returncode != 0
    assert "1024 bits is too weak" in result.stderr
