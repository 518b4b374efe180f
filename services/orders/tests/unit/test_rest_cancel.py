"""Cancelling the rest of an order billed whole, on the fakes: an order made from a quote, or one
holding a kit sold as one line, keeps what shipped line by line -- a kit its whole kits shipped --
with its document priced again for that, and waits for its one invoice; a kit shipped in part is
refused, naming the kit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import pytest

from orders.application.commands.cancel_sales_order import CancelSalesOrder, cancel_sales_order
from orders.application.ports import Deps
from orders.application.reactions.on_invoice_issued import on_invoice_issued
from orders.application.reactions.on_quote_accepted import on_quote_accepted
from orders.application.reactions.on_shipment_dispatched import on_shipment_dispatched
from orders.application.reactions.on_stock_reserved import on_stock_reserved
from orders.domain.events import SalesOrderLinesChanged
from orders.domain.order_pricing import requantified
from orders.domain.sales_order import SalesOrder
from pricing.document import KitPart, PricedDocument, kit_part_line_id
from servicekit.errors import FailedPrecondition
from services.orders.tests.unit.builders import DESK, INVENTORY, a_catalog, as_user, registered
from services.orders.tests.unit.fakes import FakeDatabase, fake_deps
from services.orders.tests.unit.test_saga import accepted, an_order, stored
from services.orders.tests.unit.test_undo import moves


def ids(document: PricedDocument) -> dict[str, str]:
    """Each document line's id by its SKU."""
    return {line.sku: line.line_id for line in document.lines}


def units(document: PricedDocument | None) -> list[tuple[str, int]]:
    assert document is not None
    return [(line.sku, line.units) for line in document.lines]


async def a_quote_order() -> tuple[Deps, FakeDatabase, SalesOrder, dict[str, str]]:
    """W-1 3, B-1 10, the kit K-1 2 (W-1 1 + B-1 4 each), the service SVC-1 2, shipping; its
    order lines: W-1 3, B-1 10 and the kit's parts W-1 2, B-1 8. Ids by name ("K-1/W-1": a
    part's line)."""
    deps, database, _ = fake_deps(catalog=a_catalog())
    quote = accepted(registered(database))
    with as_user(INVENTORY):
        await on_quote_accepted(deps, database.joining(), quote)
    order = stored(database, quote.order_id)
    named = ids(quote.document)
    named |= {f"K-1/{p.sku}": kit_part_line_id(named["K-1"], p.product_id) for p in kit_parts()}
    with as_user(INVENTORY):
        await on_stock_reserved(
            deps, database.joining(), order.id, {x.id: x.quantity for x in order.lines}
        )
    return deps, database, order, named


def kit_parts() -> tuple[KitPart, ...]:
    (kit,) = [x for x in accepted("c").document.lines if x.kit_parts]
    return kit.kit_parts


async def ship(deps: Deps, database: FakeDatabase, order_id: str, units: Mapping[str, int]) -> None:
    with as_user(INVENTORY):
        shipment = str(uuid.uuid4())
        await on_shipment_dispatched(deps, database.joining(), order_id, shipment, units)


async def test_an_order_made_from_a_quote_keeps_what_shipped_and_one_whole_kit() -> None:
    deps, database, order, named = await a_quote_order()
    original = order.document
    assert original is not None
    await ship(deps, database, order.id, {named["W-1"]: 2, named["K-1/W-1"]: 1})
    await ship(deps, database, order.id, {named["B-1"]: 10, named["K-1/B-1"]: 4})
    with as_user(DESK):
        view = await cancel_sales_order(deps, CancelSalesOrder(order.id, "customer withdrew"))
    found = stored(database, order.id)
    assert [(x.sku, x.quantity, x.shipped) for x in found.lines] == [
        ("W-1", 2, 2),
        ("B-1", 10, 10),
        ("W-1", 1, 1),
        ("B-1", 4, 4),
    ]
    # the kit keeps its one whole kit; the service is not picked and stays
    assert units(found.document) == [("W-1", 2), ("B-1", 10), ("K-1", 1), ("SVC-1", 2)]
    expected = requantified(original, {named["W-1"]: 2, named["K-1"]: 1})
    assert found.document == expected
    assert found.total == expected.total < original.total
    (changed,) = database.published(SalesOrderLinesChanged)
    assert changed.document == found.document
    assert [(x.line_id, x.quantity) for x in changed.lines] == [
        (named["W-1"], 2),
        (named["B-1"], 10),
        (named["K-1/W-1"], 1),
        (named["K-1/B-1"], 4),
    ]
    # shipped, waiting for its one invoice, which covers the order
    assert view.order.status == "shipped"
    await on_invoice_issued(deps, database.joining(), order.id, True)
    assert stored(database, order.id).status == "invoiced"
    assert [m[1] for m in moves(database, order.id)][-2:] == ["shipped", "invoiced"]


async def test_a_kit_none_of_whose_parts_shipped_goes_whole() -> None:
    deps, database, order, named = await a_quote_order()
    await ship(deps, database, order.id, {named["B-1"]: 3})
    with as_user(DESK):
        await cancel_sales_order(deps, CancelSalesOrder(order.id, "x"))
    found = stored(database, order.id)
    assert [(x.sku, x.quantity) for x in found.lines] == [("B-1", 3)]
    assert units(found.document) == [("B-1", 3), ("SVC-1", 2)]


@pytest.mark.parametrize(
    "parts",
    [
        {"K-1/W-1": 1, "K-1/B-1": 3},  # the first kit is missing a bolt
        {"K-1/W-1": 2, "K-1/B-1": 4},  # a widget of the second kit shipped
        {"K-1/B-1": 4},
    ],
)
async def test_a_kit_shipped_in_part_cannot_be_cut(parts: dict[str, int]) -> None:
    deps, database, order, named = await a_quote_order()
    await ship(deps, database, order.id, {named[name]: n for name, n in parts.items()})
    before = stored(database, order.id)
    lines, document = [(x.id, x.quantity) for x in before.lines], before.document
    with as_user(DESK), pytest.raises(FailedPrecondition) as refused:
        await cancel_sales_order(deps, CancelSalesOrder(order.id, "x"))
    assert "kit K-1 shipped in part" in str(refused.value)
    assert "ship or return the rest of its parts first" in str(refused.value)
    assert [v.field for v in refused.value.violations] == [f"lines[{named['K-1']}]"]
    after = stored(database, order.id)
    assert ([(x.id, x.quantity) for x in after.lines], after.document) == (lines, document)
    assert after.status == "partially_shipped"
    assert not database.published(SalesOrderLinesChanged)


async def test_an_order_placed_directly_with_a_kit_keeps_its_whole_kits() -> None:
    deps, database, order = await an_order(("kit", 3), ("p1", 1))
    assert order.document is not None
    named = ids(order.document)
    part = {x.sku: x.id for x in order.lines if x.id != named["SKU-1"]}
    with as_user(INVENTORY):
        await on_stock_reserved(
            deps, database.joining(), order.id, {x.id: x.quantity for x in order.lines}
        )
    await ship(deps, database, order.id, {part["SKU-1"]: 4, part["SKU-2"]: 10})
    with as_user(DESK):
        await cancel_sales_order(deps, CancelSalesOrder(order.id, "x"))
    found = stored(database, order.id)
    assert [(x.sku, x.quantity) for x in found.lines] == [("SKU-1", 4), ("SKU-2", 10)]
    assert units(found.document) == [("KIT-1", 2)]
    assert found.total == requantified(order.document, {named["KIT-1"]: 2, named["SKU-1"]: 0}).total
