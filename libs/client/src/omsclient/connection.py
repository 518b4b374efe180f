"""How a client reaches a service: mutual TLS with its own certificate, and a gRPC service config
that retries idempotent reads with backoff when the service is UNAVAILABLE (a restart, a
connection reset). Writes are never retried by the channel: a retried write could apply twice
unless its request carries a `request_id`, which the caller decides."""

from __future__ import annotations

import json
import os
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import grpc
from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor

# RPCs whose names start so only read: retrying them can do no harm.
READ_PREFIXES = ("Get", "List", "BatchGet", "Search", "Resolve", "Compare", "Render")
# The services answer with PDFs and 1,000-line quotes: gRPC's default 4 MiB is too small.
MESSAGE_LIMIT_BYTES = 16 * 1024 * 1024
# Reconnect within about a second of a service's restart: gRPC's default backoff grows to two
# minutes, and every call in between fails at once with UNAVAILABLE.
INITIAL_RECONNECT_BACKOFF_MS = 100
MAX_RECONNECT_BACKOFF_MS = 1000


@dataclass(frozen=True)
class TlsFiles:
    """The CA that vouches for the services, and this client's certificate and key (PEM), as
    `python -m devstack.pki register-client` issues them."""

    ca: Path
    cert: Path
    key: Path

    @classmethod
    def of(cls, ca: str | Path, cert: str | Path, key: str | Path) -> TlsFiles:
        return cls(Path(ca), Path(cert), Path(key))

    @classmethod
    def from_env(cls, prefix: str = "OMS_") -> TlsFiles:
        """From `<prefix>TLS_CA_FILE`, `<prefix>TLS_CERT_FILE` and `<prefix>TLS_KEY_FILE`."""
        names = [f"{prefix}TLS_{part}_FILE" for part in ("CA", "CERT", "KEY")]
        missing = [name for name in names if not os.environ.get(name)]
        if missing:
            raise KeyError(f"set {', '.join(missing)} (paths of PEM files)")
        ca, cert, key = (os.environ[name] for name in names)
        return cls.of(ca, cert, key)

    def channel_credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=self.ca.read_bytes(),
            private_key=self.key.read_bytes(),
            certificate_chain=self.cert.read_bytes(),
        )

    def ssl_context(self) -> ssl.SSLContext:
        """The same identity for a Kafka client (the broker takes mutual TLS from the same CA):
        verifies the broker, presents this client's certificate."""
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(self.ca))
        context.load_cert_chain(str(self.cert), str(self.key))
        return context


@dataclass(frozen=True)
class RetryPolicy:
    """gRPC's retryPolicy for reads: up to `attempts` tries in all, waiting a random time up to
    initial x multiplier^n (capped at `max_backoff_seconds`) between them."""

    attempts: int = 4
    initial_backoff_seconds: float = 0.2
    max_backoff_seconds: float = 3.0
    multiplier: float = 2.0
    codes: tuple[str, ...] = ("UNAVAILABLE",)


def is_read(method: MethodDescriptor) -> bool:
    return method.name.startswith(READ_PREFIXES)


def service_config(services: Iterable[ServiceDescriptor], retry: RetryPolicy) -> str:
    """The `grpc.service_config` JSON that retries the services' reads under `retry`."""
    reads = [
        {"service": service.full_name, "method": method.name}
        for service in services
        for method in service.methods
        if is_read(method)
    ]
    policy = {
        "maxAttempts": retry.attempts,
        "initialBackoff": f"{retry.initial_backoff_seconds}s",
        "maxBackoff": f"{retry.max_backoff_seconds}s",
        "backoffMultiplier": retry.multiplier,
        "retryableStatusCodes": list(retry.codes),
    }
    return json.dumps({"methodConfig": [{"name": reads, "retryPolicy": policy}] if reads else []})


def channel_options(
    services: Iterable[ServiceDescriptor], retry: RetryPolicy | None = None
) -> list[tuple[str, str | int]]:
    """gRPC channel options: the retrying service config, the message size limits and the
    reconnect backoff."""
    return [
        ("grpc.enable_retries", 1),
        ("grpc.service_config", service_config(services, retry or RetryPolicy())),
        ("grpc.max_receive_message_length", MESSAGE_LIMIT_BYTES),
        ("grpc.max_send_message_length", MESSAGE_LIMIT_BYTES),
        ("grpc.initial_reconnect_backoff_ms", INITIAL_RECONNECT_BACKOFF_MS),
        ("grpc.max_reconnect_backoff_ms", MAX_RECONNECT_BACKOFF_MS),
    ]


def open_channel(
    target: str,
    tls: TlsFiles,
    services: Iterable[ServiceDescriptor],
    retry: RetryPolicy | None = None,
) -> grpc.aio.Channel:
    """A channel to `target` ("host:port") presenting `tls`'s certificate; reuse it for many
    calls and close it when done."""
    options = channel_options(services, retry)
    return grpc.aio.secure_channel(target, tls.channel_credentials(), options=options)
