"""The one table of what runs locally: each process, its ports, its environment, what it reads
from Kafka. docker-compose.yml describes the same system (a test keeps the two in agreement)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUSINESS_SERVICES = ("catalog", "quoting", "orders", "inventory", "billing", "procurement")
# Connectors to outside systems: their own database, an HTTP door (webhooks) and a small gRPC API
# (their store orders, for the gateway); they publish no events but may read some
# (services/woocommerce: stock and shipments back to stores).
CONNECTORS = ("woocommerce",)
# gRPC peers each service calls (service -> the services it calls)
CALLS = {
    "orders": ("catalog",),
    "quoting": ("catalog",),
    "inventory": ("catalog",),
    # products by SKU; sales orders and their customers; refunds' credit notes
    "woocommerce": ("catalog", "orders", "billing"),
}
# The topics each service consumes (its Kafka ACLs allow reading these and no others); a
# contract test keeps this equal to the services' subscriptions.
CONSUMES: dict[str, tuple[str, ...]] = {
    "catalog": (),
    "quoting": ("oms.orders.customer.v1", "oms.orders.sales-order.v1"),
    # (its own sales-order topic: the activity journal, group oms.orders.activity)
    "orders": (
        "oms.orders.sales-order.v1",
        "oms.inventory.reservation.v1",
        "oms.inventory.shipment.v1",
        "oms.billing.invoice.v1",
        "oms.billing.customer-balance.v1",
        "oms.billing.exchange-rate.v1",
        "oms.quoting.quote.v1",
    ),
    "inventory": ("oms.orders.sales-order.v1", "oms.procurement.purchase-order.v1"),
    "billing": (
        "oms.orders.sales-order.v1",
        "oms.orders.customer.v1",
        "oms.inventory.shipment.v1",
        "oms.inventory.receipt.v1",
        "oms.quoting.quote.v1",
        "oms.procurement.purchase-order.v1",
    ),
    "procurement": ("oms.inventory.receipt.v1", "oms.inventory.stock.v1", "oms.billing.bill.v1"),
    # available levels, shipments and sales orders' status, pushed back to the stores; invoices
    # (paid with what the stores collected); products (parked store orders taken up again)
    "woocommerce": (
        "oms.inventory.stock.v1",
        "oms.inventory.shipment.v1",
        "oms.orders.sales-order.v1",
        "oms.billing.invoice.v1",
        "oms.catalog.product.v1",
    ),
}


@dataclass(frozen=True)
class Ports:
    """Where everything listens; `offset` moves it all, so tests can run beside `make run`."""

    offset: int = 0

    @property
    def kafka(self) -> int:
        return 19092 + self.offset

    @property
    def kafka_controller(self) -> int:
        return 19093 + self.offset

    @property
    def postgres(self) -> int:
        return 15432 + self.offset

    @property
    def gateway(self) -> int:
        return 8000 + self.offset

    @property
    def web(self) -> int:
        """The web pages (services/web)."""
        return 8090 + self.offset

    def grpc(self, service: str) -> int:
        # Below Linux's ephemeral range (32768-60999), where an outgoing connection could hold it.
        return 20051 + BUSINESS_SERVICES.index(service) + self.offset

    def health(self, service: str) -> int:
        """Plain gRPC health, for probes without a certificate."""
        return self.grpc(service) + 100

    def connector_grpc(self, connector: str) -> int:
        """A connector's gRPC API (mutual TLS); its plain health is on + 100."""
        return 20061 + CONNECTORS.index(connector) + self.offset

    def connector_health(self, connector: str) -> int:
        return self.connector_grpc(connector) + 100

    def http(self, connector: str) -> int:
        """A connector's HTTP door (webhooks in, GET /health)."""
        return 8070 + CONNECTORS.index(connector) + self.offset

    def metrics(self, process: str) -> int:
        """Where a process serves GET /metrics (Prometheus): a service's gRPC port + 200, the
        gateway's 9464 (OpenTelemetry's Prometheus port), a connector's the ones after it."""
        if process in BUSINESS_SERVICES:
            return self.grpc(process) + 200
        if process == "gateway":
            return 9464 + self.offset
        return 9465 + CONNECTORS.index(process) + self.offset


@dataclass(frozen=True)
class Secrets:
    """What the processes prove themselves with and check others against: the folder of
    devstack.pki (certificates, the client registry) and the token keys. Without key files,
    development mode uses the published development keys (`make run`); tests generate keys."""

    pki_dir: Path
    development_mode: bool
    gateway_signing_key: Path | None = None
    gateway_jwks: Path | None = None
    identity_provider_jwks: Path | None = None
    identity_provider_issuer: str | None = None
    # the identity provider's private key, which the web service signs its users' tokens with
    # (the public half is identity_provider_jwks, which the gateway trusts)
    identity_provider_signing_key: Path | None = None

    def tls(self, name: str) -> dict[str, str]:
        return {
            "TLS_CA_FILE": str(self.pki_dir / "ca.pem"),
            "TLS_CERT_FILE": str(self.pki_dir / f"{name}.pem"),
            "TLS_KEY_FILE": str(self.pki_dir / f"{name}.key"),
        }

    def common(self, name: str) -> dict[str, str]:
        env = {**self.tls(name), "DEVELOPMENT_MODE": str(self.development_mode).lower()}
        return env


