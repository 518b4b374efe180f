"""Hosts one service process: migrate its database, run its outbox relay and consumer, serve its
gRPC API, and stop cleanly on SIGTERM. Each service only describes itself in a `ServiceSpec`."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import MetaData, Table

from messaging.consumer import Subscription
from messaging.dead_letters_api import (
    DEAD_LETTERS_ACCESS,
    DEAD_LETTERS_SERVICE_NAME,
    DeadLetterDesk,
    DeadLettersServicer,
)
from messaging.kafka import KafkaAccess
from messaging.outbox import Outbox
from messaging.runtime import ConsumerGroup, Housekeeping, MessagingTables, start_messaging
from oms.audit.v1 import audit_pb2_grpc
from oms.ops.v1 import dead_letters_pb2_grpc
from servicehost.runtime import run_until_stopped
from servicekit.access import AccessTable
from servicekit.audit import AUDIT_ACCESS, AUDIT_SERVICE_NAME, AuditLog, AuditServicer
from servicekit.auth import UnsafeKey
from servicekit.config import ServiceSettings
from servicekit.db import Database, migrate
from servicekit.grpc import Registration, start_server
from servicekit.health import HealthCheck
from servicekit.metrics import GrpcServerMetrics, Metrics, serve_metrics, watch_pool
from servicekit.telemetry import configure_logging, configure_tracing

log = logging.getLogger(__name__)


@dataclass
class Wiring:
    """What a service exposes once its resources exist."""

    registrations: Sequence[Registration]
    # Who may call each RPC of each registered gRPC service (servicekit.access).
    access: Sequence[AccessTable]
    subscriptions: Sequence[Subscription[Any]] = field(default_factory=list)
    # The service's other consumer groups (read models fed by events), each with its own inbox.
    groups: Sequence[ConsumerGroup] = field(default_factory=list)
    # Periodic work of the service's own (e.g. expiring quotes), run and stopped with the rest.
    loops: Sequence[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    # The service's own gauges (e.g. its saga's states, servicekit.metrics.count_states).
    gauges: Sequence[Callable[[Metrics], None]] = field(default_factory=list)


@dataclass
class ServiceSpec:
    name: str
    alembic_ini: Path
    metadata: MetaData
    tables: MessagingTables
    # The service's change log (servicekit.audit), served by the shared AuditService.
    audit_log: Table
    publishes: Sequence[type[Message]]
    grpc_service_names: Sequence[str]
    # Builds the servicers and event handlers from the resources the host created.
    wire: Callable[[Database, Outbox, ServiceSettings], Wiring]


def _shared_apis(
    spec: ServiceSpec, database: Database, desk: DeadLetterDesk
) -> tuple[list[Registration], list[str]]:
    """What every service serves beside its own API: its change log (AuditService) and, for
    admins, the dead letters of its own consumer groups (DeadLettersService)."""
    audit = AuditServicer(spec.name, database, AuditLog(spec.audit_log))
    letters = DeadLettersServicer(desk)
    return [
        (audit_pb2_grpc.add_AuditServiceServicer_to_server, audit),
        (dead_letters_pb2_grpc.add_DeadLettersServiceServicer_to_server, letters),
    ], [AUDIT_SERVICE_NAME, DEAD_LETTERS_SERVICE_NAME]


async def serve(spec: ServiceSpec, settings: ServiceSettings) -> None:
    configure_logging(spec.name, settings.log_level, settings.log_dir)
    configure_tracing(spec.name)
    # before anything else: refuses unsafe token keys outside development mode
    verifier = settings.token_verifier()
    tls = settings.tls()
    await migrate(spec.alembic_ini, settings.database_url)
    database = Database(settings.database_url, settings.database_pool_size)
    outbox = Outbox(spec.tables.outbox, spec.name, settings.topic_namespace)
    wiring = spec.wire(database, outbox, settings)
    access = settings.access([*wiring.access, AUDIT_ACCESS, DEAD_LETTERS_ACCESS], verifier)
    kafka = KafkaAccess.of(settings.kafka_bootstrap_servers, tls)
    desk = DeadLetterDesk(kafka)  # the dead letters of the service's own consumer groups
    shared, shared_names = _shared_apis(spec, database, desk)
    metrics = Metrics()
    watch_pool(metrics, database.engine)
    for gauge in wiring.gauges:
        gauge(metrics)
    scrapes = await serve_metrics(metrics, settings.metrics_host, settings.metrics_port)
    health_checks: list[HealthCheck] = []  # filled by start_messaging (a stalled consumer)
    try:
        async with start_messaging(
            source=spec.name,
            publishes=spec.publishes,
            subscriptions=wiring.subscriptions,
            tables=spec.tables,
            database=database,
            kafka=kafka,
            partitions=settings.topic_partitions,
            namespace=settings.topic_namespace,
            housekeeping=Housekeeping.of(settings),
            metrics=metrics,
            health=health_checks,
            groups=wiring.groups,
            desk=desk,
        ) as loops:
            server = await start_server(
                [*wiring.registrations, *shared],
                [*spec.grpc_service_names, *shared_names],
                host=settings.grpc_host,
                port=settings.grpc_port,
                tls=tls,
                access=access,
                health_port=settings.health_port,
                metrics=GrpcServerMetrics(metrics),
                health_checks=health_checks,
            )
            log.info("%s ready", spec.name)
            # What is loaded and wired by now lives as long as the process: frozen, the
            # collector's full passes skip it instead of walking every module, table and
            # compiled statement again each time the objects of requests and events pile up.
            gc.freeze()
            await run_until_stopped(server, [*loops, *wiring.loops])
    finally:
        if scrapes:
            scrapes.close()
        await database.dispose()


def run(spec: ServiceSpec, settings: ServiceSettings) -> None:
    """Entry point of `python -m <service>`."""
    import uvloop

    try:
        uvloop.run(serve(spec, settings))
    except UnsafeKey as error:
        sys.exit(f"{spec.name} refuses to start: {error}")
