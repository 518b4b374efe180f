"""The connector's settings, read from WOOCOMMERCE_* environment variables. It serves HTTP (the
webhook door) and a small gRPC API (its store orders, for the gateway), and publishes no events:
it does not take servicekit.config.ServiceSettings (its TLS and Kafka are optional); it reads
events from Kafka when given a broker."""

from __future__ import annotations

from pathlib import Path

from servicekit.access import Access, AccessTable, ClientRegistry
from servicekit.auth import (
    INTERNAL_AUDIENCE,
    INTERNAL_ISSUER,
    TokenVerifier,
    UnsafeKey,
    trusted_keys,
)
from servicekit.config import MessagingSettings, ObservabilitySettings, service_config
from servicekit.tls import TlsFiles
from woocommerce.adapters.secrets import DEVELOPMENT_KEY


class Settings(MessagingSettings, ObservabilitySettings):
    model_config = service_config("WOOCOMMERCE_")

    # SQLAlchemy URL of the connector's own database
    database_url: str
    http_host: str = "127.0.0.1"
    # Where WooCommerce delivers webhooks (behind a TLS proxy on 443: WooCommerce delivers only
    # to ports 80, 443 and 8080).
    http_port: int = 8070
    # Fernet key (urlsafe base64 of 32 bytes) that seals store secrets at rest; required, and
    # never the published development key, outside development mode.
    secrets_key: str | None = None
    # ... or a file holding it (the runner's and compose's: made with the trust material).
    secrets_key_file: str | None = None
    development_mode: bool = False
    # Largest webhook body taken (an order with hundreds of lines is well below).
    max_body_bytes: int = 2_000_000
    worker_interval_seconds: float = 2.0
    pull_interval_seconds: float = 900.0
    # The catalog, asked for products by SKU with the connector's certificate; orders wait as
    # received while it is unset.
    catalog_target: str | None = None
    # Stock out and shipments back: events read from Kafka with the connector's certificate
    # (inventory's levels and shipments, orders' status changes); none are read while unset.
    kafka_bootstrap_servers: str | None = None
    topic_partitions: int = 3
    topic_namespace: str = ""
    # orders: where mapped orders become sales orders, and asked which store's order a shipped
    # sales order is (GetSalesOrder)
    orders_target: str | None = None
    # billing, where the stores' refunds become credit notes; with orders_target, mapped orders
    # become sales orders (they wait while either is unset)
    billing_target: str | None = None
    # A changed level waits this long before it is pushed, so rapid changes go as one.
    stock_push_delay_seconds: float = 2.0
    stock_push_interval_seconds: float = 2.0
    # The store orders API (gRPC, mutual TLS: needs the TLS files below); off when unset.
    grpc_host: str = "127.0.0.1"
    grpc_port: int | None = None
    # Plain port that serves only gRPC health, for probes that hold no certificate; off when unset.
    health_port: int | None = None
    # The gateway's public keys (JWKS): it signs the tokens of the people it passes on.
    token_jwks_file: str | None = None
    token_issuer: str = INTERNAL_ISSUER
    token_audience: str = INTERNAL_AUDIENCE
    # Registered internal clients and their scopes (JSON); none when unset.
    clients_file: str | None = None
    tls_ca_file: str | None = None
    tls_cert_file: str | None = None
    tls_key_file: str | None = None

    def sealing_key(self) -> str:
        """The secrets key; UnsafeKey when missing or published outside development mode."""
        key = self.secrets_key
        if not key and self.secrets_key_file:
            key = Path(self.secrets_key_file).read_text().strip()
        if key and (self.development_mode or key != DEVELOPMENT_KEY):
            return key
        if self.development_mode:
            return DEVELOPMENT_KEY
        if key:
            raise UnsafeKey("WOOCOMMERCE_SECRETS_KEY is the published development key")
        raise UnsafeKey("WOOCOMMERCE_SECRETS_KEY is required outside development mode")

    def tls(self) -> TlsFiles | None:
        files = (self.tls_ca_file, self.tls_cert_file, self.tls_key_file)
        if not all(files):
            return None
        return TlsFiles.of(*files)  # type: ignore[arg-type]

    def token_verifier(self) -> TokenVerifier:
        """For the tokens the gateway passes on; UnsafeKey when the keys are unfit."""
        keys = trusted_keys(
            self.token_jwks_file, self.development_mode, "WOOCOMMERCE_TOKEN_JWKS_FILE", "internal"
        )
        return TokenVerifier(keys, self.token_issuer, self.token_audience)

    def access(self, tables: list[AccessTable]) -> Access:
        """Admission for the store orders API's RPCs."""
        return Access(tables, self.token_verifier(), ClientRegistry(self.clients_file))
