"""docker-compose.yml and the local runner (devstack.topology) describe the same system."""

import importlib
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
)

COMPOSE = yaml.safe_load((Path(__file__).parents[2] / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
PORTS = Ports()
# every optional key set, so every variable the runner can pass is compared
SECRETS = Secrets(
    Path("/trust"),
    development_mode=False,
    gateway_signing_key=Path("/trust/gateway-signing.pem"),
    gateway_jwks=Path("/trust/gateway-signing.jwks.json"),
    identity_provider_jwks=Path("/trust/identity-provider.jwks.json"),
    identity_provider_issuer="oms-compose-identity-provider",
)


def published(service: str) -> set[int]:
    return {int(str(p).split(":")[0]) for p in SERVICES[service].get("ports", [])}


def settings_fields(service: str) -> set[str]:
    settings: Any = importlib.import_module(f"{service}.config").Settings
    return {f"{service.upper()}_{name.upper()}" for name in settings.model_fields}


def test_the_same_processes_run_in_both() -> None:
    assert set(SERVICES) == {
        "trust", "kafka-acls", "postgres", "kafka", "gateway", *BUSINESS_SERVICES, *CONNECTORS
    }  # fmt: skip


def test_the_same_ports_are_published() -> None:
    for service in BUSINESS_SERVICES:
        assert published(service) == {PORTS.grpc(service)}
    for connector in CONNECTORS:
        assert published(connector) == {PORTS.http(connector)}
    assert published("gateway") == {PORTS.gateway}
    assert published("kafka") == {PORTS.kafka}
    assert published("postgres") == {PORTS.postgres}


@pytest.mark.parametrize("service", BUSINESS_SERVICES)
def test_each_service_gets_the_same_settings(service: str) -> None:
    runner = set(service_env(service, PORTS, "url", "kafka", "/logs", SECRETS))
    compose = set(SERVICES[service]["environment"])
    assert runner <= compose
    assert compose <= settings_fields(service), "every variable is a setting the service reads"


@pytest.mark.parametrize("connector", CONNECTORS)
def test_each_connector_gets_the_same_settings(connector: str) -> None:
    runner = set(connector_env(connector, PORTS, "url", "/logs", SECRETS, "kafka"))
    compose = set(SERVICES[connector]["environment"])
    assert runner <= compose
    assert compose <= settings_fields(connector), "every variable is a setting the service reads"


def test_the_gateway_gets_the_same_settings() -> None:
    runner = set(gateway_env(PORTS, "/logs", "url", SECRETS))
    compose = set(SERVICES["gateway"]["environment"])
    assert runner <= compose
    assert compose <= settings_fields("gateway")


def test_each_service_image_runs_its_own_package() -> None:
    for service in (*BUSINESS_SERVICES, *CONNECTORS, "gateway"):
        dockerfile = Path(SERVICES[service]["build"]["dockerfile"])
        text = (Path(__file__).parents[2] / dockerfile).read_text()
        assert f'CMD ["python", "-m", "{service}"]' in text
