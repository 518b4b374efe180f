"""What inventory does about each event it consumes: the event's message as the reaction's
input, run in the consumer's transaction (with the event's inbox claim), so the reaction's
changes and the events they cause commit together, once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from inventory.application.commands.expect_goods import ExpectGoods
from inventory.application.ports import UnitOfWork
from inventory.application.reactions.on_purchase_order_issued import on_purchase_order_issued
from inventory.application.reactions.on_purchase_order_reduced import (
    PurchaseOrderReduced,
    on_purchase_order_reduced,
)
from inventory.application.reactions.on_return_authorized import (
    ReturnAuthorized,
    on_return_authorized,
)
from inventory.application.reactions.on_sales_order_approved import (
    OrderApproved,
    on_sales_order_approved,
)
from inventory.application.reactions.on_sales_order_cancelled import on_sales_order_cancelled
from inventory.application.reactions.on_sales_order_hold_changed import (
    HoldChanged,
    on_sales_order_hold_changed,
)
from inventory.application.reactions.on_sales_order_lines_changed import (
    LinesChanged,
    on_sales_order_lines_changed,
)
from inventory.application.reactions.on_sales_order_placed import (
    OrderPlaced,
    on_sales_order_placed,
)
from inventory.application.rules import ReservationRules
from inventory.domain.events import ShippedLine
from inventory.domain.receipt import CancelledLine
from inventory.domain.reservation import OrderedLine
from messaging.consumer import PoisonEvent, Subscription
from messaging.envelope import Envelope
from oms.events.v1 import orders_pb2, procurement_pb2
from servicekit.db import Transaction
from servicekit.errors import InvalidArgument, NotFound

# A unit of work in the consumer's transaction.
Joining = Callable[[Transaction], UnitOfWork]


def _lines(lines: Iterable[orders_pb2.SalesOrderLine]) -> list[OrderedLine]:
    return [OrderedLine(x.line_id, x.product_id, x.sku, x.quantity) for x in lines]


class Reactions:
    """The consumer's handlers: (session, event, envelope) -> the reaction."""

    def __init__(self, join: Joining, rules: ReservationRules) -> None:
        self.join = join
        self.rules = rules

    def subscriptions(self) -> list[Subscription[Any]]:
        return [
            Subscription(orders_pb2.SalesOrderPlaced, self.placed),
            Subscription(orders_pb2.SalesOrderApproved, self.approved),
            Subscription(orders_pb2.SalesOrderHoldChanged, self.hold_changed),
            Subscription(orders_pb2.SalesOrderCancelled, self.cancelled),
            Subscription(orders_pb2.SalesOrderLinesChanged, self.lines_changed),
            Subscription(orders_pb2.ReturnAuthorized, self.return_authorized),
            Subscription(procurement_pb2.PurchaseOrderIssued, self.purchase_order_issued),
            Subscription(procurement_pb2.PurchaseOrderReduced, self.purchase_order_reduced),
        ]

    async def placed(
        self, session: Transaction, event: orders_pb2.SalesOrderPlaced, envelope: Envelope
    ) -> None:
        # The event's time is the placement time: backorders are filled in that order.
        order = OrderPlaced(event.order_id, _lines(event.lines), envelope.time, event.channel)
        await on_sales_order_placed(self.join(session), order, self.rules)

    async def approved(
        self, session: Transaction, event: orders_pb2.SalesOrderApproved, envelope: Envelope
    ) -> None:
        await on_sales_order_approved(
            self.join(session), OrderApproved(event.order_id, envelope.time)
        )

    async def hold_changed(
        self, session: Transaction, event: orders_pb2.SalesOrderHoldChanged, envelope: Envelope
    ) -> None:
        changed = HoldChanged(event.order_id, event.on_hold, event.reason)
        await on_sales_order_hold_changed(self.join(session), changed)

    async def cancelled(
        self, session: Transaction, event: orders_pb2.SalesOrderCancelled, envelope: Envelope
    ) -> None:
        await on_sales_order_cancelled(self.join(session), event.order_id)

    async def lines_changed(
        self, session: Transaction, event: orders_pb2.SalesOrderLinesChanged, envelope: Envelope
    ) -> None:
        changed = LinesChanged(event.order_id, _lines(event.lines))
        await on_sales_order_lines_changed(self.join(session), changed, self.rules)

    async def return_authorized(
        self, session: Transaction, event: orders_pb2.ReturnAuthorized, envelope: Envelope
    ) -> None:
        lines = [ShippedLine(x.line_id, x.product_id, x.quantity) for x in event.lines]
        authorized = ReturnAuthorized(
            event.return_id, event.order_id, event.reason, lines, envelope.time
        )
        await on_return_authorized(self.join(session), authorized)

    async def purchase_order_issued(
        self, session: Transaction, event: procurement_pb2.PurchaseOrderIssued, envelope: Envelope
    ) -> None:
        lines = [(x.product_id, int(x.quantity)) for x in event.lines]
        issued = ExpectGoods(event.purchase_order_id, event.warehouse_id, lines)
        try:
            await on_purchase_order_issued(self.join(session), issued)
        except (InvalidArgument, NotFound) as error:  # it never will apply: set it aside
            raise PoisonEvent(f"purchase order {event.number}: {error}") from error

    async def purchase_order_reduced(
        self,
        session: Transaction,
        event: procurement_pb2.PurchaseOrderReduced,
        envelope: Envelope,
    ) -> None:
        lines = tuple(
            CancelledLine(x.product_id, int(x.quantity), int(x.cancelled)) for x in event.lines
        )
        reduced = PurchaseOrderReduced(
            event.purchase_order_id, event.warehouse_id, lines, event.reason
        )
        await on_purchase_order_reduced(self.join(session), reduced)
