"""Purchase orders: what the company orders from a supplier, priced by the shared engine, and
their lifecycle from draft to closed as goods and the supplier's bill arrive. Plain Python.

    draft -> sent -> partially_received -> received -> billed -> closed
    draft, sent -> cancelled

Goods and bills reach the order as events from two topics, so they may come in either order: a
bill recorded before the goods it bills is kept and moves the order on once the goods are in.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from pricing.documents import InvalidDocument, priced
from pricing.money import InvalidMoney, Money, check_currency, parse_amount
from procurement.domain.contracts import AgreedPrice
from procurement.domain.model import Supplier
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, Violations

MAX_LINES = 1000
DEFAULT_LEAD_TIME_DAYS = 14
REPLENISHMENT = "Replenishment"


class Status(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    BILLED = "billed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Source(StrEnum):
    MANUAL = "manual"
    RFQ = "rfq"
    REORDER = "reorder"


class BillStatus(StrEnum):
    MATCHED = "matched"
    HELD = "held"
    PAID = "paid"


def purchase_order_number(year: int, sequence: int) -> str:
    return f"PO-{year}-{sequence:06d}"


def amount_text(amount: Decimal, currency: str) -> str:
    """A unit price as stored for a line: no trailing zeros beyond the currency's minor unit."""
    return str(Money(amount, currency).trimmed().amount)


@dataclass(frozen=True)
class StatusChange:
    from_status: str
    to_status: str
    reason: str
    at: datetime
    by: str


@dataclass(frozen=True)
class ReceiptLine:
    """Units of one product that one receipt brought in against the order."""

    receipt_id: str
    product_id: str
    quantity: int
    note: str
    received_at: datetime


@dataclass(frozen=True)
class OrderLine:
    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: str
    price_rule: str


# Content as entered


def _lines(content: pb.PurchaseOrderContent) -> Iterator[tuple[str, pb.PurchaseOrderLineInput]]:
    for g, group in enumerate(content.groups):
        for i, line in enumerate(group.lines):
            yield f"groups[{g}].lines[{i}]", line


def with_defaults(
    content: pb.PurchaseOrderContent, supplier: Supplier | None, today: date
) -> pb.PurchaseOrderContent:
    """The content as stored: trimmed, with the supplier's currency and terms and an expected
    date when it names none."""
    result = pb.PurchaseOrderContent()
    result.CopyFrom(content)
    result.supplier_id = content.supplier_id.strip()
    result.warehouse_id = content.warehouse_id.strip()
    result.notes = content.notes.strip()
    result.payment_terms = content.payment_terms.strip()
    if supplier is not None:
        result.currency = result.currency or supplier.currency
        result.payment_terms = result.payment_terms or supplier.payment_terms
    if not result.expected_on:
        result.expected_on = (today + timedelta(days=DEFAULT_LEAD_TIME_DAYS)).isoformat()
    for group in result.groups:
        group.name = group.name.strip() or "Items"
        for line in group.lines:
            line.product_id = line.product_id.strip()
            line.sku = line.sku.strip()
            line.description = line.description.strip()
    return result


