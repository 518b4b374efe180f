"""The rest of a partly shipped order cancelled, on fakes: its lines cut to what shipped (a kit's
parts, each on an order line of its own, to its whole kits shipped) release what each held for
the rest, and never what shipped."""

from __future__ import annotations

import uuid

from inventory.application.reactions.on_sales_order_lines_changed import (
    LinesChanged,
    on_sales_order_lines_changed,
)
from inventory.application.reactions.on_sales_order_placed import OrderPlaced
from inventory.domain.events import ReservationReleased
from inventory.domain.reservation import OrderedLine
from services.inventory.tests.unit.builders import NOW, FakeInventory
from services.inventory.tests.unit.test_shipping import ship


async def test_a_kits_parts_cut_to_the_whole_kits_shipped_release_the_rest() -> None:
    inventory = FakeInventory()
    widget, bolt, warehouse = inventory.product(), inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, widget, 10)
    await inventory.stock(warehouse, bolt, 20)
    # 3 kits of 1 widget and 4 bolts, picked by their parts
    parts = {widget: "kit-line/widget", bolt: "kit-line/bolt"}
    lines = [
        OrderedLine(parts[widget], widget, "W-1", 3),
        OrderedLine(parts[bolt], bolt, "B-1", 12),
    ]
    order = await inventory.place(OrderPlaced(str(uuid.uuid4()), lines, NOW))
    await inventory.approve(order.order_id)
    await ship(inventory, order.order_id, warehouse, [(parts[widget], 1), (parts[bolt], 4)])
    kept = [OrderedLine(parts[widget], widget, "W-1", 1), OrderedLine(parts[bolt], bolt, "B-1", 4)]
    async with inventory.uow() as uow:
        changed = LinesChanged(order.order_id, kept)
        await on_sales_order_lines_changed(uow, changed, inventory.rules)
    (released,) = inventory.published(ReservationReleased, order.order_id)
    assert sorted((x.line_id, x.quantity) for x in released.lines) == sorted(
        [(parts[widget], 2), (parts[bolt], 8)]
    )
    for product, left in ((widget, 9), (bolt, 16)):
        level = await inventory.level(product, warehouse)
        assert (level.on_hand, level.reserved) == (left, 0)
