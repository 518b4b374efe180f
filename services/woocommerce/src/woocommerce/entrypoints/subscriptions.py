"""The events the connector reads, each applied in the consumer's transaction (with its inbox
claim): inventory's available levels (stock out), its shipments and orders' status changes
(shipments back to the store), billing's invoices (paid with what the store collected) and the
catalog's products (parked orders taken up again). A store or orders that does not answer
raises: the consumer tries the event again with backoff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from messaging.consumer import Subscription
from messaging.envelope import Envelope
from oms.events.v1 import billing_pb2, catalog_pb2, inventory_pb2, orders_pb2
from servicekit.db import Transaction
from woocommerce.adapters.order_links import SqlOrderLinks
from woocommerce.adapters.orders import SqlOrders
from woocommerce.adapters.secrets import SecretBox
from woocommerce.adapters.stock import JoinedStockUnit
from woocommerce.application.commands.push_shipment import (
    completes_store_order,
    push_status,
    push_tracking,
)
from woocommerce.application.commands.push_stock import note_stock_change
from woocommerce.application.reactions.sales_events import note_invoice, note_product
from woocommerce.application.stock_ports import StockUnits, WooWrites
from woocommerce.domain.sales_orders import may_be_a_store_order


class Reactions:
    def __init__(self, box: SecretBox, api: WooWrites, push_delay: float) -> None:
        self.box = box
        self.api = api
        self.delay = timedelta(seconds=push_delay)

    def _units(self, session: Transaction) -> StockUnits:
        unit = JoinedStockUnit(session, self.box)
        joined: Callable[[], JoinedStockUnit] = lambda: unit  # noqa: E731
        return joined

    async def on_availability(
        self, session: Transaction, event: inventory_pb2.AvailabilityChanged, _: Envelope
    ) -> None:
        due_at = datetime.now(UTC) + self.delay
        await note_stock_change(
            self._units(session), event.product_id, event.warehouse_id, event.available, due_at
        )

    async def on_shipment(
        self, session: Transaction, event: inventory_pb2.ShipmentDispatched, _: Envelope
    ) -> None:
        await push_tracking(
            self._units(session),
            self.api,
            SqlOrderLinks(session),
            event.order_id,
            event.carrier,
            event.tracking_number,
        )

    async def on_status(
        self, session: Transaction, event: orders_pb2.SalesOrderStatusChanged, _: Envelope
    ) -> None:
        links = SqlOrderLinks(session)
        await push_status(self._units(session), self.api, links, event.order_id, event.to_status)

    async def on_invoice(
        self, session: Transaction, event: billing_pb2.InvoiceIssued, _: Envelope
    ) -> None:
        total = Decimal(event.total.amount or "0")
        await note_invoice(SqlOrders(session), event.order_id, event.invoice_id, event.number,
                           total)  # fmt: skip

    async def on_product(
        self,
        session: Transaction,
        event: catalog_pb2.ProductCreated | catalog_pb2.ProductChanged,
        _: Envelope,
    ) -> None:
        await note_product(SqlOrders(session), event.sku)

    def subscriptions(self) -> list[Subscription[Any]]:
        return [
            Subscription(inventory_pb2.AvailabilityChanged, self.on_availability),
            Subscription(
                inventory_pb2.ShipmentDispatched,
                self.on_shipment,
                wants=lambda event: may_be_a_store_order(event.channel),
            ),
            Subscription(
                orders_pb2.SalesOrderStatusChanged,
                self.on_status,
                wants=lambda event: (
                    completes_store_order(event.to_status) and may_be_a_store_order(event.channel)
                ),
            ),
            Subscription(
                billing_pb2.InvoiceIssued,
                self.on_invoice,
                wants=lambda event: may_be_a_store_order(event.channel),
            ),
            Subscription(catalog_pb2.ProductCreated, self.on_product),
            Subscription(catalog_pb2.ProductChanged, self.on_product),
        ]
