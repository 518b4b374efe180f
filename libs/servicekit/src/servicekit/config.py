"""Settings every service shares; each service subclasses with its own environment prefix.

    class Settings(ServiceSettings):
        model_config = service_config("ORDERS_")
        catalog_target: str = "127.0.0.1:20051"

reads ORDERS_DATABASE_URL, ORDERS_KAFKA_BOOTSTRAP_SERVERS, ORDERS_GRPC_PORT, ... .
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


def service_config(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, extra="ignore")


class ServiceSettings(BaseSettings):
    """The settings of a service with a database, a gRPC API and Kafka traffic."""

    # SQLAlchemy URL of the service's own database, e.g. postgresql+asyncpg://u:p@host:5432/oms_orders
    database_url: str
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    grpc_host: str = "127.0.0.1"
    grpc_port: int
    # Partitions of the topics this service publishes (created at start when missing).
    topic_partitions: int = 3
    # Prefix for every topic name, to keep environments (or test runs) sharing a cluster apart.
    topic_namespace: str = ""
    # OTLP/HTTP endpoint for traces; tracing stays local (no export) when unset.
    otel_exporter_endpoint: str | None = None
    log_level: str = "INFO"
    # Folder for the JSON log file; stderr only when unset.
    log_dir: str | None = None
