"""`make run`: PostgreSQL, Kafka, every service and the gateway, until Ctrl-C.

State (databases, the broker's log, process logs) is kept in .run/ and reused by the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import time

from devstack.kafka import KafkaBroker
from devstack.kafka_acls import provision
from devstack.paths import RUN
from devstack.pki import OPERATOR, Pki
from devstack.postgres import PostgresCluster
from devstack.process import port_in_use
from devstack.supervisor import Respawn, Stack
from devstack.topology import BUSINESS_SERVICES, CONNECTORS, Ports, Secrets


def _refuse_taken_ports(ports: Ports) -> None:
    wanted = [ports.gateway, ports.web, ports.kafka, *(ports.grpc(s) for s in BUSINESS_SERVICES)]
    wanted += [port for c in CONNECTORS for port in (ports.http(c), ports.connector_grpc(c))]
    taken = [port for port in wanted if port_in_use(port)]
    if taken:
        raise SystemExit(
            f"ports {', '.join(map(str, taken))} are in use: is another `make run` running?"
            " (or start this one elsewhere with OMS_PORT_OFFSET=100)"
        )


async def run(ports: Ports) -> None:
    _refuse_taken_ports(ports)
    began = time.monotonic()
    logs = RUN / "logs"
    print("starting PostgreSQL...", flush=True)
    if os.environ.get("DATABASE_URL"):
        postgres = PostgresCluster.external(os.environ["DATABASE_URL"])
    else:
        postgres = await asyncio.to_thread(PostgresCluster.private, RUN / "pgdata", ports.postgres)
    await postgres.wait_ready()
    print(f"  PostgreSQL ready in {time.monotonic() - began:.1f}s", flush=True)
    pki = Pki(RUN / "pki").ensure()
    print("starting Kafka (mutual TLS, ACLs)...", flush=True)
    kafka = KafkaBroker(RUN / "kafka", ports.kafka, ports.kafka_controller, pki)
    # Development mode: the published development token keys, so `make token` works. Every
    # connection is still mutual TLS with certificates from the CA made in .run/pki.
    secrets = Secrets(pki.folder, development_mode=True)
    # a process that exits is started again (with backoff), as compose's restart policy does
    stack = Stack(postgres, kafka.bootstrap, ports, logs, secrets, kafka=kafka, respawn=Respawn())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        kafka_began = time.monotonic()  # the JVM takes seconds: say how many it took
        await asyncio.to_thread(kafka.start)
        await provision(kafka.operator())
        print(f"  Kafka ready in {time.monotonic() - kafka_began:.1f}s", flush=True)
        print("starting services...", flush=True)
        await stack.start_all(progress=True)
        state = {
            "kafka_bootstrap": kafka.bootstrap,
            "pg_admin_url": postgres.admin_url,
            "pki": str(pki.folder),
            "operator_tls": {
                "ca": str(pki.ca_file),
                "cert": str(pki.files(OPERATOR).cert),
                "key": str(pki.files(OPERATOR).key),
            },
            "gateway": stack.gateway_url,
            "web": stack.web_url,
            "grpc": {s: ports.grpc(s) for s in BUSINESS_SERVICES},
        }
        (RUN / "stack.json").write_text(json.dumps(state, indent=2))
        _print_banner(stack, ports, time.monotonic() - began)
        await stack.supervise(stop)
    finally:
        print("\nstopping...", flush=True)
        await stack.stop_processes()
        await asyncio.to_thread(kafka.stop)
        await asyncio.to_thread(postgres.stop)
        (RUN / "stack.json").unlink(missing_ok=True)
        print("stopped", flush=True)


def _print_banner(stack: Stack, ports: Ports, seconds: float) -> None:
    print(f"\nready in {seconds:.1f}s", flush=True)
    print(f"  REST API   {stack.gateway_url}/api/v1   (docs {stack.gateway_url}/docs)")
    print(f"  web pages  {stack.web_url}/   (first admin: make web-admin ADMIN=you)")
    for service in BUSINESS_SERVICES:
        print(f"  gRPC       {service:<12} 127.0.0.1:{ports.grpc(service)}")
    for connector in CONNECTORS:
        door = f"http://127.0.0.1:{ports.http(connector)}/webhooks/<store>"
        print(f"  webhooks   {connector:<12} {door}")
        print(f"  gRPC       {connector:<12} 127.0.0.1:{ports.connector_grpc(connector)}")
    print(f"  Kafka      {stack.kafka_bootstrap}")
    print(f"  PostgreSQL {stack.postgres.admin_url}")
    print(f"  logs       {stack.log_dir}/")
    doors = ", ".join(f"{n} {ports.metrics(n)}" for n in ("gateway", *CONNECTORS))
    print(f"  metrics    http://127.0.0.1:<port>/metrics: {doors}, each service its gRPC + 200")
    print(f"  certs      {stack.secrets.pki_dir}/ (gRPC and Kafka need one: see README)")
    print("  token      make -s token ROLE=admin")
    print("  events     .venv/bin/python -m devstack.kafka console-consumer "
          "--topic oms.orders.sales-order.v1 --from-beginning")  # fmt: skip
    print("Ctrl-C stops everything.", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack")
    parser.add_argument("command", choices=["run"])
    parser.add_argument(
        "--port-offset", type=int, default=int(os.environ.get("OMS_PORT_OFFSET", "0"))
    )
    args = parser.parse_args()
    # the supervisor's notices (a process exited, started again) on the terminal
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    asyncio.run(run(Ports(args.port_offset)))


if __name__ == "__main__":
    main()
