"""The events procurement consumes, each as its reaction's plain input, run in the consumer's
transaction (with the inbox row): goods received (inventory), low stock (inventory), the
supplier's bill recorded, released and paid (billing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from messaging.consumer import PoisonEvent, Subscription
from messaging.envelope import Envelope
from oms.events.v1 import billing_pb2, inventory_pb2
from procurement.application.ports import Clock, UnitOfWork, UnusableEvent
from procurement.application.reactions.on_bill_paid import BillPaid, on_bill_paid
from procurement.application.reactions.on_bill_recorded import BillRecorded, on_bill_recorded
from procurement.application.reactions.on_bill_released import BillReleased, on_bill_released
from procurement.application.reactions.on_goods_received import GoodsReceived, on_goods_received
from procurement.application.reactions.on_low_stock import LowStock, on_low_stock
from servicekit.db import Transaction


class Reactions:
    def __init__(self, joining: Callable[[Transaction], UnitOfWork], clock: Clock) -> None:
        self.joining = joining
        self.clock = clock

    def subscriptions(self) -> list[Subscription[Any]]:
        return [
            Subscription(inventory_pb2.GoodsReceived, self.goods_received),
            Subscription(inventory_pb2.LowStock, self.low_stock),
            Subscription(billing_pb2.BillRecorded, self.bill_recorded),
            Subscription(billing_pb2.BillReleased, self.bill_released),
            Subscription(billing_pb2.BillPaid, self.bill_paid),
        ]

    async def goods_received(
        self, session: Transaction, event: inventory_pb2.GoodsReceived, envelope: Envelope
    ) -> None:
        lines = tuple((line.product_id, line.quantity) for line in event.lines)
        received = GoodsReceived(
            event.receipt_id, event.purchase_order_id, event.warehouse_id, lines
        )
        await on_goods_received(self.joining(session), self.clock, received)

    async def low_stock(
        self, session: Transaction, event: inventory_pb2.LowStock, envelope: Envelope
    ) -> None:
        low = LowStock(event.product_id, event.warehouse_id, event.available)
        try:
            await on_low_stock(self.joining(session), self.clock, low)
        except UnusableEvent as error:
            raise PoisonEvent(str(error)) from error

    async def bill_recorded(
        self, session: Transaction, event: billing_pb2.BillRecorded, envelope: Envelope
    ) -> None:
        lines = tuple((line.product_id, line.quantity) for line in event.lines)
        recorded = BillRecorded(event.bill_id, event.purchase_order_id, event.status, lines)
        await on_bill_recorded(self.joining(session), self.clock, recorded)

    async def bill_released(
        self, session: Transaction, event: billing_pb2.BillReleased, envelope: Envelope
    ) -> None:
        released = BillReleased(event.bill_id, event.purchase_order_id)
        await on_bill_released(self.joining(session), self.clock, released)

    async def bill_paid(
        self, session: Transaction, event: billing_pb2.BillPaid, envelope: Envelope
    ) -> None:
        paid = BillPaid(event.bill_id, event.purchase_order_id)
        await on_bill_paid(self.joining(session), self.clock, paid)