def check(content: pb.PurchaseOrderContent, supplier: Supplier | None, today: date) -> None:
    """Faults visible in the content itself, all at once."""
    problems = Violations()
    if not content.supplier_id:
        problems.add("supplier_id", "required")
    elif supplier is None:
        problems.add("supplier_id", f"no supplier {content.supplier_id}")
    if not content.warehouse_id:
        problems.add("warehouse_id", "required")
    elif len(content.warehouse_id) > 64:
        problems.add("warehouse_id", "at most 64 characters")
    try:
        if content.currency or supplier is not None:  # else the supplier_id is at fault
            check_currency(content.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    try:
        if date.fromisoformat(content.expected_on) < today:
            problems.add("expected_on", "must be today or later")
    except ValueError:
        problems.add("expected_on", "an ISO date, YYYY-MM-DD")
    if len(content.payment_terms) > 500:
        problems.add("payment_terms", "at most 500 characters")
    if len(content.notes) > 5000:
        problems.add("notes", "at most 5000 characters")
    count = sum(len(group.lines) for group in content.groups)
    if not 1 <= count <= MAX_LINES:
        problems.add("groups", f"between 1 and {MAX_LINES} lines in all, not {count}")
    for g, group in enumerate(content.groups):
        if len(group.name) > 200:
            problems.add(f"groups[{g}].name", "at most 200 characters")
    seen: set[str] = set()
    for at, line in list(_lines(content))[:MAX_LINES]:
        if not line.product_id:
            problems.add(f"{at}.product_id", "required")
        elif line.product_id in seen:
            problems.add(f"{at}.product_id", f"{line.product_id} has a line already")
        seen.add(line.product_id)
        if line.quantity <= 0:
            problems.add(f"{at}.quantity", "must be greater than 0")
        if line.HasField("unit_price"):
            try:
                if parse_amount(line.unit_price.amount) < 0:
                    problems.add(f"{at}.unit_price.amount", "must not be negative")
            except InvalidMoney as error:
                problems.add(f"{at}.unit_price.amount", str(error))
            if line.unit_price.currency != content.currency:
                problems.add(
                    f"{at}.unit_price.currency",
                    f"must be the order's currency, {content.currency}",
                )
    problems.raise_if_any()


def build(
    content: pb.PurchaseOrderContent, agreed: Mapping[str, AgreedPrice]
) -> pricing.PricedDocument:
    """The priced document. A product under contract (`agreed`, by product id) takes the
    contract's price; any other line needs an entered unit price."""
    problems = Violations()
    groups = []
    for g, group in enumerate(content.groups):
        lines = []
        for i, line in enumerate(group.lines):
            contract = agreed.get(line.product_id)
            if contract is not None:
                unit_price = amount_text(contract.unit_price, content.currency)
                rule = contract.rule
            elif line.HasField("unit_price"):
                unit_price, rule = line.unit_price.amount, "entered"
            else:
                problems.add(
                    f"groups[{g}].lines[{i}].unit_price",
                    "required: no contract with the supplier prices this product",
                )
                continue
            lines.append(
                pricing.DocumentLine(
                    line_id=str(uuid.uuid4()),
                    product_id=line.product_id,
                    sku=line.sku,
                    description=line.description or line.sku or line.product_id,
                    quantity=str(line.quantity),
                    unit_price=unit_price,
                    price_rule=rule,
                    kind="stocked",
                    discount=line.discount,
                    taxes=line.taxes,
                )
            )
        groups.append(
            pricing.DocumentGroup(
                name=group.name, lines=lines, discount=group.discount, taxes=group.taxes
            )
        )
    problems.raise_if_any()
    return price_document(
        pricing.PricedDocument(
            currency=content.currency,
            groups=groups,
            shipping=content.shipping,
            policy=content.policy,
        )
    )


def price_document(document: pricing.PricedDocument) -> pricing.PricedDocument:
    try:
        return priced(document)
    except InvalidDocument as error:
        raise InvalidArgument.of(error.field, error.message) from error


def replenishment_line(
    product_id: str, sku: str, quantity: int, price: AgreedPrice, currency: str
) -> pricing.DocumentLine:
    return pricing.DocumentLine(
        line_id=str(uuid.uuid4()),
        product_id=product_id,
        sku=sku,
        description=sku or product_id,
        quantity=str(quantity),
        unit_price=amount_text(price.unit_price, currency),
        price_rule=price.rule,
        kind="stocked",
    )


def replenishment_document(
    currency: str, product_id: str, sku: str, quantity: int, price: AgreedPrice
) -> pricing.PricedDocument:
    """A reorder's document: one group with the product's line."""
    line = replenishment_line(product_id, sku, quantity, price, currency)
    return price_document(
        pricing.PricedDocument(
            currency=currency,
            groups=[pricing.DocumentGroup(name=REPLENISHMENT, lines=[line])],
        )
    )


# The order


@dataclass
class PurchaseOrder:
    id: str
    number: str
    supplier_id: str
    warehouse_id: str
    currency: str
    status: Status
    document: pricing.PricedDocument
    expected_on: date
    payment_terms: str
    notes: str
    source: Source
    created_at: datetime
    created_by: str
    updated_at: datetime
    rfq_id: str = ""
    bill_id: str = ""
    bill_status: str = ""
    receipts: list[ReceiptLine] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)

    @property
    def total(self) -> str:
        return self.document.breakdown.total

    @property
    def lines(self) -> list[OrderLine]:
        return [
            OrderLine(
                line.line_id,
                line.product_id,
                line.sku,
                int(line.quantity),
                line.unit_price,
                line.price_rule,
            )
            for group in self.document.groups
            for line in group.lines
        ]

    def received(self, product_id: str) -> int:
        return sum(r.quantity for r in self.receipts if r.product_id == product_id)

    @property
    def fully_received(self) -> bool:
        return all(self.received(line.product_id) >= line.quantity for line in self.lines)

    @property
    def any_received(self) -> bool:
        return any(self.received(line.product_id) > 0 for line in self.lines)

    def require_draft(self, doing: str) -> None:
        self._require(Status.DRAFT, doing=doing)

    def _require(self, *allowed: Status, doing: str) -> None:
        if self.status not in allowed:
            names = " or ".join(s.value for s in allowed)
            raise FailedPrecondition(
                f"purchase order {self.number} is {self.status.value}; "
                f"only a {names} order can be {doing}",
                (FieldViolation("status", f"is {self.status.value}"),),
            )

    def _move(self, to: Status, reason: str, now: datetime, actor: str) -> StatusChange:
        change = StatusChange(self.status.value, to.value, reason, now, actor)
        self.status = to
        self.history.append(change)
        self.updated_at = now
        return change

    # Commands

    def revise(self, content: pb.PurchaseOrderContent, document: pricing.PricedDocument) -> None:
        """Replaces a draft's content with `content` as priced in `document`."""
        self._require(Status.DRAFT, doing="changed")
        self.supplier_id = content.supplier_id
        self.warehouse_id = content.warehouse_id
        self.currency = content.currency
        self.expected_on = date.fromisoformat(content.expected_on)
        self.payment_terms = content.payment_terms
        self.notes = content.notes
        self.document = document

    def send(self, today: date, now: datetime, actor: str) -> StatusChange:
        self._require(Status.DRAFT, doing="sent")
        if self.expected_on < today:
            raise FailedPrecondition(
                f"purchase order {self.number} expects its goods on "
                f"{self.expected_on.isoformat()}, which has passed",
                (FieldViolation("expected_on", "must be today or later"),),
            )
        return self._move(Status.SENT, "sent to the supplier", now, actor)

    def cancel(self, reason: str, now: datetime, actor: str) -> StatusChange:
        if len(reason) > 2000:
            raise InvalidArgument.of("reason", "at most 2000 characters")
        self._require(Status.DRAFT, Status.SENT, doing="cancelled")
        return self._move(Status.CANCELLED, reason.strip() or "cancelled", now, actor)

    def replenish(self, product_id: str, sku: str, quantity: int, price: AgreedPrice) -> bool:
        """Orders `quantity` units of the product on this draft: raises its line to that many or
        adds a line. False when the draft orders as many already (a repeated low-stock alert)."""
        self._require(Status.DRAFT, doing="extended")
        document = pricing.PricedDocument()
        document.CopyFrom(self.document)
        for group in document.groups:
            for line in group.lines:
                if line.product_id == product_id:
                    if int(line.quantity) >= quantity:
                        return False
                    line.quantity = str(quantity)
                    self.document = price_document(document)
                    return True
        groups = [g for g in document.groups if g.name == REPLENISHMENT]
        group = groups[0] if groups else document.groups.add(name=REPLENISHMENT)
        group.lines.append(replenishment_line(product_id, sku, quantity, price, self.currency))
        self.document = price_document(document)
        return True

    # What other services report

    def receive(
        self,
        receipt_id: str,
        warehouse_id: str,
        quantities: Mapping[str, int],
        now: datetime,
        actor: str,
    ) -> list[StatusChange]:
        """Records a receipt, product by product, noting what does not match the order; moves
        the order on. A receipt already recorded changes nothing."""
        if any(r.receipt_id == receipt_id for r in self.receipts):
            return []
        ordered = {line.product_id: line.quantity for line in self.lines}
        for product_id, quantity in quantities.items():
            notes = []
            if product_id not in ordered:
                notes.append("not on this purchase order")
            elif self.received(product_id) + quantity > ordered[product_id]:
                total = self.received(product_id) + quantity
                notes.append(f"over-received: {total} in all, {ordered[product_id]} ordered")
            if self.status in (Status.DRAFT, Status.CANCELLED):
                notes.append(f"the order is {self.status.value}")
            if warehouse_id and warehouse_id != self.warehouse_id:
                notes.append(f"received into warehouse {warehouse_id}, not {self.warehouse_id}")
            self.receipts.append(
                ReceiptLine(receipt_id, product_id, quantity, "; ".join(notes), now)
            )
        self.updated_at = now
        return self._advance(f"receipt {receipt_id}", now, actor)

    def record_bill(
        self, bill_id: str, status: str, now: datetime, actor: str
    ) -> list[StatusChange]:
        """A bill billing recorded: "matched" (payable) or "held" (a mismatch)."""
        if self.bill_status == BillStatus.PAID or status not in (
            BillStatus.MATCHED,
            BillStatus.HELD,
        ):
            return []
        self.bill_id, self.bill_status = bill_id, BillStatus(status).value
        self.updated_at = now
        return self._advance(f"bill {bill_id} {status}", now, actor)

    def bill_paid(self, bill_id: str, now: datetime, actor: str) -> list[StatusChange]:
        self.bill_id, self.bill_status = bill_id, BillStatus.PAID.value
        self.updated_at = now
        return self._advance(f"bill {bill_id} paid", now, actor)

    def _advance(self, reason: str, now: datetime, actor: str) -> list[StatusChange]:
        changes = []
        while (to := self._next()) is not None:
            changes.append(self._move(to, reason, now, actor))
        return changes

    def _next(self) -> Status | None:
        billable = self.bill_status in (BillStatus.MATCHED, BillStatus.PAID)
        if self.status in (Status.SENT, Status.PARTIALLY_RECEIVED) and self.fully_received:
            return Status.RECEIVED
        if self.status == Status.SENT and self.any_received:
            return Status.PARTIALLY_RECEIVED
        if self.status in (Status.PARTIALLY_RECEIVED, Status.RECEIVED) and billable:
            return Status.BILLED
        if self.status == Status.BILLED and self.bill_status == BillStatus.PAID:
            return Status.CLOSED
        return None


def new_purchase_order(
    number: str,
    content: pb.PurchaseOrderContent,
    document: pricing.PricedDocument,
    source: Source,
    now: datetime,
    actor: str,
    rfq_id: str = "",
) -> PurchaseOrder:
    return PurchaseOrder(
        id=str(uuid.uuid4()),
        number=number,
        supplier_id=content.supplier_id,
        warehouse_id=content.warehouse_id,
        currency=content.currency,
        status=Status.DRAFT,
        document=document,
        expected_on=date.fromisoformat(content.expected_on),
        payment_terms=content.payment_terms,
        notes=content.notes,
        source=source,
        created_at=now,
        created_by=actor,
        updated_at=now,
        rfq_id=rfq_id,
    )
