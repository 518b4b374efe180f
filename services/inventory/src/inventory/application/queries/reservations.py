"""ListReservations: an order's reservation ledger as the warehouse reads it, per line and
warehouse what is held, shipped and let go, what waits for stock, and whether the order may
ship; a page of lines at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from inventory.application.ports import UnitOfWork
from inventory.domain.reservation import Reservation
from servicekit.errors import InvalidArgument, NotFound
from servicekit.paging import page_after, page_limit, page_token


@dataclass(frozen=True)
class LineAllocation:
    warehouse_id: str
    reserved: int
    consumed: int
    released: int


@dataclass(frozen=True)
class LedgerLine:
    line_id: str
    product_id: str
    quantity: int
    backordered: int
    # In warehouse priority order.
    allocations: list[LineAllocation] = field(default_factory=list)


@dataclass(frozen=True)
class Ledger:
    order_id: str
    status: str
    placed_at: datetime
    lines: list[LedgerLine]
    approved: bool = False
    on_hold: bool = False
    hold_reason: str = ""
    # Empty on the last page of lines.
    next_page_token: str = ""


def _position_after(token: str) -> int:
    key = page_after(token, 1)
    if not key:
        return -1
    try:
        return int(key[0])
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error


async def list_reservations(
    uow: UnitOfWork, order_id: str, page_size: int = 0, token: str = ""
) -> Ledger:
    """The order's ledger, a page of lines at a time. NotFound for an unknown order."""
    limit = page_limit(page_size)
    after = _position_after(token)
    async with uow:
        reservation = await uow.reservations.get(order_id)
        if reservation is None:
            raise NotFound(f"no reservations for order {order_id}")
        priority = await uow.warehouses.priority()
    lines = [x for x in reservation.lines if x.position > after][: limit + 1]
    next_token = page_token(str(lines[limit - 1].position)) if len(lines) > limit else ""
    return Ledger(
        order_id,
        reservation.status.value,
        reservation.placed_at,
        [_line(reservation, x.line_id, priority) for x in lines[:limit]],
        approved=reservation.approved_at is not None,
        on_hold=reservation.on_hold,
        hold_reason=reservation.hold_reason,
        next_page_token=next_token,
    )


def _line(reservation: Reservation, line_id: str, priority: list[str]) -> LedgerLine:
    rank = {w: i for i, w in enumerate(priority)}
    line = reservation.line(line_id)
    held = sorted(
        (h for h in reservation.ledger if h.line_id == line_id),
        key=lambda h: (rank.get(h.warehouse_id, len(rank)), h.warehouse_id),
    )
    return LedgerLine(
        line.line_id,
        line.product_id,
        line.quantity,
        line.backordered,
        [LineAllocation(h.warehouse_id, h.reserved, h.consumed, h.released) for h in held],
    )