def database_name(service: str) -> str:
    return f"oms_{service}"


def service_env(
    service: str,
    ports: Ports,
    database_url: str,
    kafka: str,
    secrets: Secrets,
    grpc_port: int | None = None,
    health_port: int | None = None,
) -> dict[str, str]:
    """A service's environment. No LOG_DIR: its logs go to stderr, which the supervisor keeps
    in `<name>.log`, one file per process."""
    prefix = f"{service.upper()}_"
    port = grpc_port or ports.grpc(service)
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "GRPC_PORT": str(port),
        "HEALTH_PORT": str(health_port or ports.health(service)),
        # a replica (on a gRPC port of its own, in tests) takes any free one
        "METRICS_PORT": str(ports.metrics(service) if port == ports.grpc(service) else 0),
        "CLIENTS_FILE": str(secrets.pki_dir / "clients.json"),
        **secrets.common(service),
    }
    if secrets.gateway_jwks:
        env["TOKEN_JWKS_FILE"] = str(secrets.gateway_jwks)
    for peer in CALLS.get(service, ()):
        env[f"{peer.upper()}_TARGET"] = f"127.0.0.1:{ports.grpc(peer)}"
    return {prefix + key: value for key, value in env.items()}


def secrets_key_file(pki_dir: Path, connector: str) -> Path:
    """The key a connector seals its stores' secrets with (made with the trust material)."""
    return pki_dir / f"{connector}-secrets.key"


def connector_env(
    connector: str,
    ports: Ports,
    database_url: str,
    secrets: Secrets,
    kafka: str = "",
) -> dict[str, str]:
    env = {
        "DATABASE_URL": database_url,
        "HTTP_PORT": str(ports.http(connector)),
        "GRPC_PORT": str(ports.connector_grpc(connector)),
        "HEALTH_PORT": str(ports.connector_health(connector)),
        "METRICS_PORT": str(ports.metrics(connector)),
        "SECRETS_KEY_FILE": str(secrets_key_file(secrets.pki_dir, connector)),
        "CLIENTS_FILE": str(secrets.pki_dir / "clients.json"),
        **secrets.common(connector),
    }
    if secrets.gateway_jwks:
        env["TOKEN_JWKS_FILE"] = str(secrets.gateway_jwks)
    if kafka and CONSUMES.get(connector):
        env["KAFKA_BOOTSTRAP_SERVERS"] = kafka
    for peer in CALLS.get(connector, ()):
        env[f"{peer.upper()}_TARGET"] = f"127.0.0.1:{ports.grpc(peer)}"
    return {f"{connector.upper()}_{key}": value for key, value in env.items()}


def gateway_env(ports: Ports, database_url: str, secrets: Secrets) -> dict[str, str]:
    env = {
        "GATEWAY_HTTP_PORT": str(ports.gateway),
        "GATEWAY_METRICS_PORT": str(ports.metrics("gateway")),
        "GATEWAY_DATABASE_URL": database_url,
        **{f"GATEWAY_{key}": value for key, value in secrets.common("gateway").items()},
    }
    if secrets.gateway_signing_key:
        env["GATEWAY_SIGNING_KEY_FILE"] = str(secrets.gateway_signing_key)
    if secrets.identity_provider_jwks:
        env["GATEWAY_IDENTITY_PROVIDER_JWKS_FILE"] = str(secrets.identity_provider_jwks)
    if secrets.identity_provider_issuer:
        env["GATEWAY_IDENTITY_PROVIDER_ISSUER"] = secrets.identity_provider_issuer
    for service in BUSINESS_SERVICES:
        env[f"GATEWAY_{service.upper()}_TARGET"] = f"127.0.0.1:{ports.grpc(service)}"
    for connector in CONNECTORS:
        env[f"GATEWAY_{connector.upper()}_TARGET"] = f"127.0.0.1:{ports.connector_grpc(connector)}"
    return env


def web_env(ports: Ports, database_url: str, secrets: Secrets) -> dict[str, str]:
    """The web pages: their own database, the gateway they call, and the identity provider's
    key they sign their users' tokens with. Plain HTTP on this machine: cookies are not Secure."""
    env = {
        "WEB_HTTP_PORT": str(ports.web),
        "WEB_DATABASE_URL": database_url,
        "WEB_GATEWAY_URL": f"http://127.0.0.1:{ports.gateway}",
        "WEB_COOKIE_SECURE": "false",
        "WEB_DEVELOPMENT_MODE": str(secrets.development_mode).lower(),
    }
    if secrets.identity_provider_signing_key:
        env["WEB_SIGNING_KEY_FILE"] = str(secrets.identity_provider_signing_key)
    if secrets.identity_provider_issuer:
        env["WEB_TOKEN_ISSUER"] = secrets.identity_provider_issuer
    return env
