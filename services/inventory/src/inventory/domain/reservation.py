"""The Reservation: one order's reservation ledger. Plain Python: no I/O.

It holds the order's lines (what each wants, what waits for stock) and, per line and warehouse,
the units reserved there now, consumed by shipments and released; whether orders approved the
order or holds it; and its status. Transitions return the events they cause. The stock levels
the units sit in are another aggregate (domain/stock.py): a use case moves both."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from inventory.domain.allocation import Demand, Fill, release_from
from inventory.domain.availability import Availability, rejection_reason, shortages
from inventory.domain.checks import MAX_REASON
from inventory.domain.events import (
    BackorderAllocated,
    BackorderedLine,
    ReservationReleased,
    ReservedLine,
    ShippedLine,
    StockPartiallyReserved,
    StockRejected,
    StockReserved,
)
from inventory.domain.line_changes import Cut, LineState, Resizing, change_line
from servicekit.errors import FailedPrecondition, Violations


class Status(StrEnum):
    OPEN = "open"  # placed, not approved yet: it expires
    APPROVED = "approved"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REJECTED = "rejected"  # nothing held: it could not be reserved in full, without backorders


# Orders whose reservations still change; the others are closed for good.
ACTIVE = (Status.OPEN, Status.APPROVED)


def shipping_refusal(order_id: str, approved: bool, on_hold: bool, hold_reason: str) -> str | None:
    """Why an order may not ship (orders has not approved it, or holds it); None when it may."""
    if on_hold:
        return f"order {order_id} is on hold: {hold_reason or 'no reason given'}"
    if not approved:
        return f"order {order_id} is not approved yet"
    return None


@dataclass(frozen=True)
class OrderedLine:
    """A line as orders placed or changed it."""

    line_id: str
    product_id: str
    sku: str
    quantity: int


@dataclass
class ReservationLine:
    line_id: str
    product_id: str
    sku: str
    # The line's place in the order: lines are listed, and queue for stock, in this order.
    position: int
    quantity: int
    backordered: int = 0


@dataclass
class Held:
    """One line's units in one warehouse: reserved now, consumed by shipments, released."""

    line_id: str
    product_id: str
    warehouse_id: str
    reserved: int = 0
    consumed: int = 0
    released: int = 0


# The longest channel name kept: orders' own limit for it.
MAX_CHANNEL = 50


