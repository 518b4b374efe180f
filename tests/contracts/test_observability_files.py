"""The observability side of deploy/: Prometheus scrapes every process where devstack.topology
says it serves /metrics, compose and Kubernetes configure the same ports, the collector hands
traces to Jaeger, and every series the Grafana dashboard draws is one the code exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import yaml
from sqlalchemy import Column, MetaData, String, Table

from devstack.topology import (
    BUSINESS_SERVICES,
    CONNECTORS,
    Ports,
    Secrets,
    connector_env,
    gateway_env,
    service_env,
)
from messaging.consumer import EventConsumer
from messaging.kafka import KafkaAccess
from messaging.metrics import DeadLetterDepth, watch_consumer, watch_outbox
from messaging.outbox import outbox_table
from servicekit.db import Database
from servicekit.metrics import (
    GrpcServerMetrics,
    HttpServerMetrics,
    Metrics,
    count_states,
    watch_pool,
)

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
PROCESSES = (*BUSINESS_SERVICES, *CONNECTORS, "gateway")
PORTS = Ports()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
DASHBOARD = json.loads((DEPLOY / "grafana" / "dashboards" / "oms.json").read_text())
# What the issue asks an operator can see, each a family the dashboard must draw.
REQUIRED = {
    "grpc_server_handled_total": "gRPC request rate",
    "grpc_server_handling_seconds_bucket": "gRPC latency",
    "http_server_requests_total": "HTTP request rate",
    "http_server_request_duration_seconds_bucket": "HTTP latency",
    "oms_consumer_lag_records": "consumer lag per group and partition",
    "oms_outbox_backlog_events": "outbox backlog",
    "oms_outbox_oldest_age_seconds": "outbox age",
    "oms_dead_letter_depth": "dead-letter depth",
    "oms_saga_instances": "saga states",
    "oms_db_pool_connections": "pool use",
}
_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


async def exposed_names() -> set[str]:
    """Every sample name a process can expose, from a registry wired as the services wire it
    (nothing is connected: a family shows its TYPE line even before its first sample)."""
    metrics = Metrics()
    database = Database("postgresql+asyncpg://u:p@127.0.0.1:9/none")
    table = Table("t", MetaData(), Column("status", String))
    GrpcServerMetrics(metrics)
    HttpServerMetrics(None, metrics)
    watch_pool(metrics, database.engine)
    watch_outbox(metrics, database.engine, outbox_table(MetaData()))
    idle = SimpleNamespace(client=None, group_id="g", unknown_types={})
    watch_consumer(metrics, cast(EventConsumer, idle))
    DeadLetterDepth(metrics, cast(KafkaAccess, None), [])
    count_states(metrics, database, "sales_order", table.c.status)
    text = (await metrics.render()).decode()
    await database.dispose()
    names = set()
    for name, kind in re.findall(r"^# TYPE (\S+) (\S+)$", text, re.MULTILINE):
        base = name.removesuffix("_total") if kind == "counter" else name
        names |= {base + suffix for suffix in _SUFFIXES.get(kind, ("",))}
    return names


def dashboard_series() -> set[str]:
    """The metric names the dashboard's queries read (selectors, ranges and `by` lists taken
    out; what is left and not called as a function is a metric)."""
    found = set()
    for panel in DASHBOARD["panels"]:
        for target in panel["targets"]:
            expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\bby \([^)]*\)", "", target["expr"])
            for match in re.finditer(r"[a-z_][a-z0-9_]*", expr):
                if not expr[match.end() :].lstrip().startswith("("):
                    found.add(match.group())
    return found


def test_prometheus_scrapes_every_process_on_its_metrics_port() -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    targets = {
        job["job_name"]: [t for c in job["static_configs"] for t in c["targets"]]
        for job in config["scrape_configs"]
    }
    assert targets == {name: [f"{name}:{PORTS.metrics(name)}"] for name in PROCESSES}


def test_compose_serves_metrics_there_and_sends_traces_to_the_collector() -> None:
    for name in PROCESSES:
        env = COMPOSE[name]["environment"]
        assert env[f"{name.upper()}_METRICS_PORT"] == PORTS.metrics(name)
        assert env[f"{name.upper()}_METRICS_HOST"] == "0.0.0.0"
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
        assert not any(key.endswith("_LOG_DIR") for key in env), "logs go to stderr"
    assert "16686:16686" in COMPOSE["jaeger"]["ports"], "a person opens traces in Jaeger's page"


def test_the_collector_receives_otlp_http_and_hands_traces_to_jaeger() -> None:
    config = yaml.safe_load((DEPLOY / "otel-collector.yaml").read_text())
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].endswith(":4318")
    pipeline = config["service"]["pipelines"]["traces"]
    assert pipeline["receivers"] == ["otlp"]
    (exporter,) = pipeline["exporters"]
    assert config["exporters"][exporter]["endpoint"] == "jaeger:4317"
    mounted = [v.split(":")[0] for v in COMPOSE["otel-collector"]["volumes"]]
    assert mounted == ["./deploy/otel-collector.yaml"]


def test_grafana_is_provisioned_with_prometheus_and_the_dashboard() -> None:
    mounts = {v.split(":")[0]: v.split(":")[1] for v in COMPOSE["grafana"]["volumes"]}
    for source in mounts:
        assert (ROOT / source).exists(), source
    provider: Any = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "dashboards" / "oms.yaml").read_text()
    )
    assert mounts["./deploy/grafana/dashboards"] == provider["providers"][0]["options"]["path"]
    sources = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "datasources.yaml").read_text()
    )
    uids = {source["uid"] for source in sources["datasources"]}
    used = {p["datasource"]["uid"] for p in DASHBOARD["panels"]}
    assert used <= uids


async def test_the_dashboard_draws_only_series_the_code_exposes_and_all_the_issue_asks() -> None:
    drawn, exposed = dashboard_series(), await exposed_names()
    assert drawn <= exposed, drawn - exposed
    assert set(REQUIRED) <= drawn, {REQUIRED[m] for m in set(REQUIRED) - drawn}


def test_kubernetes_pods_announce_their_metrics_port() -> None:
    documents = [d for d in yaml.safe_load_all((DEPLOY / "k8s" / "oms.yaml").read_text()) if d]
    deployments = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Deployment"}
    for name in PROCESSES:
        template = deployments[name]["spec"]["template"]
        annotations = template["metadata"]["annotations"]
        assert annotations["prometheus.io/port"] == str(PORTS.metrics(name))
        (main,) = template["spec"]["containers"]
        assert {"name": "metrics", "containerPort": PORTS.metrics(name)} in main["ports"]
        env = {e["name"]: e.get("value") for e in main["env"]}
        assert env[f"{name.upper()}_METRICS_PORT"] == str(PORTS.metrics(name))


def test_each_process_of_the_local_stack_gets_its_metrics_port_and_a_replica_any_free_one() -> None:
    secrets = Secrets(Path("/trust"), development_mode=True)
    assert service_env("orders", PORTS, "url", "kafka", secrets)["ORDERS_METRICS_PORT"] == "20253"
    replica = service_env("orders", PORTS, "url", "kafka", secrets, grpc_port=40123)
    assert replica["ORDERS_METRICS_PORT"] == "0"
    assert gateway_env(PORTS, "url", secrets)["GATEWAY_METRICS_PORT"] == str(
        PORTS.metrics("gateway")
    )
    woo = connector_env("woocommerce", PORTS, "url", secrets)
    assert woo["WOOCOMMERCE_METRICS_PORT"] == str(PORTS.metrics("woocommerce"))
    ports = [PORTS.metrics(name) for name in PROCESSES]
    assert len(set(ports)) == len(ports)
