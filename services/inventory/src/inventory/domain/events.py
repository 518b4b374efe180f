"""What happens to stock, as facts: frozen, past tense, returned by the transitions that cause
them. The unit of work publishes them (adapters/events.py gives each its protobuf message and
key), all but `StockMoved`, which stays inside the service as a row of the stock ledger."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReservedLine:
    """Units of one order line held (or let go) in one warehouse."""

    line_id: str
    product_id: str
    warehouse_id: str
    quantity: int


@dataclass(frozen=True)
class BackorderedLine:
    """Units of one order line waiting for stock (or no longer waiting)."""

    line_id: str
    product_id: str
    quantity: int


@dataclass(frozen=True)
class Shortage:
    product_id: str
    requested: int
    available: int


@dataclass(frozen=True)
class ShippedLine:
    """Units of one order line that left with a shipment (or came back with a return)."""

    line_id: str
    product_id: str
    quantity: int


@dataclass(frozen=True)
class ReceivedLine:
    product_id: str
    quantity: int


@dataclass(frozen=True)
class StockReserved:
    order_id: str
    lines: tuple[ReservedLine, ...]


@dataclass(frozen=True)
class StockPartiallyReserved:
    order_id: str
    reserved: tuple[ReservedLine, ...]
    backordered: tuple[BackorderedLine, ...]


@dataclass(frozen=True)
class StockRejected:
    order_id: str
    reason: str
    shortages: tuple[Shortage, ...]


@dataclass(frozen=True)
class BackorderAllocated:
    order_id: str
    lines: tuple[ReservedLine, ...]
    # True when the order waits for nothing any more.
    complete: bool


@dataclass(frozen=True)
class ReservationReleased:
    order_id: str
    lines: tuple[ReservedLine, ...]
    # "cancelled", "expired" or "changed".
    reason: str
    backorders_dropped: tuple[BackorderedLine, ...]


@dataclass(frozen=True)
class ShipmentDispatched:
    shipment_id: str
    order_id: str
    warehouse_id: str
    lines: tuple[ShippedLine, ...]
    carrier: str
    tracking_number: str
    # the order's channel, so a consumer that cares for one skips the others unread
    channel: str = ""


@dataclass(frozen=True)
class ShipmentStatusChanged:
    shipment_id: str
    order_id: str
    from_status: str
    to_status: str


@dataclass(frozen=True)
class ReturnReceived:
    return_id: str
    order_id: str
    warehouse_id: str
    lines: tuple[ShippedLine, ...]


@dataclass(frozen=True)
class LowStock:
    product_id: str
    warehouse_id: str
    available: int
    reorder_point: int


@dataclass(frozen=True)
class AvailabilityChanged:
    """A level's available units changed in a transaction (their value at its end)."""

    product_id: str
    warehouse_id: str
    available: int


@dataclass(frozen=True)
class GoodsReceived:
    receipt_id: str
    purchase_order_id: str
    warehouse_id: str
    lines: tuple[ReceivedLine, ...]


# What other services hear of.
Published = (
    StockReserved
    | StockPartiallyReserved
    | StockRejected
    | BackorderAllocated
    | ReservationReleased
    | ShipmentDispatched
    | ShipmentStatusChanged
    | ReturnReceived
    | LowStock
    | GoodsReceived
    | AvailabilityChanged
)


@dataclass(frozen=True)
class StockMoved:
    """One change to a stock level, for the stock ledger (never published)."""

    warehouse_id: str
    product_id: str
    on_hand_delta: int
    reserved_delta: int
    # adjustment, reservation, release, shipment, transfer_out, transfer_in, receipt, return
    kind: str
    reason: str
    # The order, shipment, receipt or transfer the move belongs to, when there is one.
    reference: str | None = None
