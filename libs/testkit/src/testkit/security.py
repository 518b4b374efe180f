"""The test session's trust: a CA with every process's certificate, token keys of its own (not
the development keys: tests run the suite as a deployment would), and the environment that
points every service's and the gateway's settings at them.

Made once per test process, on first use, in a temporary folder."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import grpc
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from google.protobuf.descriptor import ServiceDescriptor

from devstack.pki import GATEWAY, OPERATOR, Pki
from devstack.topology import BUSINESS_SERVICES, Secrets
from messaging.kafka import KafkaAccess
from servicekit.access import EVERY_ROLE, Access, AccessTable, ClientRegistry, allow
from servicekit.auth import (
    API_AUDIENCE,
    INTERNAL_AUDIENCE,
    INTERNAL_ISSUER,
    SigningKey,
    TokenVerifier,
    issue_token,
)
from servicekit.grpc import CHANNEL_OPTIONS

IDENTITY_PROVIDER = "oms-test-identity-provider"
SESSION_SECONDS = 6 * 3600


def _key_pair(folder: Path, name: str) -> SigningKey:
    private = ed25519.Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (folder / f"{name}.key.pem").write_bytes(pem)
    key = SigningKey.from_pem(pem)
    (folder / f"{name}.jwks.json").write_text(json.dumps(key.key_set().to_jwks()))
    return key


@dataclass(frozen=True)
class TestSecurity:
    pki: Pki
    secrets: Secrets
    gateway_key: SigningKey
    identity_provider_key: SigningKey

    def operator_kafka(self, bootstrap: str) -> KafkaAccess:
        """A Kafka super user's access, for setting up and reading back what tests need."""
        return KafkaAccess.of(bootstrap, self.pki.files(OPERATOR))

    def token(self, subject: str, *roles: str, team: str = "") -> str:
        """The token the gateway passes to services for a person; valid for the whole test
        session (tests keep them in module constants), where the gateway's last minutes."""
        return issue_token(
            self.gateway_key,
            issuer=INTERNAL_ISSUER,
            audience=INTERNAL_AUDIENCE,
            subject=subject,
            roles=roles,
            ttl_seconds=SESSION_SECONDS,
            team=team,
        )

    def bearer(self, subject: str, *roles: str, team: str = "") -> str:
        """A person's bearer token from the identity provider the gateway trusts."""
        return issue_token(
            self.identity_provider_key,
            issuer=IDENTITY_PROVIDER,
            audience=API_AUDIENCE,
            subject=subject,
            roles=roles,
            ttl_seconds=SESSION_SECONDS,
            team=team,
        )

    def environment(self) -> dict[str, str]:
        """Every service's and the gateway's settings for this trust."""
        env: dict[str, str] = {}
        for service in BUSINESS_SERVICES:
            prefix = f"{service.upper()}_"
            env |= {prefix + k: v for k, v in self.secrets.common(service).items()}
            env[prefix + "TOKEN_JWKS_FILE"] = str(self.secrets.gateway_jwks)
            env[prefix + "CLIENTS_FILE"] = str(self.pki.clients_file)
        env |= {f"GATEWAY_{k}": v for k, v in self.secrets.common(GATEWAY).items()}
        env["GATEWAY_SIGNING_KEY_FILE"] = str(self.secrets.gateway_signing_key)
        env["GATEWAY_IDENTITY_PROVIDER_JWKS_FILE"] = str(self.secrets.identity_provider_jwks)
        env["GATEWAY_IDENTITY_PROVIDER_ISSUER"] = IDENTITY_PROVIDER
        return env

    def access(self, *services: ServiceDescriptor) -> Access:
        """Admission that lets every person through to every RPC of `services`: for fakes
        behind the gateway, whose own checks are what a test looks at."""
        tables = [AccessTable(s, {m.name: allow(*EVERY_ROLE) for m in s.methods}) for s in services]
        verifier = TokenVerifier(self.gateway_key.key_set(), INTERNAL_ISSUER, INTERNAL_AUDIENCE)
        return Access(tables, verifier, ClientRegistry(self.pki.clients_file))

    def channel(
        self, target: str, as_name: str = GATEWAY, token: str | None = None
    ) -> grpc.aio.Channel:
        """A channel presenting `as_name`'s certificate; calls without an `authorization` entry
        of their own carry `token` (an admin's, as the gateway would pass it, by default)."""
        default = token if token is not None else self.token("test-admin", "admin")
        credentials = self.pki.files(as_name).channel_credentials()
        return grpc.aio.secure_channel(
            target, credentials, options=CHANNEL_OPTIONS, interceptors=[_DefaultToken(default)]
        )


class _DefaultToken(grpc.aio.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    def __init__(self, token: str) -> None:
        self.token = token

    async def intercept_unary_unary(
        self, continuation: Callable[..., Awaitable[Any]], details: Any, request: Any
    ) -> Any:
        metadata = list(details.metadata or ())
        if self.token and not any(key == "authorization" for key, _ in metadata):
            metadata.append(("authorization", f"Bearer {self.token}"))
        return await continuation(details._replace(metadata=grpc.aio.Metadata(*metadata)), request)


@cache
def session_security() -> TestSecurity:
    """Made on first use; also sets the environment every service's settings read."""
    folder = Path(tempfile.mkdtemp(prefix="oms-test-trust-"))
    pki = Pki(Path(os.environ.get("OMS_TEST_PKI_DIR") or folder / "pki")).ensure()
    keys = folder / "keys"
    keys.mkdir()
    gateway_key = _key_pair(keys, "gateway")
    identity_provider_key = _key_pair(keys, "identity-provider")
    secrets = Secrets(
        pki.folder,
        development_mode=False,
        gateway_signing_key=keys / "gateway.key.pem",
        gateway_jwks=keys / "gateway.jwks.json",
        identity_provider_jwks=keys / "identity-provider.jwks.json",
        identity_provider_issuer=IDENTITY_PROVIDER,
        identity_provider_signing_key=keys / "identity-provider.key.pem",
    )
    security = TestSecurity(pki, secrets, gateway_key, identity_provider_key)
    os.environ.update(security.environment())
    return security
