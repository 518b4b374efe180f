"""Procurement's domain events as the protobuf events the outbox writes
(oms.events.v1.procurement), each with the key it travels under: its aggregate's id."""

from __future__ import annotations

from google.protobuf.message import Message

from oms.events.v1 import procurement_pb2 as events
from oms.types.v1.types_pb2 import Money
from pricing.wire import document_to_proto
from procurement.domain.events import (
    DomainEvent,
    PurchaseOrderIssued,
    PurchaseOrderReduced,
    PurchaseOrderStatusChanged,
    SupplierCreated,
)


def _issued(event: PurchaseOrderIssued) -> events.PurchaseOrderIssued:
    return events.PurchaseOrderIssued(
        purchase_order_id=event.purchase_order_id,
        number=event.number,
        supplier_id=event.supplier_id,
        warehouse_id=event.warehouse_id,
        currency=event.currency,
        lines=[
            events.PurchaseOrderLine(
                line_id=line.line_id,
                product_id=line.product_id,
                sku=line.sku,
                quantity=int(line.quantity),
                unit_price=Money(amount=line.unit_price, currency=event.currency),
            )
            for line in event.document.lines
        ],
        document=document_to_proto(event.document),
        expected_on=event.expected_on.isoformat(),
        payment_terms=event.payment_terms,
    )


def to_message(event: DomainEvent) -> Message:
    match event:
        case SupplierCreated():
            return events.SupplierCreated(
                supplier_id=event.supplier_id, name=event.name, currency=event.currency
            )
        case PurchaseOrderIssued():
            return _issued(event)
        case PurchaseOrderStatusChanged():
            return events.PurchaseOrderStatusChanged(
                purchase_order_id=event.purchase_order_id,
                from_status=event.from_status,
                to_status=event.to_status,
                reason=event.reason,
            )
        case PurchaseOrderReduced():
            return events.PurchaseOrderReduced(
                purchase_order_id=event.purchase_order_id,
                warehouse_id=event.warehouse_id,
                lines=[
                    events.CancelledUnits(
                        product_id=x.product_id, quantity=x.quantity, cancelled=x.cancelled
                    )
                    for x in event.lines
                ],
                reason=event.reason,
                order_cancelled=event.order_cancelled,
            )
