"""The rest of an order billed whole cancelled, on the fakes: once its lines are cut to what has
shipped, the order made from a quote (or holding a kit) is complete and gets its one whole
invoice with the repriced document, exactly once, whichever of its last shipment and the change
of its lines comes last."""

from __future__ import annotations

from dataclasses import replace

import pytest
from google.protobuf.json_format import MessageToDict

from billing.adapters.documents import quoted
from billing.application.reactions.on_sales_order_lines_changed import (
    ChangedLine,
    on_sales_order_lines_changed,
)
from billing.domain.events import InvoiceIssued
from billing.domain.orders import OrderLine, QuotedDocument, Shipment
from oms.types.v1 import pricing_pb2 as pb
from pricing.allocation import SHIPPING
from pricing.document import kit_part_line_id, price_document
from pricing.wire import document_from_proto, document_to_proto
from services.billing.tests.unit.builders import an_id, an_order, eur, of_kind, placed, shipped
from services.billing.tests.unit.fakes import FakeBilling
from testkit.documents import a_priced_document


def cut(document: pb.PricedDocument, kept: dict[str, int]) -> pb.PricedDocument:
    """The document with some lines (by SKU) at fewer units, priced again, as orders does."""
    plain = document_from_proto(document)
    groups = tuple(
        replace(
            group,
            lines=tuple(
                replace(line, quantity=str(kept.get(line.sku, line.units)))
                for line in group.lines
                if kept.get(line.sku) != 0
            ),
        )
        for group in plain.groups
    )
    return document_to_proto(price_document(replace(plain, groups=groups, breakdown=None)))


def picked(document: QuotedDocument) -> dict[str, OrderLine]:
    """The order lines a document is picked on, by name: W-1 3, B-1 10 and the kit K-1's parts
    ("K-1/W-1" 2, "K-1/B-1" 8); the service is not picked."""
    lines = {}
    for line in document.lines:
        if line.kit_parts:
            for part in line.kit_parts:
                line_id = kit_part_line_id(line.line_id, part.product_id)
                units = line.quantity * part.quantity
                lines[f"{line.sku}/{part.sku}"] = OrderLine(
                    line_id, part.product_id, part.sku, units, eur("0")
                )
        elif line.sku != "SVC-1":
            lines[line.sku] = OrderLine(
                line.line_id, line.product_id, line.sku, line.quantity, line.unit_price
            )
    return lines


async def lines_changed(
    billing: FakeBilling, order_id: str, kept: dict[str, OrderLine], document: QuotedDocument
) -> None:
    now = [
        ChangedLine(x.line_id, x.product_id, x.sku, x.quantity, x.unit_price.amount)
        for x in kept.values()
    ]
    async with billing() as uow:
        await on_sales_order_lines_changed(uow, order_id, now, document)


@pytest.mark.parametrize("quote_id", ["q-1", ""])  # made from a quote; placed with a kit
@pytest.mark.parametrize("last", ["shipment", "lines changed"])
async def test_the_rest_cut_leaves_one_whole_invoice_of_what_shipped(
    quote_id: str, last: str
) -> None:
    original = a_priced_document()
    whole = quoted(original)
    lines = picked(whole)
    order = replace(an_order("C-1", document=whole, lines=tuple(lines.values())), quote_id=quote_id)
    billing = FakeBilling()
    await placed(billing, order)
    # W-1 2 of 3, B-1 10 of 10, the kit 1 of 2 (its parts 1 + 4), in two shipments
    first = Shipment(an_id(), order.order_id, ((lines["W-1"].line_id, 2),))
    second = Shipment(
        an_id(),
        order.order_id,
        tuple(
            (lines[name].line_id, n) for name, n in (("B-1", 10), ("K-1/W-1", 1), ("K-1/B-1", 4))
        ),
    )
    kept_units = {"W-1": 2, "B-1": 10, "K-1/W-1": 1, "K-1/B-1": 4}
    kept = {name: replace(lines[name], quantity=n) for name, n in kept_units.items()}
    repriced = cut(original, {"W-1": 2, "K-1": 1})
    document = quoted(repriced)
    await shipped(billing, first)
    if last == "shipment":
        await lines_changed(billing, order.order_id, kept, document)
        assert billing.state.invoices == {}  # B-1 and the kit have not shipped yet
        await shipped(billing, second)
    else:
        await shipped(billing, second)
        assert billing.state.invoices == {}  # the rest is still ordered
        await lines_changed(billing, order.order_id, kept, document)
    (invoice,) = billing.state.invoices.values()
    (issued,) = of_kind(billing, InvoiceIssued)
    assert document.total < whole.total
    assert (issued.total, issued.covers_order, invoice.total) == (
        document.total,
        True,
        document.total,
    )
    assert invoice.document == MessageToDict(repriced)
    billed = [(x.sku, x.quantity) for x in invoice.lines if x.order_line_id != SHIPPING]
    assert billed == [("W-1", 2), ("B-1", 10), ("K-1", 1), ("SVC-1", 2)]
    assert sum((x.gross for x in invoice.lines), eur("0")) == document.total
    # redelivered, either event issues nothing more
    await lines_changed(billing, order.order_id, kept, document)
    await shipped(billing, second)
    assert len(billing.state.invoices) == 1


async def test_a_cut_that_leaves_units_to_ship_waits_for_them() -> None:
    original = a_priced_document()
    whole = quoted(original)
    lines = picked(whole)
    order = replace(an_order("C-1", document=whole, lines=tuple(lines.values())), quote_id="q-1")
    billing = FakeBilling()
    await placed(billing, order)
    await shipped(billing, Shipment(an_id(), order.order_id, ((lines["B-1"].line_id, 3),)))
    kept = {"B-1": replace(lines["B-1"], quantity=5)}
    document = quoted(cut(original, {"W-1": 0, "B-1": 5, "K-1": 0}))
    await lines_changed(billing, order.order_id, kept, document)
    assert billing.state.invoices == {}
    await shipped(billing, Shipment(an_id(), order.order_id, ((lines["B-1"].line_id, 2),)))
    (invoice,) = billing.state.invoices.values()
    assert invoice.total == document.total
