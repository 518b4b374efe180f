"""Settings every service shares; each service subclasses with its own environment prefix.

    class Settings(ServiceSettings):
        model_config = service_config("ORDERS_")
        catalog_target: str = "127.0.0.1:20051"

reads ORDERS_DATABASE_URL, ORDERS_KAFKA_BOOTSTRAP_SERVERS, ORDERS_GRPC_PORT, ... .
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from servicekit.access import Access, AccessTable, ClientRegistry
from servicekit.auth import INTERNAL_AUDIENCE, INTERNAL_ISSUER, TokenVerifier, trusted_keys
from servicekit.tls import TlsFiles


def service_config(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, extra="ignore")


class MessagingSettings(BaseSettings):
    """Housekeeping of a process's event traffic (messaging.runtime.Housekeeping)."""

    # Replicas of each topic it creates, and how many must have an event before the broker
    # acknowledges it (acks=all); unset takes the broker's default. 1 suits one local broker;
    # a production cluster wants 3 and 2.
    kafka_replication_factor: int = Field(default=1, ge=1)
    kafka_min_insync_replicas: int | None = Field(default=None, ge=1)
    # Published outbox rows older than this are deleted.
    outbox_retention_hours: float = Field(default=168.0, gt=0)
    # Inbox rows (the record of what was applied) older than this are deleted...
    inbox_retention_hours: float = Field(default=336.0, gt=0)
    # ... which must be at least how long after its first delivery an event can arrive again:
    # the retention of the topics consumed (Kafka's default is 7 days), or longer.
    inbox_duplicate_window_hours: float = Field(default=168.0, gt=0)
    retention_interval_seconds: float = Field(default=300.0, gt=0)
    # A relay replica that stops answering loses publishing to another within this.
    relay_lease_seconds: float = Field(default=10.0, ge=1)
    # A consumer that has events to apply and has applied none for this long (a partition
    # retrying a transient failure) turns the service's health NOT_SERVING.
    consumer_stall_seconds: float = Field(default=120.0, gt=0)

    @model_validator(mode="after")
    def _inbox_outlives_redeliveries(self) -> Self:
        if self.inbox_retention_hours < self.inbox_duplicate_window_hours:
            raise ValueError(
                f"inbox_retention_hours ({self.inbox_retention_hours}) is shorter than "
                f"inbox_duplicate_window_hours ({self.inbox_duplicate_window_hours}): an event "
                "redelivered after its inbox row is deleted would be applied twice"
            )
        return self


class ObservabilitySettings(BaseSettings):
    """Logs and metrics, the same in every process. Traces are configured by the standard
    OpenTelemetry variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, ...; see
    servicekit.telemetry), which carry no service prefix."""

    log_level: str = "INFO"
    # Folder for the JSON log file `<service>.jsonl`, written instead of stderr; stderr when unset.
    log_dir: str | None = None
    # Plain HTTP port serving GET /metrics (Prometheus text format); off when unset. It shows
    # counts and latencies only, no business data, and asks no credentials: keep it on a network
    # only the monitoring can reach.
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"


class ServiceSettings(MessagingSettings, ObservabilitySettings):
    """The settings of a service with a database, a gRPC API and Kafka traffic."""

    # SQLAlchemy URL of the service's own database, e.g. postgresql+asyncpg://u:p@host:5432/oms_orders
    database_url: str
    # Connections the pool keeps open; up to 10 more are opened when busier and closed after.
    # A new connection costs PostgreSQL tens of ms of CPU (cold caches, every statement
    # prepared again), so this covers the service's usual concurrency. The server must allow
    # every process its pool plus 10 (max_connections).
    database_pool_size: int = Field(default=20, ge=1, le=200)
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    grpc_host: str = "127.0.0.1"
    grpc_port: int
    # Plain port that serves only gRPC health, for probes that hold no certificate; off when unset.
    health_port: int | None = None
    # Mutual TLS for gRPC (both ways) and Kafka: the project CA and this service's certificate.
    tls_ca_file: str
    tls_cert_file: str
    tls_key_file: str
    # The gateway's public keys (JWKS): it signs the tokens of the people it passes on.
    token_jwks_file: str | None = None
    token_issuer: str = INTERNAL_ISSUER
    token_audience: str = INTERNAL_AUDIENCE
    # Registered internal clients and their scopes (JSON); none when unset.
    clients_file: str | None = None
    # Accepts the published development keys. Only `make run` sets it; never a deployment.
    development_mode: bool = False
    # Partitions of the topics this service publishes (created at start when missing).
    topic_partitions: int = 3
    # Prefix for every topic name, to keep environments (or test runs) sharing a cluster apart.
    topic_namespace: str = ""

    def tls(self) -> TlsFiles:
        return TlsFiles.of(self.tls_ca_file, self.tls_cert_file, self.tls_key_file)

    def token_verifier(self) -> TokenVerifier:
        """For the tokens the gateway passes on; UnsafeKey when the keys are unfit."""
        setting = f"{self.model_config.get('env_prefix', '')}TOKEN_JWKS_FILE"
        keys = trusted_keys(self.token_jwks_file, self.development_mode, setting, "internal")
        return TokenVerifier(keys, self.token_issuer, self.token_audience)

    def access(self, tables: Sequence[AccessTable], verifier: TokenVerifier) -> Access:
        """Admission for the service's RPCs."""
        return Access(tables, verifier, ClientRegistry(self.clients_file))
