"""The switch between containers and private processes, and the containers' settings: the
images compose runs, and a broker as locked down as compose's."""

import stat
from pathlib import Path

import pytest
import yaml

from devstack.pki import BROKER, Pki
from testkit.containers import (
    COMPOSE_FILE,
    INFRA_VARIABLE,
    TRUST_MOUNT,
    broker_trust,
    choose_infrastructure,
    compose_images,
    kafka_environment,
)


@pytest.mark.parametrize(
    ("choice", "engine_answers", "expected"),
    [
        (None, True, "containers"),
        (None, False, "processes"),
        ("auto", True, "containers"),
        ("AUTO", False, "processes"),
        ("processes", True, "processes"),
        ("containers", True, "containers"),
    ],
)
def test_detection_picks_the_default_and_the_switch_overrides_it(
    choice: str | None, engine_answers: bool, expected: str
) -> None:
    environment = {} if choice is None else {INFRA_VARIABLE: choice}
    assert choose_infrastructure(environment, lambda: engine_answers) == expected


def test_asking_for_containers_without_an_engine_is_an_error_not_a_fallback() -> None:
    with pytest.raises(RuntimeError, match="no Docker engine"):
        choose_infrastructure({INFRA_VARIABLE: "containers"}, lambda: False)


def test_an_unknown_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="auto, containers or processes"):
        choose_infrastructure({INFRA_VARIABLE: "docker"}, lambda: True)


def test_the_images_are_composes_and_pinned() -> None:
    images = compose_images()
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    assert images == {name: services[name]["image"] for name in ("kafka", "postgres")}
    for image in images.values():
        tag = image.partition(":")[2]
        assert tag not in ("", "latest"), image


def test_the_broker_is_configured_as_compose_configures_it() -> None:
    """Security and topic settings the suite relies on are the same as compose's; only the
    listeners differ (one port, the same inside and out)."""
    compose = yaml.safe_load(COMPOSE_FILE.read_text())["services"]["kafka"]["environment"]
    ours = kafka_environment(41234)
    for key in (
        "KAFKA_SSL_CLIENT_AUTH",
        "KAFKA_AUTHORIZER_CLASS_NAME",
        "KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND",
        "KAFKA_SUPER_USERS",
        "KAFKA_AUTO_CREATE_TOPICS_ENABLE",
        "KAFKA_SSL_KEYSTORE_TYPE",
        "KAFKA_SSL_TRUSTSTORE_TYPE",
    ):
        assert ours[key] == str(compose[key]), key
    # compose doubles `$` for its own interpolation
    assert ours["KAFKA_SSL_PRINCIPAL_MAPPING_RULES"] == compose[
        "KAFKA_SSL_PRINCIPAL_MAPPING_RULES"
    ].replace("$$", "$")
    assert ours["KAFKA_ADVERTISED_LISTENERS"] == "CLIENT://127.0.0.1:41234"
    assert "CLIENT://:41234" in ours["KAFKA_LISTENERS"]
    assert set(ours["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")) == {
        "CONTROLLER:SSL",
        "CLIENT:SSL",
    }
    assert ours["KAFKA_SSL_KEYSTORE_LOCATION"] == f"{TRUST_MOUNT}/{BROKER}.keystore.pem"


def test_the_broker_reads_a_copy_of_its_keystore_and_the_ca(tmp_path: Path) -> None:
    pki = Pki(tmp_path / "pki").ensure()
    folder = broker_trust(pki, tmp_path / "trust")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([pki.keystore(BROKER).name, pki.ca_file.name])
    for copy in folder.iterdir():
        assert copy.stat().st_mode & stat.S_IROTH, copy
    assert (folder / pki.ca_file.name).read_bytes() == pki.ca_file.read_bytes()
    # only the broker's keys go to the container, never another identity's
    assert not list(folder.glob("*.key"))
