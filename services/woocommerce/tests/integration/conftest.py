"""The connector on its own PostgreSQL database (a private server, or OMS_TEST_PG_URL's), its
webhook door served over HTTP, and the WooCommerce stand-in over HTTP. No broker: the connector
publishes nothing yet."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from devstack.postgres import PostgresCluster
from servicekit.db import Database, migrate
from services.woocommerce.tests.fixtures import CATALOG, WEBHOOK_SECRET
from services.woocommerce.tests.standin.server import StandIn, free_port, serving
from services.woocommerce.tests.unit.fakes import FakeSkuCatalog
from woocommerce.adapters.secrets import DEVELOPMENT_KEY, SecretBox
from woocommerce.adapters.unit_of_work import SqlUnitOfWork
from woocommerce.adapters.woo_rest import WooRestApi
from woocommerce.bootstrap import ALEMBIC_INI
from woocommerce.domain.stores import Credentials, CustomerPolicy, Store, TaxRounding
from woocommerce.entrypoints.http_server import HttpServer
from woocommerce.entrypoints.webhook_app import webhook_app


@pytest.fixture(scope="session")
def woo_postgres() -> Iterator[PostgresCluster]:
    if url := os.environ.get("OMS_TEST_PG_URL"):
        yield PostgresCluster.external(url)
        return
    folder = Path(tempfile.mkdtemp(prefix="oms-woo-test-"))
    cluster = PostgresCluster.private(folder / "pgdata", free_port())
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
        if cluster.data_dir is not None:
            shutil.rmtree(cluster.data_dir, ignore_errors=True)


@pytest.fixture
async def database_url(woo_postgres: PostgresCluster) -> str:
    name = f"woocommerce_{uuid.uuid4().hex[:10]}"
    await woo_postgres.create_database(name)
    url = woo_postgres.url(name)
    await migrate(ALEMBIC_INI, url)
    return url


@dataclass
class Connector:
    units: partial[SqlUnitOfWork]
    database: Database
    api: WooRestApi
    catalog: FakeSkuCatalog
    stand_in: StandIn
    webhooks_url: str  # .../webhooks/<store id>
    store: Store


@pytest.fixture
async def connector(database_url: str) -> AsyncIterator[Connector]:
    database = Database(database_url, pool_size=2)
    units = partial(SqlUnitOfWork, database, SecretBox(DEVELOPMENT_KEY))
    api = WooRestApi(timeout=10, page_size=2)
    port = free_port()
    server = HttpServer(webhook_app(units, max_body_bytes=200_000), "127.0.0.1", port)
    await server.start()
    async with contextlib.AsyncExitStack() as stack:
        stand_in = await stack.enter_async_context(serving(StandIn()))
        store = Store(
            store_id="shop-us",
            name="US shop",
            base_url=stand_in.base_url,
            credentials=Credentials(
                stand_in.consumer_key, stand_in.consumer_secret, WEBHOOK_SECRET
            ),
            prices_include_tax=False,
            tax_rounding=TaxRounding.PER_LINE,
            warehouses=("WH-1",),
            customer_policy=CustomerPolicy.BY_EMAIL,
        )
        async with units() as uow:
            await uow.stores.add(store)
        url = f"http://127.0.0.1:{port}/webhooks/shop-us"
        for topic in ("order.created", "order.updated", "order.deleted", "order.restored"):
            stand_in.add_webhook(topic, url, WEBHOOK_SECRET)
        try:
            yield Connector(units, database, api, FakeSkuCatalog(CATALOG), stand_in, url, store)
        finally:
            await server.stop(5)
            await api.close()
            await database.dispose()
