"""ShipmentDispatched: the shipment invoiced at its order's prices (an order made from a quote:
counted until all of it has shipped, then invoiced whole). A shipment that overtakes its order
(they travel on different topics) waits for it."""

from __future__ import annotations

from billing.application.invoicing import invoice_shipment
from billing.application.ports import INVOICES, UnitOfWork
from billing.domain.orders import Shipment


async def on_shipment_dispatched(uow: UnitOfWork, shipment: Shipment) -> None:
    """Raises CannotInvoice for a shipment that does not match its order."""
    await uow.numbers.take_turn(INVOICES)  # it may issue one: before anything is written
    await uow.orders.hold(shipment.order_id)  # else parked just as its order's copy is made
    if await uow.orders.get(shipment.order_id) is None:
        await uow.orders.park(shipment)
        return
    await invoice_shipment(uow, shipment)
