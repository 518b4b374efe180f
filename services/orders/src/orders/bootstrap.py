"""The one place the orders service is put together: the adapters built on what the service host
made (database, outbox), handed to the use cases through the entrypoints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from messaging.outbox import Outbox
from oms.orders.v1 import (
    customers_pb2,
    customers_pb2_grpc,
    orders_pb2,
    orders_pb2_grpc,
    tasks_pb2,
    tasks_pb2_grpc,
)
from orders.adapters.catalog_client import GrpcCatalog
from orders.adapters.events import PUBLISHED
from orders.adapters.tables import audit_log, messaging_tables, metadata, sales_orders
from orders.adapters.unit_of_work import SqlUnitsOfWork
from orders.application.commands.stall_waiting_orders import stall_waiting_orders
from orders.application.pipeline_cache import PipelineCache
from orders.application.ports import Deps
from orders.config import Settings
from orders.entrypoints.access import CUSTOMERS_ACCESS, ORDERS_ACCESS, TASKS_ACCESS
from orders.entrypoints.activity import activity_group
from orders.entrypoints.customers_grpc import CustomersServicer
from orders.entrypoints.grpc_server import OrdersServicer
from orders.entrypoints.stalled import Redriver
from orders.entrypoints.subscriptions import Subscriptions
from orders.entrypoints.tasks_grpc import TasksServicer
from servicehost.host import ServiceSpec, Wiring
from servicehost.packaged import alembic_ini
from servicehost.periodic import every
from servicekit.config import ServiceSettings
from servicekit.db import Database
from servicekit.metrics import count_states

# The consumer group messaging.runtime gives the orders service (its inbox rows name it).
CONSUMER = "oms.orders"


def now() -> datetime:
    return datetime.now(UTC)


def wire(database: Database, outbox: Outbox, settings: ServiceSettings) -> Wiring:
    assert isinstance(settings, Settings)
    units = SqlUnitsOfWork(database, outbox)
    redrive = Redriver(database, messaging_tables.inbox, CONSUMER)
    deps = Deps(
        unit_of_work=units,
        catalog=GrpcCatalog(settings.catalog_target, settings.tls()),
        pipelines=PipelineCache(),
        clock=now,
        reporting_currency=settings.reporting_currency,
        redrive=redrive,
        stall_after=timedelta(seconds=settings.saga_stall_after_seconds),
    )
    subscriptions = Subscriptions(deps, units).all()
    redrive.bind(subscriptions)

    status = sales_orders.c.status

    async def stall() -> int:
        return await stall_waiting_orders(deps)

    return Wiring(
        registrations=[
            (orders_pb2_grpc.add_OrdersServiceServicer_to_server, OrdersServicer(deps)),
            (customers_pb2_grpc.add_CustomersServiceServicer_to_server, CustomersServicer(deps)),
            (tasks_pb2_grpc.add_TasksServiceServicer_to_server, TasksServicer(deps)),
        ],
        access=[ORDERS_ACCESS, CUSTOMERS_ACCESS, TASKS_ACCESS],
        subscriptions=subscriptions,
        # the activity journal, a read model of every event that names an order
        groups=[activity_group()],
        loops=[every(settings.saga_stall_check_seconds, stall, "saga deadline")],
        # order-to-cash: how many sales orders stand in each status
        gauges=[partial(count_states, database=database, saga="sales_order", status=status)],
    )


SPEC = ServiceSpec(
    name="orders",
    alembic_ini=alembic_ini("orders"),
    metadata=metadata,
    tables=messaging_tables,
    audit_log=audit_log,
    publishes=PUBLISHED,
    grpc_service_names=[
        orders_pb2.DESCRIPTOR.services_by_name["OrdersService"].full_name,
        customers_pb2.DESCRIPTOR.services_by_name["CustomersService"].full_name,
        tasks_pb2.DESCRIPTOR.services_by_name["TasksService"].full_name,
    ],
    wire=wire,
)
