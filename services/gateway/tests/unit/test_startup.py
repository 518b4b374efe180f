"""The gateway refuses to start on keys anyone could hold, unless development mode says so (the
process itself: tests/integration/test_unsafe_keys.py)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from gateway.app import create_app
from servicekit.auth import (
    API_AUDIENCE,
    DEVELOPMENT_ISSUER,
    KeySet,
    UnsafeKey,
    development_key,
    issue_token,
)
from services.gateway.tests.unit.conftest import gateway_settings
from services.gateway.tests.unit.fakes import memory_stores

NO_KEYS = {"signing_key_file": None, "identity_provider_jwks_file": None}


def development_pem() -> str:
    return str(resources.files("servicekit") / "devkeys" / "internal.pem")


def jwks_file(folder: Path, name: str, keys: KeySet | dict[str, object]) -> str:
    path = folder / f"{name}.jwks.json"
    path.write_text(json.dumps(keys.to_jwks() if isinstance(keys, KeySet) else keys))
    return str(path)


def weak_rsa(folder: Path) -> tuple[str, str]:
    """An RSA 1024 private key (PEM) and its public key as a JWKS."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = folder / "weak.pem"
    pem.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key())) | {"kid": "weak"}
    return str(pem), jwks_file(folder, "weak", {"keys": [jwk]})


def test_outside_development_mode_no_keys_is_refused() -> None:
    with pytest.raises(UnsafeKey, match="required outside development mode"):
        create_app(gateway_settings(**NO_KEYS))
    with pytest.raises(UnsafeKey, match="SIGNING_KEY_FILE"):
        create_app(gateway_settings(signing_key_file=None))


def test_the_published_development_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafeKey, match="development key"):
        create_app(gateway_settings(signing_key_file=development_pem()))
    published = development_key("identity-provider").key_set()
    with pytest.raises(UnsafeKey, match="development key"):
        create_app(
            gateway_settings(identity_provider_jwks_file=jwks_file(tmp_path, "dev", published))
        )


def test_a_weak_key_is_refused(tmp_path: Path) -> None:
    pem, jwks = weak_rsa(tmp_path)
    with pytest.raises(UnsafeKey, match="1024 bits"):
        create_app(gateway_settings(signing_key_file=pem))
    with pytest.raises(UnsafeKey, match="1024 bits"):
        create_app(gateway_settings(identity_provider_jwks_file=jwks))


async def test_in_development_mode_it_starts_on_the_development_keys() -> None:
    settings = gateway_settings(
        development_mode=True, identity_provider_issuer=DEVELOPMENT_ISSUER, **NO_KEYS
    )
    app = create_app(settings, stores=memory_stores())
    token = issue_token(
        development_key("identity-provider"),
        issuer=DEVELOPMENT_ISSUER,
        audience=API_AUDIENCE,
        subject="dev",
        roles=("admin",),
        ttl_seconds=60,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        response = await client.get(
            "/api/v1/api-keys", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200
