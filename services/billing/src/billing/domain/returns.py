"""Returned goods credited: units allocated to the invoices that billed them, oldest first, each
credited for what the customer paid for it -- the invoice line's net *and its taxes*, tax by tax,
so a credit note mirrors the lines it credits -- a kit in whole kits once all its parts are back.
Plain Python.

A line's units are credited cumulatively: k more units returned after r are worth the line's
figure for r + k units less its figure for r units (each rounded half up), so the credits of a
line add up to exactly what it billed once all of it is back, and never to more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from billing.domain.credit_notes import CreditLine
from billing.domain.invoices import Invoice, InvoiceLine
from billing.domain.orders import OrderCopy
from billing.domain.taxes import LineTax
from pricing.document import kit_part_line_id
from pricing.money import Money, Rounding

# What became of a return received.
PENDING, DONE, NOTHING, REFUSED = "pending", "credited", "nothing_to_credit", "refused"
ORDER_CANCELLED = "the order was cancelled: its invoices were credited in full"
MAX_DETAIL = 500


class CannotCredit(ValueError):
    """A return that does not match its order: it can never be credited."""


class NotInvoicedYet(Exception):
    """A return of units whose invoice has not been issued yet: it waits for it."""


@dataclass(frozen=True)
class Return:
    """Units of an order's lines received back."""

    return_id: str
    order_id: str
    lines: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class BilledLine:
    """An invoice line as a return can credit it."""

    invoice_id: str
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    # The line's net, as invoiced.
    line_total: Money
    # The price shown per unit returned.
    unit_credit: Money
    returned: int = 0
    credited: Money | None = None
    # The line's taxes, as invoiced.
    taxes: tuple[LineTax, ...] = ()

    @property
    def open_quantity(self) -> int:
        return self.quantity - self.returned

    def credit_line(self, quantity: int) -> CreditLine:
        """`quantity` more units credited: their share of the line's net and of each of its
        taxes (cumulatively, see above), what the customer paid for them."""
        net = self._share(self.line_total, quantity)
        taxes = tuple(LineTax(t.code, t.rate, self._share(t.amount, quantity)) for t in self.taxes)
        gross = sum((t.amount for t in taxes), net)
        return CreditLine(
            self.invoice_id,
            self.order_line_id,
            self.product_id,
            self.sku,
            quantity,
            self.unit_credit,
            gross,
            taxes,
        )

    def _share(self, amount: Money, quantity: int) -> Money:
        return _through(amount, self.returned + quantity, self.quantity) - _through(
            amount, self.returned, self.quantity
        )


def _through(amount: Money, units: int, of: int) -> Money:
    """A line's figure for `units` of its `of` units: all of it, or its share rounded half up."""
    if units >= of:
        return amount
    return amount.times(Decimal(units) / Decimal(of)).rounded(Rounding.HALF_UP)


def unit_net(net: Money, quantity: int) -> Money:
    """A priced document line's net per unit, rounded half up to the currency's minor unit."""
    return Money(net.amount / Decimal(quantity), net.currency).rounded(Rounding.HALF_UP)


def credit_return(
    billed: Sequence[BilledLine],
    returned: Sequence[tuple[str, int]],
    ordered: Mapping[str, int],
) -> list[CreditLine]:
    """Credit lines for returned units, each allocated to the invoice lines that billed it in
    the order given (oldest invoice first). Raises CannotCredit for a line not on the order or
    more units than were ordered and not returned yet, NotInvoicedYet when some of them are not
    invoiced yet."""
    wanted: dict[str, int] = {}
    for line_id, quantity in returned:
        if line_id not in ordered:
            raise CannotCredit(f"returned line {line_id} is not on the order")
        if quantity <= 0:
            raise CannotCredit(f"returned {quantity} of line {line_id}")
        wanted[line_id] = wanted.get(line_id, 0) + quantity
    for line_id, quantity in wanted.items():
        lines = [b for b in billed if b.order_line_id == line_id]
        already = sum(b.returned for b in lines)
        if quantity > ordered[line_id] - already:
            raise CannotCredit(
                f"returned {quantity} more of line {line_id}, ordered {ordered[line_id]}, "
                f"returned {already} before"
            )
        if quantity > sum(b.open_quantity for b in lines):
            raise NotInvoicedYet(f"line {line_id} is not invoiced in full yet")
    credits = []
    for line_id, quantity in wanted.items():
        for line in (b for b in billed if b.order_line_id == line_id):
            taken = min(quantity, line.open_quantity)
            if taken == 0:
                continue
            credits.append(line.credit_line(taken))
            quantity -= taken
            if quantity == 0:
                break
    return credits


