"""Stock out and shipments back, put together (beside bootstrap, outside the layers): with a
broker and the connector's certificate, a consumer of inventory's levels and shipments and of
orders' status changes, and the loop that flushes pending stock pushes to the stores."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

from messaging.kafka import KafkaAccess
from messaging.runtime import Housekeeping, start_messaging
from servicehost.periodic import every
from servicekit.db import Database
from servicekit.metrics import Metrics
from woocommerce.adapters.catalog_client import GrpcSkuCatalog, UnconnectedCatalog
from woocommerce.adapters.secrets import SecretBox
from woocommerce.adapters.stock import SqlStockUnitOfWork
from woocommerce.adapters.tables import messaging_tables
from woocommerce.adapters.woo_writes import WooWriteApi
from woocommerce.application.commands.push_stock import flush_stock
from woocommerce.application.stock_ports import ProductSkus, StockUnits
from woocommerce.config import Settings
from woocommerce.entrypoints.subscriptions import Reactions

NAME = "woocommerce"
Loop = Callable[[], Coroutine[Any, Any, None]]
log = logging.getLogger(__name__)


def _skus(settings: Settings) -> ProductSkus:
    tls = settings.tls()
    if settings.catalog_target and tls is not None:
        return GrpcSkuCatalog(settings.catalog_target, tls)
    return UnconnectedCatalog()


async def _flush(units: StockUnits, api: WooWriteApi, skus: ProductSkus) -> int:
    return await flush_stock(units, api, skus, datetime.now(UTC))


@asynccontextmanager
async def stock_out(
    settings: Settings, database: Database, box: SecretBox, metrics: Metrics | None = None
) -> AsyncIterator[list[Loop]]:
    """The loops to run beside the connector's own; none without a broker and certificate."""
    tls = settings.tls()
    if not settings.kafka_bootstrap_servers or tls is None:
        log.info("no broker configured: stock and shipments are not pushed to the stores")
        yield []
        return
    api = WooWriteApi()
    units = partial(SqlStockUnitOfWork, database, box)
    reactions = Reactions(box, api, settings.stock_push_delay_seconds)
    try:
        async with start_messaging(
            source=NAME,
            publishes=[],
            subscriptions=reactions.subscriptions(),
            tables=messaging_tables,
            database=database,
            kafka=KafkaAccess.of(settings.kafka_bootstrap_servers, tls),
            partitions=settings.topic_partitions,
            namespace=settings.topic_namespace,
            housekeeping=Housekeeping.of(settings),
            metrics=metrics,
            # Nothing here is on the order-to-cash path (stock pushes wait for
            # stock_push_delay_seconds anyway): the group reads other channels' events too, and
            # gathering them for up to half a second saves waking for each alone.
            gather_ms=500,
        ) as loops:
            flush = partial(_flush, units, api, _skus(settings))
            yield [*loops, every(settings.stock_push_interval_seconds, flush, f"{NAME}-stock")]
    finally:
        await api.close()
