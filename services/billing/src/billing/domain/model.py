"""Invoices: what a shipment bills, at the prices of the order it ships. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.engine import total_of
from pricing.money import Money, parse_amount


@dataclass(frozen=True)
class OrderLine:
    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money


@dataclass(frozen=True)
class InvoiceLine:
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    # The line's net as a priced document's breakdown states it (discounts taken off).
    net: Money | None = None

    @property
    def total(self) -> Money:
        return self.net if self.net is not None else self.unit_price.times(self.quantity).rounded()


class CannotInvoice(ValueError):
    """A shipment that does not match its order."""


def invoice_lines(
    order_lines: Mapping[str, OrderLine], shipped: Sequence[tuple[str, int]]
) -> list[InvoiceLine]:
    """One invoice line per shipped order line, priced as ordered."""
    lines = []
    for line_id, quantity in shipped:
        ordered = order_lines.get(line_id)
        if ordered is None:
            raise CannotInvoice(f"shipped line {line_id} is not on the order")
        if not 0 < quantity <= ordered.quantity:
            raise CannotInvoice(f"shipped {quantity} of line {line_id}, ordered {ordered.quantity}")
        lines.append(
            InvoiceLine(line_id, ordered.product_id, ordered.sku, quantity, ordered.unit_price)
        )
    return lines


def invoice_total(lines: Sequence[InvoiceLine], currency: str) -> Money:
    """The shared engine's total of the invoice's lines."""
    return Money(
        total_of(currency, [(Decimal(x.quantity), x.unit_price.amount) for x in lines]), currency
    )


def invoice_number(year: int, sequence: int) -> str:
    return f"INV-{year}-{sequence:06d}"


def document_lines(document: PricedDocument) -> list[InvoiceLine]:
    """An invoice line per document line, each at the net its breakdown states."""
    nets = {figures.line_id: figures.net for figures in document.breakdown.lines}
    currency = document.currency
    return [
        InvoiceLine(
            line.line_id,
            line.product_id,
            line.sku,
            int(line.quantity),
            Money(parse_amount(line.unit_price), currency),
            Money(parse_amount(nets[line.line_id]), currency),
        )
        for group in document.groups
        for line in group.lines
    ]


def record_shipment(
    ordered: Mapping[str, int],
    shipped: MutableMapping[str, int],
    shipment: Sequence[tuple[str, int]],
) -> bool:
    """Adds a shipment to what was shipped of a document order; True once all of it has."""
    for line_id, quantity in shipment:
        if line_id not in ordered:
            raise CannotInvoice(f"shipped line {line_id} is not on the order")
        if not 0 < quantity <= ordered[line_id] - shipped.get(line_id, 0):
            raise CannotInvoice(
                f"shipped {quantity} more of line {line_id}, ordered {ordered[line_id]}"
            )
        shipped[line_id] = shipped.get(line_id, 0) + quantity
    return all(shipped.get(line_id, 0) == quantity for line_id, quantity in ordered.items())
