"""Billing's copy of each purchase order (PurchaseOrderIssued) and of the goods received against
it (GoodsReceived): what supplier bills are matched against, never a call to another service."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import (
    goods_receipt_lines,
    purchase_order_copies,
    purchase_order_copy_lines,
)
from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from oms.events.v1 import inventory_pb2, procurement_pb2
from pricing.money import InvalidMoney
from pricing.wire import money_from_proto


class PurchaseCopies:
    async def on_purchase_order_issued(
        self,
        session: AsyncSession,
        event: procurement_pb2.PurchaseOrderIssued,
        envelope: Envelope,
    ) -> None:
        """Keeps the order's lines by product (the contract promises one line per product;
        should a product come twice, its quantities add up at the first line's price)."""
        lines: dict[str, dict[str, Any]] = {}
        for position, line in enumerate(event.lines):
            try:
                price = money_from_proto(line.unit_price)
            except InvalidMoney as error:
                raise PoisonEvent(f"purchase order {event.purchase_order_id}: {error}") from error
            if price.currency != event.currency or line.quantity <= 0:
                raise PoisonEvent(
                    f"purchase order {event.purchase_order_id}: line {line.line_id} has "
                    f"{line.quantity} at {price}, the order is in {event.currency}"
                )
            if line.product_id in lines:
                lines[line.product_id]["quantity"] += line.quantity
                continue
            lines[line.product_id] = {
                "purchase_order_id": event.purchase_order_id,
                "product_id": line.product_id,
                "position": position,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": price.amount,
            }
        copied = await session.execute(
            insert(purchase_order_copies)
            .values(
                purchase_order_id=event.purchase_order_id,
                number=event.number,
                supplier_id=event.supplier_id,
                currency=event.currency,
                payment_terms=event.payment_terms,
            )
            .on_conflict_do_nothing()
            .returning(purchase_order_copies.c.purchase_order_id)
        )
        if copied.first() is None or not lines:
            return
        await session.execute(purchase_order_copy_lines.insert(), list(lines.values()))

    async def on_goods_received(
        self, session: AsyncSession, event: inventory_pb2.GoodsReceived, envelope: Envelope
    ) -> None:
        """Counts goods received against a purchase order, once per receipt (even one that
        arrives before the order's copy)."""
        if not event.purchase_order_id:
            return
        quantities: dict[str, int] = {}
        for line in event.lines:
            quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
        if not quantities:
            return
        await session.execute(
            insert(goods_receipt_lines)
            .values(
                [
                    {
                        "receipt_id": event.receipt_id,
                        "product_id": product_id,
                        "purchase_order_id": event.purchase_order_id,
                        "quantity": quantity,
                    }
                    for product_id, quantity in quantities.items()
                ]
            )
            .on_conflict_do_nothing()
        )