@dataclass
class Reservation:
    order_id: str
    status: Status
    # The order's placement time: backorders are filled first placed, first served.
    placed_at: datetime
    lines: list[ReservationLine] = field(default_factory=list)
    # In the order the entries were made.
    ledger: list[Held] = field(default_factory=list)
    # Set when orders approves the order: it may ship from then on ...
    approved_at: datetime | None = None
    # ... unless orders holds it, for this reason.
    on_hold: bool = False
    hold_reason: str = ""
    closed_at: datetime | None = None
    # The order's channel as placed ("direct", "woocommerce"): its shipments say it, so a
    # consumer that cares for one channel skips the others unread. Empty before it was kept.
    channel: str = ""

    @classmethod
    def open(
        cls,
        order_id: str,
        lines: Sequence[OrderedLine],
        placed_at: datetime,
        backordered: Mapping[str, int],
        channel: str = "",
    ) -> Reservation:
        """A placed order; its lines wait for `backordered` units (line id -> units)."""
        return cls(
            order_id,
            Status.OPEN,
            placed_at,
            [
                ReservationLine(
                    x.line_id, x.product_id, x.sku, i, x.quantity, backordered.get(x.line_id, 0)
                )
                for i, x in enumerate(lines)
            ],
            channel=channel[:MAX_CHANNEL],
        )

    @classmethod
    def reject(
        cls,
        order_id: str,
        lines: Sequence[OrderedLine],
        placed_at: datetime,
        availability: Availability,
    ) -> tuple[Reservation, list[StockRejected]]:
        """A placed order nothing is held for: what it wanted is more than there is."""
        rejected = cls(
            order_id,
            Status.REJECTED,
            placed_at,
            [
                ReservationLine(x.line_id, x.product_id, x.sku, i, x.quantity)
                for i, x in enumerate(lines)
            ],
        )
        found = shortages([(x.product_id, x.quantity) for x in lines], availability)
        reason = rejection_reason(found, {x.product_id: x.sku for x in lines})
        return rejected, [StockRejected(order_id, reason, tuple(found))]

    # -- reading --------------------------------------------------------------------------------

    def line(self, line_id: str) -> ReservationLine:
        return next(x for x in self.lines if x.line_id == line_id)

    def held(self, line_id: str, warehouse_id: str) -> Held | None:
        return next(
            (h for h in self.ledger if h.line_id == line_id and h.warehouse_id == warehouse_id),
            None,
        )

    def state_of(self, line: ReservationLine) -> LineState:
        mine = [h for h in self.ledger if h.line_id == line.line_id]
        return LineState(
            consumed=sum(h.consumed for h in mine),
            reserved=sum(h.reserved for h in mine),
            backordered=line.backordered,
        )

    @property
    def waiting(self) -> int:
        """Units the order's lines wait for."""
        return sum(x.backordered for x in self.lines)

    def held_by_warehouse(self, line_id: str, priority: Sequence[str]) -> list[tuple[str, int]]:
        """A line's reserved units per warehouse, in warehouse priority order."""
        rank = {w: i for i, w in enumerate(priority)}
        held = [(h.warehouse_id, h.reserved) for h in self.ledger if h.line_id == line_id]
        return sorted(
            [(w, units) for w, units in held if units],
            key=lambda h: (rank.get(h[0], len(rank)), h[0]),
        )

    def announce(self) -> StockReserved | StockPartiallyReserved:
        """StockReserved when nothing of the order waits, else StockPartiallyReserved: what the
        order holds (all of it) and what it waits for."""
        reserved = tuple(
            ReservedLine(h.line_id, h.product_id, h.warehouse_id, h.reserved)
            for h in self.ledger
            if h.reserved > 0
        )
        waiting = tuple(
            BackorderedLine(x.line_id, x.product_id, x.backordered)
            for x in self.lines
            if x.backordered > 0
        )
        if not waiting:
            return StockReserved(self.order_id, reserved)
        return StockPartiallyReserved(self.order_id, reserved, waiting)

    # -- holding, filling, shipping -------------------------------------------------------------

    def hold(self, line_id: str, warehouse_id: str, units: int) -> None:
        """Units of a line reserved in a warehouse (the stock level holds them too)."""
        held = self.held(line_id, warehouse_id)
        if held is None:
            held = Held(line_id, self.line(line_id).product_id, warehouse_id)
            self.ledger.append(held)
        held.reserved += units

    def backorder(self, waiting: Mapping[str, int]) -> None:
        """Lines wait for more units (line id -> units)."""
        for line_id, units in waiting.items():
            if units:
                self.line(line_id).backordered += units

    def fill(self, fills: Sequence[Fill]) -> BackorderAllocated:
        """Stock that arrived is held for lines that waited for it."""
        for f in fills:
            self.hold(f.line_id, f.warehouse_id, f.quantity)
            self.line(f.line_id).backordered -= f.quantity
        return BackorderAllocated(
            self.order_id,
            tuple(ReservedLine(f.line_id, f.product_id, f.warehouse_id, f.quantity) for f in fills),
            complete=self.waiting == 0,
        )

    def ship_from(self, warehouse_id: str, lines: Sequence[tuple[str, int]]) -> list[ShippedLine]:
        """Consumes what leaves `warehouse_id`: `lines` (line id, units), each at most what the
        line holds there, or everything held there. FailedPrecondition unless orders approved
        the order and does not hold it, and for more than is held."""
        refusal = shipping_refusal(
            self.order_id, self.approved_at is not None, self.on_hold, self.hold_reason
        )
        if refusal:
            raise FailedPrecondition(refusal)
        here = {h.line_id: h for h in self.ledger if h.warehouse_id == warehouse_id and h.reserved}
        if not here:
            raise FailedPrecondition(
                f"nothing reserved for order {self.order_id} in warehouse {warehouse_id}"
            )
        leaving = _pick(here, lines)
        for x in leaving:
            here[x.line_id].reserved -= x.quantity
            here[x.line_id].consumed += x.quantity
        return leaving

    # -- orders' decisions ----------------------------------------------------------------------

    def approve(self, at: datetime) -> None:
        """Orders approved the order: it may ship and no longer expires."""
        if self.status != Status.OPEN:
            raise FailedPrecondition(f"order {self.order_id} is {self.status}, not open")
        self.status, self.approved_at = Status.APPROVED, at

    def change_hold(self, on_hold: bool, reason: str) -> None:
        """Orders holds the order (or lets it go): it may not ship while held."""
        self.on_hold = on_hold
        self.hold_reason = reason[:MAX_REASON] if on_hold else ""

    def let_go(self, closing: Status, at: datetime) -> list[ReservationReleased]:
        """Everything held is released and nothing waits any more; the order is `closing`
        (cancelled or expired) for good."""
        released = tuple(
            ReservedLine(h.line_id, h.product_id, h.warehouse_id, h.reserved)
            for h in self.ledger
            if h.reserved > 0
        )
        for h in self.ledger:
            h.released, h.reserved = h.released + h.reserved, 0
        dropped = tuple(
            BackorderedLine(x.line_id, x.product_id, x.backordered)
            for x in self.lines
            if x.backordered > 0
        )
        for x in self.lines:
            x.backordered = 0
        self.status, self.closed_at = closing, at
        if not (released or dropped):
            return []
        return [ReservationReleased(self.order_id, released, closing.value, dropped)]

    def resize(self, wanted: Sequence[OrderedLine]) -> Resizing:
        """The order's lines become `wanted` (lines it no longer names: 0). New lines are added
        and smaller ones drop what they wait for at once; what lines want more of is returned
        to allocate, and what smaller ones release to `release_cuts`."""
        asked = {x.line_id: x for x in wanted}
        current = list(self.lines)
        more: list[Demand] = []
        position = max((x.position for x in current), default=-1) + 1
        for line_id, x in asked.items():
            if any(c.line_id == line_id for c in current) or x.quantity <= 0:
                continue
            self.lines.append(ReservationLine(line_id, x.product_id, x.sku, position, x.quantity))
            position += 1
            more.append(Demand(line_id, x.product_id, x.quantity))
        cuts, other = [], []
        for line in current:
            new = asked.get(line.line_id)
            if new is not None and new.product_id != line.product_id:
                other.append(line.line_id)
            change = change_line(self.state_of(line), new.quantity if new is not None else 0)
            if change.more:
                more.append(Demand(line.line_id, line.product_id, change.more))
            if change.drop_backordered or change.release:
                cuts.append(
                    Cut(line.line_id, line.product_id, change.drop_backordered, change.release)
                )
            line.quantity = change.quantity
            line.backordered -= change.drop_backordered
        return Resizing(more, cuts, other)

    def release_cuts(
        self, cuts: Sequence[Cut], priority: Sequence[str]
    ) -> list[ReservationReleased]:
        """Releases what smaller lines gave up, from their last warehouses (by `priority`)
        first, so each line keeps what its preferred warehouses hold."""
        released: list[ReservedLine] = []
        dropped: list[BackorderedLine] = []
        for cut in cuts:
            if cut.drop:
                dropped.append(BackorderedLine(cut.line_id, cut.product_id, cut.drop))
            for warehouse_id, units in release_from(
                self.held_by_warehouse(cut.line_id, priority), cut.release
            ):
                held = self.held(cut.line_id, warehouse_id)
                assert held is not None
                held.reserved, held.released = held.reserved - units, held.released + units
                released.append(ReservedLine(cut.line_id, cut.product_id, warehouse_id, units))
        if not (released or dropped):
            return []
        return [ReservationReleased(self.order_id, tuple(released), "changed", tuple(dropped))]


def _pick(here: Mapping[str, Held], lines: Sequence[tuple[str, int]]) -> list[ShippedLine]:
    """What leaves: the lines named (each at most what it holds here), else everything held."""
    if not lines:
        return [ShippedLine(h.line_id, h.product_id, h.reserved) for h in here.values()]
    problems = Violations()
    for i, (line_id, quantity) in enumerate(lines):
        if line_id not in here:
            problems.add(f"lines[{i}].line_id", "has nothing reserved there")
        elif quantity > here[line_id].reserved:
            problems.add(f"lines[{i}].quantity", f"at most {here[line_id].reserved} reserved there")
    if problems.items:
        raise FailedPrecondition(
            "; ".join(f"{v.field}: {v.description}" for v in problems.items),
            tuple(problems.items),
        )
    return [ShippedLine(line_id, here[line_id].product_id, units) for line_id, units in lines]
