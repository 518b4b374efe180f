"""Billing's copy of each sales order, and what its shipments bill: each shipment at the prices it
was ordered at; for an order placed directly with a priced document, each shipment's share of it
(pricing.allocation: the shares add up to the document to the cent, per tax rate); for an order
made from a quote, the whole priced document once its last shipment has left. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from billing.domain.invoices import Invoice, InvoiceLine
from billing.domain.taxes import LineTax, TaxTotal
from pricing.allocation import SHIPPING, BilledSoFar, allocate
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
class Billed:
    """What an invoice bills of a priced document: its lines (with their taxes, the shipping
    charges as a line of their own), its tax breakdown per (code, rate) and its total."""

    lines: list[InvoiceLine]
    taxes: tuple[TaxTotal, ...]
    total: Money


@dataclass(frozen=True)
class QuotedDocument:
    """A priced document (a quote, or an order made from one) as billing bills it: its lines with
    their nets and the total the engine stated. `content` is the document as received (JSON),
    kept and shown as is, never recomputed."""

    currency: str
    total: Money
    lines: tuple[QuotedLine, ...]
    content: Mapping[str, Any]
    # The document itself, as pricing.allocation shares it out.
    document: PricedDocument | None = None
    # Why it bears no tax for the customer (an exemption), when it says so.
    tax_exemption: str = ""

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
        return cls(currency, document.total, lines, content, document, document.tax_exemption)

    @property
    def has_kits(self) -> bool:
        return any(line.kit_parts for line in self.lines)

    def whole(self) -> Billed:
        """The whole document billed at once."""
        return self.share({}, {line.line_id: line.quantity for line in self.lines})

    def share(
        self,
        before: Mapping[str, int],
        now: Mapping[str, int],
        billed: BilledSoFar | None = None,
    ) -> Billed:
        """What a shipment of `now` units per line bills once `before` were billed (for
        `billed`, as its invoices stated); raises CannotInvoice for a line not on the document
        or units beyond it."""
        assert self.document is not None
        try:
            share = allocate(self.document, before, now, billed)
        except ValueError as error:
            raise CannotInvoice(str(error)) from error
        currency = self.currency
        by_id = {line.line_id: line for line in self.lines}
        lines = []
        for item in share.items:
            net = Money(item.net, currency)
            taxes = tuple(LineTax(t.code, t.rate, Money(t.amount, currency)) for t in item.taxes)
            if item.item_id == SHIPPING:
                lines.append(InvoiceLine(SHIPPING, "", "SHIPPING", 1, net, net, taxes=taxes))
                continue
            line = by_id[item.item_id]
            lines.append(
                InvoiceLine(
                    line.line_id,
                    line.product_id,
                    line.sku,
                    item.quantity,
                    line.unit_price,
                    net,
                    taxes=taxes,
                )
            )
        totals = tuple(
            TaxTotal(r.code, r.rate, Money(r.base, currency), Money(r.amount, currency))
            for r in share.taxes
        )
        return Billed(lines, totals, Money(share.total, currency))


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
    # The quote it was made from; empty for an order placed directly.
    quote_id: str = ""

    @classmethod
    def placed(
        cls,
        order_id: str,
        customer_id: str,
        currency: str,
        lines: Sequence[OrderLine],
        document: QuotedDocument | None = None,
        channel: str = "",
        quote_id: str = "",
    ) -> OrderCopy:
        return cls(
            order_id,
            customer_id,
            currency,
            {line.line_id: line for line in lines},
            document,
            channel=channel[:MAX_CHANNEL],
            quote_id=quote_id,
        )

    @property
    def billed_whole(self) -> bool:
        """Billed once, as priced, after its last shipment: an order made from a quote, or one
        holding a kit sold as one line (picked by its parts, which the document does not hold)."""
        return self.document is not None and (bool(self.quote_id) or self.document.has_kits)

    @property
    def complete(self) -> bool:
        """Everything left on the order has shipped (and something has): an order billed whole
        is invoiced now."""
        lines = self.lines.values()
        return any(x.shipped for x in lines) and all(x.shipped == x.quantity for x in lines)

    def cancel(self) -> bool:
        """Marks the order cancelled; False when it was already (nothing more to credit)."""
        if self.cancelled:
            return False
        self.cancelled = True
        return True

    def bill(self, shipment: Shipment) -> list[InvoiceLine]:
        """The invoice lines of a shipment of an order billed per shipment."""
        return invoice_lines(self.lines, shipment.lines)

    def bill_share(self, shipment: Shipment, invoices: Sequence[Invoice] = ()) -> Billed:
        """A shipment of an order placed directly with a priced document: its share of the
        document, after what the order's earlier `invoices` billed."""
        assert self.document is not None
        before = {line_id: line.shipped for line_id, line in self.lines.items()}
        now: dict[str, int] = {}
        for line_id, quantity in shipment.lines:
            now[line_id] = now.get(line_id, 0) + quantity
        billed = self.document.share(before, now, billed_so_far(invoices))
        for line_id, quantity in now.items():
            if line_id in self.lines:
                line = self.lines[line_id]
                self.lines[line_id] = replace(line, shipped=line.shipped + quantity)
        return billed

    def change_lines(self, lines: Sequence[OrderLine], document: QuotedDocument | None) -> None:
        """The order's lines as they are now (a line at 0 is gone) and its document repriced
        for them; what each line shipped and got back stays counted."""
        kept = {}
        for line in lines:
            was = self.lines.get(line.line_id)
            counts = (was.shipped, was.returned) if was is not None else (0, 0)
            kept[line.line_id] = replace(line, shipped=counts[0], returned=counts[1])
        for line_id, was in self.lines.items():
            if line_id not in kept and was.shipped:
                kept[line_id] = replace(was, quantity=was.shipped)
        self.lines = kept
        if document is not None:
            self.document = document

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


def billed_so_far(invoices: Sequence[Invoice]) -> BilledSoFar | None:
    """What an order's invoices billed of its document, as they state it (None for none)."""
    if not invoices:
        return None
    taxes: dict[tuple[str, Decimal], tuple[Decimal, Decimal]] = {}
    total = tax = Decimal(0)
    for invoice in invoices:
        total += invoice.total.amount
        for t in invoice.taxes:
            base, amount = taxes.get((t.code, t.rate), (Decimal(0), Decimal(0)))
            taxes[(t.code, t.rate)] = (base + t.base.amount, amount + t.amount.amount)
            tax += t.amount.amount
    return BilledSoFar(total - tax, total, taxes)


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
