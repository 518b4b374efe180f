"""Billing's copy of each sales order, and what its shipments bill: each shipment at the prices it
was ordered at, or -- for an order made from a quote -- the whole priced document once its last
shipment has left. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from billing.domain.invoices import InvoiceLine
from pricing.document import KitPart, PricedDocument
from pricing.engine import total_of
from pricing.money import Money, parse_amount

# What order_copies.channel keeps of a channel's name.
MAX_CHANNEL = 40


class CannotInvoice(ValueError):
    """A shipment that does not match its order."""


@dataclass(frozen=True)
class OrderLine:
    """An order line as billing copied it: ordered at a unit price."""

    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    # Units shipped (counted for an order billed whole) and received back (a kit's parts).
    shipped: int = 0
    returned: int = 0


@dataclass(frozen=True)
class QuotedLine:
    """A priced document's line as billed: whole units, with the net its breakdown states."""

    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    net: Money
    kit_parts: tuple[KitPart, ...] = ()


@dataclass(frozen=True)
class QuotedDocument:
    """A priced document (a quote, or an order made from one) as billing bills it: its lines with
    their nets and the total the engine stated. `content` is the document as received (JSON),
    kept and shown as is, never recomputed."""

    currency: str
    total: Money
    lines: tuple[QuotedLine, ...]
    content: Mapping[str, Any]

    @classmethod
    def of(cls, document: PricedDocument, content: Mapping[str, Any]) -> QuotedDocument:
        """`document`'s lines and total as its breakdown states them (pricing.document)."""
        currency = document.currency
        lines = tuple(
            QuotedLine(
                line.line_id,
                line.product_id,
                line.sku,
                line.units,
                Money(parse_amount(line.unit_price), currency),
                Money(figures.net, currency),
                line.kit_parts,
            )
            for line, figures in document.lines_with_figures()
        )
        return cls(currency, document.total, lines, content)

    def invoice_lines(self) -> list[InvoiceLine]:
        """An invoice line per document line, each at the net its breakdown states."""
        return [
            InvoiceLine(x.line_id, x.product_id, x.sku, x.quantity, x.unit_price, x.net)
            for x in self.lines
        ]


@dataclass(frozen=True)
class Shipment:
    """Units of an order's lines that left together."""

    shipment_id: str
    order_id: str
    lines: tuple[tuple[str, int], ...]


@dataclass
class OrderCopy:
    """What billing knows of a sales order (from SalesOrderPlaced): never a call per row."""

    order_id: str
    customer_id: str
    currency: str
    lines: dict[str, OrderLine]
    # An order made from a quote: billed whole, as quoted, once everything shipped.
    document: QuotedDocument | None = None
    # Its invoices, even those issued later, are credited in full.
    cancelled: bool = False
    # Where the order came from ("direct" when empty), for revenue by channel.
    channel: str = ""

    @classmethod
    def placed(
        cls,
        order_id: str,
        customer_id: str,
        currency: str,
        lines: Sequence[OrderLine],
        document: QuotedDocument | None = None,
        channel: str = "",
    ) -> OrderCopy:
        return cls(
            order_id,
            customer_id,
            currency,
            {line.line_id: line for line in lines},
            document,
            channel=channel[:MAX_CHANNEL],
        )

    def cancel(self) -> bool:
        """Marks the order cancelled; False when it was already (nothing more to credit)."""
        if self.cancelled:
            return False
        self.cancelled = True
        return True

    def bill(self, shipment: Shipment) -> list[InvoiceLine]:
        """The invoice lines of a shipment of an order billed per shipment."""
        return invoice_lines(self.lines, shipment.lines)

    def count(self, shipment: Shipment) -> bool:
        """Counts a shipment of an order billed whole; True once all of it has shipped."""
        shipped = {line_id: line.shipped for line_id, line in self.lines.items()}
        complete = record_shipment(
            {line_id: line.quantity for line_id, line in self.lines.items()},
            shipped,
            shipment.lines,
        )
        for line_id, quantity in shipped.items():
            self.lines[line_id] = replace(self.lines[line_id], shipped=quantity)
        return complete

    def parts_returned(self, returned: Mapping[str, int]) -> None:
        """Each kit part's count of units received back, as a return leaves it."""
        for line_id, count in returned.items():
            self.lines[line_id] = replace(self.lines[line_id], returned=count)


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
