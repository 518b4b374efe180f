"""One long-lived channel and stub per service."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.config import Settings
from oms.audit.v1.audit_pb2_grpc import AuditServiceStub
from oms.billing.v1.billing_pb2_grpc import BillingServiceStub
from oms.catalog.v1.catalog_pb2_grpc import CatalogServiceStub
from oms.inventory.v1.inventory_pb2_grpc import InventoryServiceStub
from oms.orders.v1.customers_pb2_grpc import CustomersServiceStub
from oms.orders.v1.orders_pb2_grpc import OrdersServiceStub
from oms.procurement.v1.procurement_pb2_grpc import ProcurementServiceStub
from oms.quoting.v1.quoting_pb2_grpc import QuotingServiceStub
from servicekit.grpc import open_channel

SERVICES = ("catalog", "quoting", "orders", "inventory", "billing", "procurement")


@dataclass
class Clients:
    channels: dict[str, grpc.aio.Channel]

    @classmethod
    def connect(cls, settings: Settings) -> Clients:
        tls = settings.tls()
        return cls(
            {name: open_channel(getattr(settings, f"{name}_target"), tls) for name in SERVICES}
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
    def inventory(self) -> InventoryServiceStub:
        return InventoryServiceStub(self.channels["inventory"])

    @property
    def billing(self) -> BillingServiceStub:
        return BillingServiceStub(self.channels["billing"])

    @property
    def procurement(self) -> ProcurementServiceStub:
        return ProcurementServiceStub(self.channels["procurement"])

    def audit(self, service: str) -> AuditServiceStub:
        """The change log `service` keeps of its own data (every service serves one)."""
        return AuditServiceStub(self.channels[service])

    async def unhealthy(self) -> list[str]:
        """The services that do not answer SERVING now."""

        async def serving(channel: grpc.aio.Channel) -> bool:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=2
                )
            except grpc.aio.AioRpcError:
                return False
            return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)

        answers = await asyncio.gather(*[serving(c) for c in self.channels.values()])
        return [name for name, ok in zip(self.channels, answers, strict=True) if not ok]

    async def close(self) -> None:
        await asyncio.gather(*[c.close() for c in self.channels.values()])
