"""docker-compose.yml and the local runner (devstack.topology) describe the same system."""

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from devstack.topology import (
    BUSINESS_SERVICES,
    CONNECTORS,
    Ports,
    Secrets,
    connector_env,
    gateway_env,
    service_env,
    web_env,
)

ROOT = Path(__file__).parents[2]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
# The processes keeping a database, and the names the postgres image's init script creates them for
WITH_DATABASE = (*BUSINESS_SERVICES, *CONNECTORS, "gateway", "web")
INIT_SCRIPT_NAMES = re.search(
    r"^for name in ([a-z ]+); do$",
    (ROOT / "deploy" / "postgres" / "init-databases.sh").read_text(),
    re.MULTILINE,
)[1]  # type: ignore[index]
PORTS = Ports()
# what compose adds for people to look at traces and metrics (tests/contracts/test_observability)
OBSERVABILITY = ("otel-collector", "jaeger", "prometheus", "grafana")
# every optional key set, so every variable the runner can pass is compared
SECRETS = Secrets(
    Path("/trust"),
    development_mode=False,
    gateway_signing_key=Path("/trust/gateway-signing.pem"),
    gateway_jwks=Path("/trust/gateway-signing.jwks.json"),
    identity_provider_jwks=Path("/trust/identity-provider.jwks.json"),
    identity_provider_issuer="oms-compose-identity-provider",
    identity_provider_signing_key=Path("/trust/identity-provider.pem"),
)


def published(service: str) -> set[int]:
    return {int(str(p).split(":")[0]) for p in SERVICES[service].get("ports", [])}


def settings_fields(service: str) -> set[str]:
    """The variables a process reads: its prefixed settings, and OpenTelemetry's own (OTEL_*,
    servicekit.telemetry), which carry no prefix."""
    settings: Any = importlib.import_module(f"{service}.config").Settings
    own = {f"{service.upper()}_{name.upper()}" for name in settings.model_fields}
    return own | {v for v in SERVICES[service]["environment"] if v.startswith("OTEL_")}


def test_the_same_processes_run_in_both() -> None:
    assert set(SERVICES) == {
        "trust", "kafka-acls", "postgres", "kafka", "gateway", "web", *BUSINESS_SERVICES,
        *CONNECTORS, *OBSERVABILITY,
    }  # fmt: skip


def test_only_the_doors_are_published() -> None:
    """The gateway, the web pages, the connectors' webhook doors and Kafka's host listener; no
    service's gRPC port and no database is reachable from outside the compose network."""
    for service in BUSINESS_SERVICES:
        assert published(service) == set()
    for connector in CONNECTORS:
        assert published(connector) == {PORTS.http(connector)}
    assert published("gateway") == {PORTS.gateway}
    assert published("web") == {PORTS.web}
    assert published("kafka") == {PORTS.kafka}
    assert published("postgres") == set()


def test_kafka_advertises_a_listener_for_the_host() -> None:
    env = SERVICES["kafka"]["environment"]
    advertised = dict(
        listener.split("://", 1) for listener in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    )
    assert advertised["CLIENT"] == "kafka:9092"
    assert advertised["HOST"].endswith(f":{PORTS.kafka}"), "where the host's programs connect"
    assert f"HOST://:{PORTS.kafka}" in env["KAFKA_LISTENERS"]
    assert "HOST:SSL" in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]


def test_every_process_has_a_restart_policy() -> None:
    for name, service in SERVICES.items():
        one_shot = name in {"trust", "kafka-acls"}
        assert service.get("restart") == ("on-failure" if one_shot else "unless-stopped"), name


@pytest.mark.parametrize("service", WITH_DATABASE)
def test_each_database_has_its_own_user_and_a_required_password(service: str) -> None:
    variable = f"{service.upper()}_DB_PASSWORD"
    required = f"${{{variable}:?set {variable}}}"
    url = SERVICES[service]["environment"][f"{service.upper()}_DATABASE_URL"]
    assert url == f"postgresql+asyncpg://oms_{service}:{required}@postgres:5432/oms_{service}"
    assert SERVICES["postgres"]["environment"][variable] == required
    assert service in INIT_SCRIPT_NAMES.split(), "the init script makes its database and user"


def test_no_secret_has_a_default_and_each_is_documented() -> None:
    assert not re.search(r"PASSWORD:-", COMPOSE_TEXT)
    readme = (ROOT / "README.md").read_text()
    for variable in re.findall(r"\$\{([A-Z_]+):\?", COMPOSE_TEXT):
        assert f"`{variable}`" in readme, f"README's configuration names {variable}"


@pytest.mark.parametrize("service", BUSINESS_SERVICES)
def test_each_service_gets_the_same_settings(service: str) -> None:
    runner = set(service_env(service, PORTS, "url", "kafka", SECRETS))
    compose = set(SERVICES[service]["environment"])
    assert runner <= compose
    assert compose <= settings_fields(service), "every variable is a setting the service reads"


@pytest.mark.parametrize("connector", CONNECTORS)
def test_each_connector_gets_the_same_settings(connector: str) -> None:
    runner = set(connector_env(connector, PORTS, "url", SECRETS, "kafka"))
    compose = set(SERVICES[connector]["environment"])
    assert runner <= compose
    assert compose <= settings_fields(connector), "every variable is a setting the service reads"


def test_the_gateway_gets_the_same_settings() -> None:
    runner = set(gateway_env(PORTS, "url", SECRETS))
    compose = set(SERVICES["gateway"]["environment"])
    assert runner <= compose
    assert compose <= settings_fields("gateway")


def test_the_web_pages_get_the_same_settings() -> None:
    runner = set(web_env(PORTS, "url", SECRETS))
    compose = set(SERVICES["web"]["environment"])
    assert runner <= compose
    assert compose <= settings_fields("web")
    env = SERVICES["web"]["environment"]
    assert env["WEB_SIGNING_KEY_FILE"] == str(SECRETS.identity_provider_signing_key)
    gateway = SERVICES["gateway"]["environment"]["GATEWAY_IDENTITY_PROVIDER_ISSUER"]
    assert env["WEB_TOKEN_ISSUER"] == gateway, "the gateway trusts the tokens the pages sign"


def test_each_service_image_runs_its_own_package() -> None:
    for service in (*BUSINESS_SERVICES, *CONNECTORS, "gateway", "web"):
        build = SERVICES[service]["build"]
        assert build["args"] == {"SERVICE": service}
        text = (Path(__file__).parents[2] / build["dockerfile"]).read_text()
        assert 'pip install --no-cache-dir --no-index --find-links /wheels "oms-${SERVICE}"' in text
        assert 'CMD ["sh", "-c", "exec python -m \\"$SERVICE\\""]' in text
