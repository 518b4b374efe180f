"""The one table of what runs locally: each process, its ports and its environment.
docker-compose.yml describes the same system (a test keeps the two in agreement)."""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.auth import DEV_SECRET

DEV_JWT_SECRET = DEV_SECRET

BUSINESS_SERVICES = ("catalog", "quoting", "orders", "inventory", "billing", "procurement")
# gRPC peers each service calls (service -> the services it calls)
CALLS = {"orders": ("catalog",), "quoting": ("catalog",)}


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

    def grpc(self, service: str) -> int:
        # Below Linux's ephemeral range (32768-60999), where an outgoing connection could hold it.
        return 20051 + BUSINESS_SERVICES.index(service) + self.offset


def database_name(service: str) -> str:
    return f"oms_{service}"


def service_env(
    service: str,
    ports: Ports,
    database_url: str,
    kafka: str,
    log_dir: str,
    grpc_port: int | None = None,
) -> dict[str, str]:
    prefix = f"{service.upper()}_"
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "GRPC_PORT": str(grpc_port or ports.grpc(service)),
        "LOG_DIR": log_dir,
    }
    for peer in CALLS.get(service, ()):
        env[f"{peer.upper()}_TARGET"] = f"127.0.0.1:{ports.grpc(peer)}"
    return {prefix + key: value for key, value in env.items()}


def gateway_env(ports: Ports, log_dir: str, jwt_secret: str = DEV_JWT_SECRET) -> dict[str, str]:
    env = {
        "GATEWAY_HTTP_PORT": str(ports.gateway),
        "GATEWAY_LOG_DIR": log_dir,
        "GATEWAY_JWT_SECRET": jwt_secret,
    }
    for service in BUSINESS_SERVICES:
        env[f"GATEWAY_{service.upper()}_TARGET"] = f"127.0.0.1:{ports.grpc(service)}"
    return env
