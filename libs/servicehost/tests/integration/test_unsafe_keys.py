"""A service process refuses to start on token keys it cannot trust, before it touches its
database or the broker (so this needs neither): no keys outside development mode, the
published development keys, or weak ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from servicekit.auth import development_key


def start(module: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m <module>` with only `env` (and PATH), to its exit."""
    clean = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [sys.executable, "-m", module], env=clean, capture_output=True, text=True, timeout=60
    )


def billing_env(**extra: str) -> dict[str, str]:
    values = {
        "DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none",
        "GRPC_PORT": "1",
        "TLS_CA_FILE": "/nonexistent",
        "TLS_CERT_FILE": "/nonexistent",
        "TLS_KEY_FILE": "/nonexistent",
        **extra,
    }
    return {f"BILLING_{key}": value for key, value in values.items()}


def test_a_service_process_refuses_to_start_without_keys_of_its_own() -> None:
    result = start("billing", billing_env())
    assert result.returncode != 0
    assert "billing refuses to start: BILLING_TOKEN_JWKS_FILE is required outside" in (
        result.stderr
    )


def test_a_service_process_refuses_the_published_development_key(tmp_path: Path) -> None:
    jwks = tmp_path / "dev.jwks.json"
    jwks.write_text(json.dumps(development_key("internal").key_set().to_jwks()))
    result = start("billing", billing_env(TOKEN_JWKS_FILE=str(jwks)))
    assert result.returncode != 0
    assert "trusts a published development key" in result.stderr
