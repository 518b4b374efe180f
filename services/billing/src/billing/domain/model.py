"""Invoices: what a shipment bills, at the prices of the order it ships. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pricing.money import Money


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

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity).rounded()


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
    total = Money.zero(currency)
    for line in lines:
        total = total + line.total
    return total


def invoice_number(year: int, sequence: int) -> str:
    return f"INV-{year}-{sequence:06d}"
