"""The one place the connector is put together: its database (migrated at start), the unit of
work over it with the secrets key, the store's REST API, the catalog, the webhook door, the store
orders API (gRPC, when given a port and TLS) and the two loops (the delivery worker and the
reconciliation pull), run and stopped together through servicehost's runtime."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial

from oms.woocommerce.v1 import store_orders_pb2_grpc
from servicehost.packaged import alembic_ini
from servicehost.periodic import every
from servicehost.runtime import run_until_stopped
from servicekit.access import Access
from servicekit.auth import UnsafeKey
from servicekit.db import Database, migrate
from servicekit.grpc import GrpcServers, start_server
from servicekit.metrics import (
    GrpcServerMetrics,
    HttpServerMetrics,
    Metrics,
    serve_metrics,
    watch_pool,
)
from servicekit.telemetry import configure_logging, configure_tracing
from woocommerce.adapters.catalog_client import GrpcSkuCatalog, UnconnectedCatalog
from woocommerce.adapters.sales_channel import GrpcSalesChannel, UnconnectedSalesChannel
from woocommerce.adapters.secrets import SecretBox
from woocommerce.adapters.unit_of_work import SqlUnitOfWork
from woocommerce.adapters.woo_rest import WooRestApi
from woocommerce.application.commands.process_deliveries import (
    finish_waiting_orders,
    process_deliveries,
)
from woocommerce.application.commands.pull_orders import pull_every_store
from woocommerce.application.commands.sync_sales_orders import sync_sales_orders
from woocommerce.application.ports import SkuCatalog, UnitsOfWork
from woocommerce.application.sales_ports import SalesChannel, SalesUnitsOfWork
from woocommerce.config import Settings
from woocommerce.entrypoints.access import ACCESS
from woocommerce.entrypoints.grpc_server import StoreOrdersServicer
from woocommerce.entrypoints.http_server import HttpServer
from woocommerce.entrypoints.webhook_app import webhook_app
from woocommerce.stock_out import stock_out

NAME = "woocommerce"
ALEMBIC_INI = alembic_ini(NAME)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connector:
    units: UnitsOfWork
    api: WooRestApi
    catalog: SkuCatalog
    sales: SalesChannel
    # for stock out's own units of work (stock_out.py)
    database: Database
    box: SecretBox


def sales_channel_of(settings: Settings) -> SalesChannel:
    tls = settings.tls()
    if settings.orders_target and settings.billing_target and tls is not None:
        return GrpcSalesChannel(settings.orders_target, settings.billing_target, tls)
    return UnconnectedSalesChannel()


def catalog_of(settings: Settings) -> SkuCatalog:
    tls = settings.tls()
    if settings.catalog_target and tls is not None:
        return GrpcSkuCatalog(settings.catalog_target, tls)
    return UnconnectedCatalog()


@asynccontextmanager
async def connector(settings: Settings) -> AsyncIterator[Connector]:
    """The connector's resources on a migrated database, released when the block ends (the
    service and its CLI both use it)."""
    box = SecretBox(settings.sealing_key())
    await migrate(ALEMBIC_INI, settings.database_url)
    database = Database(settings.database_url, pool_size=5)
    api = WooRestApi()
    try:
        yield Connector(
            partial(SqlUnitOfWork, database, box),
            api,
            catalog_of(settings),
            sales_channel_of(settings),
            database,
            box,
        )
    finally:
        await api.close()
        await database.dispose()


async def _work(parts: Connector) -> int:
    done = await process_deliveries(parts.units, parts.api, parts.catalog)
    done += await finish_waiting_orders(parts.units, parts.catalog)
    units: SalesUnitsOfWork = parts.units  # type: ignore[assignment]  # SqlUnitOfWork has customers
    return done + await sync_sales_orders(units, parts.api, parts.catalog, parts.sales)


@dataclass(frozen=True)
class Servers:
    """The webhook door and the store orders API, stopped together (servicehost's Stoppable)."""

    http: HttpServer
    grpc: GrpcServers | None

    async def stop(self, grace: float | None) -> None:
        await asyncio.gather(self.http.stop(grace), *([self.grpc.stop(grace)] if self.grpc else []))


async def start_store_orders_api(
    settings: Settings, access: Access | None, units: UnitsOfWork, metrics: Metrics
) -> GrpcServers | None:
    """The store orders API on its port with mutual TLS and its access table; None (not served)
    while the port or the TLS files are unset."""
    tls = settings.tls()
    if access is None or settings.grpc_port is None:
        return None
    if tls is None:
        log.warning("%s: WOOCOMMERCE_GRPC_PORT is set without the TLS files: not served", NAME)
        return None
    servicer = StoreOrdersServicer(units)
    return await start_server(
        [(store_orders_pb2_grpc.add_StoreOrdersServiceServicer_to_server, servicer)],
        [ACCESS.service],
        host=settings.grpc_host,
        port=settings.grpc_port,
        tls=tls,
        access=access,
        health_port=settings.health_port,
        metrics=GrpcServerMetrics(metrics),
    )


async def serve(settings: Settings) -> None:
    configure_logging(NAME, settings.log_level, settings.log_dir)
    configure_tracing(NAME)
    # before anything else: refuses unsafe token keys outside development mode
    access = settings.access([ACCESS]) if settings.grpc_port is not None else None
    metrics = Metrics()
    async with (
        connector(settings) as parts,
        stock_out(settings, parts.database, parts.box, metrics) as stock_loops,
    ):
        watch_pool(metrics, parts.database.engine)
        scrapes = await serve_metrics(metrics, settings.metrics_host, settings.metrics_port)
        app = webhook_app(parts.units, settings.max_body_bytes)
        app.add_middleware(HttpServerMetrics, metrics=metrics)
        http = HttpServer(app, settings.http_host, settings.http_port)
        await http.start()
        api = await start_store_orders_api(settings, access, parts.units, metrics)
        server = Servers(http, api)
        work = partial(_work, parts)
        pull = partial(pull_every_store, parts.units, parts.api, parts.catalog)
        loops = [
            every(settings.worker_interval_seconds, work, f"{NAME}-deliveries"),
            every(settings.pull_interval_seconds, pull, f"{NAME}-pull"),
            *stock_loops,
        ]
        log.info(
            "%s ready on ports %s (http), %s (grpc)", NAME, settings.http_port, settings.grpc_port
        )
        try:
            await run_until_stopped(server, loops)
        finally:
            if scrapes is not None:
                scrapes.close()


def run(settings: Settings) -> None:
    """Entry point of `python -m woocommerce`."""
    import uvloop

    try:
        uvloop.run(serve(settings))
    except UnsafeKey as error:
        sys.exit(f"{NAME} refuses to start: {error}")