@dataclass(frozen=True)
class KitPart:
    """A kit's part as it was picked: its own order line, so many per kit."""

    part_line_id: str
    kit_line_id: str
    per_kit: int
    # Units picked (kits ordered x per kit) and returned so far.
    picked: int
    returned: int = 0


def kits_returned(
    parts: Sequence[KitPart], returned: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """Kits a return completes: a kit is credited once all its parts are back, in whole kits.
    Gives the kits newly complete per kit line, and each part's returned count afterwards."""
    counts = {p.part_line_id: p.returned + returned.get(p.part_line_id, 0) for p in parts}
    for part in parts:
        if counts[part.part_line_id] > part.picked:
            raise CannotCredit(
                f"returned {counts[part.part_line_id]} of kit part {part.part_line_id} in all, "
                f"picked {part.picked}"
            )
    kits: dict[str, list[KitPart]] = {}
    for part in parts:
        kits.setdefault(part.kit_line_id, []).append(part)
    complete = {}
    for kit_line_id, its_parts in kits.items():
        before = min(p.returned // p.per_kit for p in its_parts)
        after = min(counts[p.part_line_id] // p.per_kit for p in its_parts)
        if after > before:
            complete[kit_line_id] = after - before
    return complete, counts


@dataclass(frozen=True)
class ReturnPlan:
    """What a return credits, and each kit part's count of units back once it is applied."""

    credits: list[CreditLine]
    parts: dict[str, int]

    def of(self, invoice_id: str) -> list[CreditLine]:
        return [c for c in self.credits if c.invoice_id == invoice_id]


def plan_return(copy: OrderCopy, invoices: Sequence[Invoice], back: Return) -> ReturnPlan:
    """The credit lines for a return against the order's invoices (oldest first). An order made
    from a quote credits its document's lines at their net per unit, a kit once all its parts
    are back. Raises CannotCredit or NotInvoicedYet (see `credit_return`)."""
    returned = list(back.lines)
    parts: dict[str, int] = {}
    if copy.document is None:
        ordered = {line_id: line.quantity for line_id, line in copy.lines.items()}
    else:
        ordered = {line.line_id: line.quantity for line in copy.document.lines}
        kit_parts = _kit_parts(copy)
        part_ids = {p.part_line_id for p in kit_parts}
        pieces: dict[str, int] = {}
        for line_id, quantity in returned:
            if line_id in part_ids:
                if quantity <= 0:
                    raise CannotCredit(f"returned {quantity} of kit part {line_id}")
                pieces[line_id] = pieces.get(line_id, 0) + quantity
        complete, counts = kits_returned(kit_parts, pieces)
        returned = [(i, q) for i, q in returned if i not in part_ids] + list(complete.items())
        parts = {line_id: counts[line_id] for line_id in pieces}
    billed = [
        billed_line(invoice.id, line, unit_net(line.total, line.quantity))
        if copy.document is not None
        else billed_line(invoice.id, line)
        for invoice in invoices
        for line in invoice.lines
    ]
    return ReturnPlan(credit_return(billed, returned, ordered), parts)


def billed_line(invoice_id: str, line: InvoiceLine, shown: Money | None = None) -> BilledLine:
    """An invoice line as a return or a cancellation credits it (`shown`: the price per unit the
    credit note shows; the line's unit price when None)."""
    return BilledLine(
        invoice_id,
        line.order_line_id,
        line.product_id,
        line.sku,
        line.quantity,
        line.total,
        shown if shown is not None else line.unit_price.trimmed(),
        line.returned,
        line.credited_so_far,
        line.taxes,
    )


def _kit_parts(copy: OrderCopy) -> list[KitPart]:
    """Each kit's parts as they were picked, on order lines of their own."""
    assert copy.document is not None
    found = []
    for line in copy.document.lines:
        for part in line.kit_parts:
            picked = copy.lines.get(kit_part_line_id(line.line_id, part.product_id))
            if picked is not None:
                found.append(
                    KitPart(
                        picked.line_id,
                        line.line_id,
                        part.quantity,
                        picked.quantity,
                        picked.returned,
                    )
                )
    return found
