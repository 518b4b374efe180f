"""Kafka and PostgreSQL as Docker containers (testcontainers), for machines with a Docker engine.

`OMS_TEST_INFRA` chooses: `containers`, `processes` (a private broker and server started from
the Kafka jars and the distribution's PostgreSQL, as on machines without Docker) or `auto`, the
default, which uses containers when a Docker engine answers. The images are the ones
docker-compose.yml runs, so tests and compose exercise the same servers. The broker is
configured as compose configures it (mutual TLS, ACLs, the operator as super user) with the test
session's certificates.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Literal

import yaml

from devstack.paths import ROOT
from devstack.pki import BROKER, OPERATOR, Pki
from devstack.postgres import PostgresCluster

INFRA_VARIABLE = "OMS_TEST_INFRA"
Infra = Literal["containers", "processes"]
COMPOSE_FILE = ROOT / "docker-compose.yml"
# Where the broker container finds its keystore and the CA (compose mounts its `trust` volume
# at the same place).
TRUST_MOUNT = "/trust"
KAFKA_STARTED = "Kafka Server started"
POSTGRES_READY = "database system is ready to accept connections"


def docker_available() -> bool:
    """True when a Docker engine answers a ping (DOCKER_HOST or the default socket)."""
    try:
        import docker  # type: ignore[import-untyped]

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # any failure means: no engine to use
        return False


def choose_infrastructure(
    environment: Mapping[str, str], engine_answers: Callable[[], bool] = docker_available
) -> Infra:
    """What the session starts its broker and database as; an explicit choice of containers
    without an engine is an error, not a silent fallback."""
    choice = environment.get(INFRA_VARIABLE, "auto").strip().lower() or "auto"
    if choice == "processes":
        return "processes"
    if choice == "containers":
        if not engine_answers():
            raise RuntimeError(f"{INFRA_VARIABLE}=containers, but no Docker engine answers")
        return "containers"
    if choice == "auto":
        return "containers" if engine_answers() else "processes"
    raise ValueError(f"{INFRA_VARIABLE} must be auto, containers or processes, not {choice!r}")


def compose_images(compose_file: Path = COMPOSE_FILE) -> dict[str, str]:
    """The images compose runs for the broker and the database."""
    services: dict[str, Any] = yaml.safe_load(compose_file.read_text())["services"]
    return {name: str(services[name]["image"]) for name in ("kafka", "postgres")}


def kafka_environment(port: int) -> dict[str, str]:
    """The broker's settings as compose gives them, with one listener on `port` inside the
    container and on the host alike, so the address it advertises works from both sides."""
    return {
        "KAFKA_NODE_ID": "1",
        "KAFKA_PROCESS_ROLES": "broker,controller",
        "KAFKA_LISTENERS": f"CLIENT://:{port},CONTROLLER://:9093",
        "KAFKA_ADVERTISED_LISTENERS": f"CLIENT://127.0.0.1:{port}",
        "KAFKA_INTER_BROKER_LISTENER_NAME": "CLIENT",
        "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:SSL,CLIENT:SSL",
        "KAFKA_CONTROLLER_QUORUM_VOTERS": "1@localhost:9093",
        "KAFKA_SSL_KEYSTORE_TYPE": "PEM",
        "KAFKA_SSL_KEYSTORE_LOCATION": f"{TRUST_MOUNT}/{BROKER}.keystore.pem",
        "KAFKA_SSL_TRUSTSTORE_TYPE": "PEM",
        "KAFKA_SSL_TRUSTSTORE_LOCATION": f"{TRUST_MOUNT}/ca.pem",
        "KAFKA_SSL_CLIENT_AUTH": "required",
        "KAFKA_SSL_PRINCIPAL_MAPPING_RULES": "RULE:^CN=([a-z0-9-]+)$/$1/,DEFAULT",
        "KAFKA_AUTHORIZER_CLASS_NAME": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND": "false",
        "KAFKA_SUPER_USERS": f"User:{BROKER};User:{OPERATOR}",
        "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "false",
        "KAFKA_NUM_PARTITIONS": "3",
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
        "KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS": "1",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
        "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS": "0",
    }


def broker_trust(pki: Pki, folder: Path) -> Path:
    """The broker's keystore and the CA, copied where the container's user can read them (the
    session's own folder keeps its keys private to this user)."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in (pki.keystore(BROKER), pki.ca_file):
        copy = folder / source.name
        shutil.copyfile(source, copy)
        copy.chmod(0o644)
    folder.chmod(0o755)
    return folder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def container_infrastructure(pki: Pki) -> Iterator[tuple[str, PostgresCluster]]:
    """A broker and a database server as containers: (bootstrap, cluster), removed afterwards."""
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.wait_strategies import LogMessageWaitStrategy

    images = compose_images()
    password = secrets.token_hex(16)
    kafka_port, pg_port = _free_port(), _free_port()
    trust = broker_trust(pki, Path(tempfile.mkdtemp(prefix="oms-test-trust-")))
    postgres = (
        DockerContainer(images["postgres"])
        .with_env("POSTGRES_PASSWORD", password)
        .with_command("postgres -c max_connections=300")
        .with_bind_ports(5432, pg_port)
        .waiting_for(LogMessageWaitStrategy(POSTGRES_READY, times=2))
    )
    kafka = (
        DockerContainer(images["kafka"])
        .with_envs(**kafka_environment(kafka_port))
        .with_volume_mapping(str(trust), TRUST_MOUNT, "ro")
        .with_bind_ports(kafka_port, kafka_port)
        .waiting_for(LogMessageWaitStrategy(KAFKA_STARTED))
    )
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, trust, True)
        stack.enter_context(postgres)
        stack.enter_context(kafka)
        admin = f"postgresql://postgres:{password}@127.0.0.1:{pg_port}/postgres"
        yield f"127.0.0.1:{kafka_port}", PostgresCluster.external(admin)
