"""The procurement service running in-process on its own database and topic namespace."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import grpc
import pytest

from oms.procurement.v1 import procurement_pb2_grpc
from procurement.bootstrap import SPEC
from procurement.config import Settings
from testkit.services import free_port, namespace, running


@dataclass
class Procurement:
    stub: procurement_pb2_grpc.ProcurementServiceStub
    namespace: str
    database_url: str
    # The channel the stub uses (as the gateway), and where the service listens.
    channel: grpc.aio.Channel
    target: str


@pytest.fixture
async def procurement(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Procurement]:
    settings = Settings(
        database_url=await fresh_database("procurement"),
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=namespace(),
    )
    async with running(SPEC, settings) as channel:
        yield Procurement(
            procurement_pb2_grpc.ProcurementServiceStub(channel),
            settings.topic_namespace,
            settings.database_url,
            channel,
            f"127.0.0.1:{settings.grpc_port}",
        )
