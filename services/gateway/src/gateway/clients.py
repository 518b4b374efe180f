"""One long-lived channel and stub per service; every call on them has a deadline, and reads are
retried while a service restarts (gateway.calls)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.calls import CallPolicy, Deadlines
from gateway.config import Settings
from oms.audit.v1.audit_pb2_grpc import AuditServiceStub
from oms.billing.v1.billing_pb2_grpc import BillingServiceStub
from oms.catalog.v1.catalog_pb2_grpc import CatalogServiceStub
from oms.inventory.v1.inventory_pb2_grpc import InventoryServiceStub
from oms.ops.v1.dead_letters_pb2_grpc import DeadLettersServiceStub
from oms.orders.v1.customers_pb2_grpc import CustomersServiceStub
from oms.orders.v1.orders_pb2_grpc import OrdersServiceStub
from oms.orders.v1.tasks_pb2_grpc import TasksServiceStub
from oms.procurement.v1.procurement_pb2_grpc import ProcurementServiceStub
from oms.quoting.v1.quoting_pb2_grpc import QuotingServiceStub
from oms.woocommerce.v1.store_orders_pb2_grpc import StoreOrdersServiceStub
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles

SERVICES = ("catalog", "quoting", "orders", "inventory", "billing", "procurement")
# Connectors serving a small API of their own (no change log: not in SERVICES' audit).
CONNECTORS = ("woocommerce",)
CHANNELS = (*SERVICES, *CONNECTORS)
# A health check slower than this counts as not serving: the report is for a person waiting.
HEALTH_CHECK_SECONDS = 2.0


def open_service_channel(target: str, tls: TlsFiles, policy: CallPolicy) -> grpc.aio.Channel:
    """A long-lived channel to a service, presenting the gateway's certificate, whose calls
    carry the trace, the person's token and a deadline, and whose reads are tried again
    (servicekit's channel with gateway.calls' interceptor)."""
    return open_channel(target, tls, Deadlines(policy))


@dataclass
class Clients:
    channels: dict[str, grpc.aio.Channel]

    @classmethod
    def connect(cls, settings: Settings) -> Clients:
        tls, policy = settings.tls(), settings.call_policy()
        return cls(
            {
                name: open_service_channel(getattr(settings, f"{name}_target"), tls, policy)
                for name in CHANNELS
            }
        )

    @property
    def catalog(self) -> CatalogServiceStub:
        return CatalogServiceStub(self.channels["catalog"])

    @property
    def quoting(self) -> QuotingServiceStub:
        return QuotingServiceStub(self.channels["quoting"])

    @property
    def orders(self) -> OrdersServiceStub:
        return OrdersServiceStub(self.channels["orders"])

    @property
    def customers(self) -> CustomersServiceStub:
        """The customer master, served by the orders service."""
        return CustomersServiceStub(self.channels["orders"])

    @property
    def tasks(self) -> TasksServiceStub:
        """Tasks on orders, quotes and requests, served by the orders service."""
        return TasksServiceStub(self.channels["orders"])

    @property
    def inventory(self) -> InventoryServiceStub:
        return InventoryServiceStub(self.channels["inventory"])

    @property
    def billing(self) -> BillingServiceStub:
        return BillingServiceStub(self.channels["billing"])

    @property
    def procurement(self) -> ProcurementServiceStub:
        return ProcurementServiceStub(self.channels["procurement"])

    @property
    def store_orders(self) -> StoreOrdersServiceStub:
        """The store orders of the WooCommerce connector (parked ones, retried)."""
        return StoreOrdersServiceStub(self.channels["woocommerce"])

    def audit(self, service: str) -> AuditServiceStub:
        """The change log `service` keeps of its own data (every service serves one)."""
        return AuditServiceStub(self.channels[service])

    def dead_letters(self, service: str) -> DeadLettersServiceStub:
        """The dead letters of `service`'s own consumer groups (every service serves one)."""
        return DeadLettersServiceStub(self.channels[service])

    async def health(self) -> dict[str, str]:
        """Each service's answer to a health check now: SERVING, NOT_SERVING, ..., or the gRPC
        code of the failed check (UNAVAILABLE, DEADLINE_EXCEEDED)."""

        async def status(channel: grpc.aio.Channel) -> str:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=HEALTH_CHECK_SECONDS
                )
            except grpc.aio.AioRpcError as error:
                return str(error.code().name)
            return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))

        answers = await asyncio.gather(*[status(c) for c in self.channels.values()])
        return dict(zip(self.channels, answers, strict=True))

    async def close(self) -> None:
        await asyncio.gather(*[c.close() for c in self.channels.values()])
