"""deploy/k8s/*.yaml: every document is valid against the Kubernetes JSON schemas (strict: an
unknown or misspelt field fails), and the manifests keep the rules a platform team checks for.
The schemas come with the kubernetes-validate package (requirements-dev.txt): no cluster, no
network, no Docker."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes_validate import utils as schemas

from devstack.topology import BUSINESS_SERVICES, CALLS, CONNECTORS, Ports

ROOT = Path(__file__).parents[2]
MANIFESTS = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
# The oldest Kubernetes the manifests are written for (grpc probes, policy/v1) and the newest
# whose schemas the package bundles.
VERSIONS = ("1.29.0", schemas.latest_version())
DOCUMENTS = [
    (path.name, doc) for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc
]
PROCESSES = (*BUSINESS_SERVICES, *CONNECTORS, "gateway", "web")
PORTS = Ports()


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in DOCUMENTS if doc["kind"] == kind}


def validate(document: dict[str, Any], version: str) -> None:
    schemas.validate(document, version, strict=True)


def container(name: str) -> dict[str, Any]:
    return of_kind("Deployment")[name]["spec"]["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


def calls(name: str) -> set[str]:
    """The gRPC peers a process calls: the gateway calls every service and connector."""
    everyone = {*BUSINESS_SERVICES, *CONNECTORS}
    return everyone if name == "gateway" else set(CALLS.get(name, ()))


def grpc_port(peer: str) -> int:
    return PORTS.connector_grpc(peer) if peer in CONNECTORS else PORTS.grpc(peer)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_document_is_valid_against_the_kubernetes_schemas(version: str) -> None:
    assert len(DOCUMENTS) > len(PROCESSES) * 4
    for manifest, document in DOCUMENTS:
        try:
            validate(document, version)
        except schemas.ValidationError as error:  # pragma: no cover - the failure's message
            pytest.fail(f"{manifest}: {document['kind']} {document['metadata']['name']}: {error}")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("spec", "replicas"), "two"),  # a wrong type
        (("spec", "template", "spec", "securityContext", "runAsNonRot"), True),  # a misspelt field
    ],
)
def test_the_validation_refuses_an_invalid_manifest(path: tuple[str, ...], value: object) -> None:
    broken = copy.deepcopy(of_kind("Deployment")["orders"])
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(schemas.ValidationError):
        validate(broken, VERSIONS[-1])


@pytest.mark.parametrize("name", PROCESSES)
def test_each_process_runs_pinned_unprivileged_and_bounded(name: str) -> None:
    pod = of_kind("Deployment")[name]["spec"]["template"]["spec"]
    main = container(name)
    image, _, tag = main["image"].rpartition(":")
    assert image
    assert tag
    assert tag != "latest"
    assert "/" not in tag
    assert (
        set(main["resources"]["requests"]) == set(main["resources"]["limits"]) == {"cpu", "memory"}
    )
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    assert main["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }


@pytest.mark.parametrize("name", PROCESSES)
def test_each_process_has_startup_readiness_and_liveness_probes(name: str) -> None:
    main = container(name)
    probes = [main[probe] for probe in ("startupProbe", "readinessProbe", "livenessProbe")]
    if name in BUSINESS_SERVICES:  # the plain health port: probes present no certificate
        assert all(probe["grpc"]["port"] == PORTS.health(name) for probe in probes)
        env = {e["name"]: e.get("value") for e in main["env"]}
        assert env[f"{name.upper()}_HEALTH_PORT"] == str(PORTS.health(name))
    else:
        assert all("httpGet" in probe for probe in probes)


@pytest.mark.parametrize("name", PROCESSES)
def test_each_process_has_a_disruption_budget_and_a_database_user(name: str) -> None:
    budget = of_kind("PodDisruptionBudget")[name]["spec"]
    assert budget["selector"] == of_kind("Deployment")[name]["spec"]["selector"]
    assert budget["minAvailable"] < of_kind("Deployment")[name]["spec"]["replicas"]
    secret = of_kind("Secret")[f"oms-db-{name}"]
    # the user is declared; its password is the operator's (no default in the repository)
    assert secret["stringData"] == {"username": f"oms_{name}"}
    refs = {
        e["valueFrom"]["secretKeyRef"]["name"]
        for e in container(name)["env"]
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert f"oms-db-{name}" in refs
    assert not any(r.startswith("oms-db-") and r != f"oms-db-{name}" for r in refs)


@pytest.mark.parametrize("name", PROCESSES)
def test_each_process_reaches_only_its_database_the_broker_and_its_peers(name: str) -> None:
    policy = of_kind("NetworkPolicy")[name]["spec"]
    assert policy["podSelector"] == {"matchLabels": {"app": name}}
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    reached = {
        (peer["podSelector"]["matchLabels"]["app"], port["port"])
        for rule in policy["egress"]
        for peer in rule["to"]
        for port in rule["ports"]
    }
    expected = {("postgres", 5432)} | {(peer, grpc_port(peer)) for peer in calls(name)}
    if name == "web":  # the web pages call the gateway's REST API, as any client does
        expected.add(("gateway", PORTS.gateway))
    elif name != "gateway":
        expected.add(("kafka", 9092))
    assert reached == expected
    targets = {e["name"] for e in container(name)["env"] if e["name"].endswith("_TARGET")}
    assert targets == {f"{name.upper()}_{peer.upper()}_TARGET" for peer in calls(name)}


@pytest.mark.parametrize("name", BUSINESS_SERVICES)
def test_each_service_is_reached_only_by_its_callers(name: str) -> None:
    (rule,) = of_kind("NetworkPolicy")[name]["spec"]["ingress"]
    callers = {peer["podSelector"]["matchLabels"]["app"] for peer in rule["from"]}
    assert callers == {p for p in PROCESSES if name in calls(p)}
    assert [port["port"] for port in rule["ports"]] == [PORTS.grpc(name)]


@pytest.mark.parametrize("name", CONNECTORS)
def test_each_connector_is_reached_by_the_stores_and_its_api_by_the_gateway_only(
    name: str,
) -> None:
    webhooks, api = of_kind("NetworkPolicy")[name]["spec"]["ingress"]
    assert "from" not in webhooks
    assert [p["port"] for p in webhooks["ports"]] == [PORTS.http(name)]
    callers = {peer["podSelector"]["matchLabels"]["app"] for peer in api["from"]}
    assert callers == {p for p in PROCESSES if name in calls(p)} == {"gateway"}
    assert [port["port"] for port in api["ports"]] == [PORTS.connector_grpc(name)]
    env = {e["name"]: e.get("value") for e in container(name)["env"]}
    assert env[f"{name.upper()}_GRPC_PORT"] == str(PORTS.connector_grpc(name))
    assert env[f"{name.upper()}_HEALTH_PORT"] == str(PORTS.connector_health(name))


def test_everything_else_is_denied() -> None:
    deny = of_kind("NetworkPolicy")["oms-default-deny"]["spec"]
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny
    labelled = {
        d["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/part-of"]
        for d in of_kind("Deployment").values()
    }
    assert labelled == {deny["podSelector"]["matchLabels"]["app.kubernetes.io/part-of"]}
