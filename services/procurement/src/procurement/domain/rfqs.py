"""Requests for quotation: lines a buyer wants priced, sent to several suppliers at once; each
supplier's proposal until the deadline; the proposals side by side, each totalled by the pricing
engine; and the award of one, which becomes a draft purchase order. Plain Python."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from pricing.money import InvalidMoney, check_currency
from procurement.domain import limits
from procurement.domain.order_content import amount_text, price_document
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, Violations

MAX_LINES = 500
MAX_SUPPLIERS = 50
MAX_LEAD_TIME_DAYS = 3650


class RfqStatus(StrEnum):
    OPEN = "open"
    AWARDED = "awarded"


@dataclass(frozen=True)
class RfqLine:
    line_id: str
    product_id: str
    sku: str
    description: str
    quantity: int
    needed_by: str = ""


@dataclass(frozen=True)
class Proposal:
    supplier_id: str
    # Unit price per product id, in the RFQ's currency.
    prices: dict[str, Decimal]
    lead_time_days: int
    terms: str
    valid_until: date
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Offer:
    """A proposal as compared: the RFQ's lines at its prices, priced by the engine."""

    proposal: Proposal
    document: pricing.PricedDocument
    total: Decimal
    expired: bool
    cheapest: bool = False


@dataclass
class Rfq:
    id: str
    title: str
    currency: str
    warehouse_id: str
    deadline: datetime
    supplier_ids: tuple[str, ...]
    lines: tuple[RfqLine, ...]
    status: RfqStatus
    notes: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    proposals: dict[str, Proposal] = field(default_factory=dict)
    awarded_supplier_id: str = ""
    purchase_order_id: str = ""

    def _require_open(self, doing: str) -> None:
        if self.status != RfqStatus.OPEN:
            raise FailedPrecondition(
                f"RFQ {self.id} is {self.status.value}; only an open RFQ can be {doing}",
                (FieldViolation("status", f"is {self.status.value}"),),
            )

    def record(self, request: pb.RecordProposalRequest, now: datetime, actor: str) -> Proposal:
        """Records (or replaces) a supplier's proposal, until the deadline."""
        self._require_open("proposed to")
        if now > self.deadline:
            raise FailedPrecondition(
                f"RFQ {self.id} closed for proposals at {self.deadline.isoformat()}",
                (FieldViolation("deadline", f"passed at {self.deadline.isoformat()}"),),
            )
        problems = Violations()
        if request.supplier_id not in self.supplier_ids:
            problems.add("supplier_id", "not a supplier this RFQ was sent to")
        wanted = {line.product_id for line in self.lines}
        prices: dict[str, Decimal] = {}
        named = {line.product_id for line in request.lines}
        for i, line in enumerate(request.lines):
            at = f"lines[{i}]"
            if line.product_id not in wanted:
                problems.add(f"{at}.product_id", f"{line.product_id!r} is not on the RFQ")
            elif line.product_id in prices:
                problems.add(f"{at}.product_id", f"{line.product_id} is priced twice")
            amount = limits.amount(line.unit_price.amount, f"{at}.unit_price.amount", problems)
            prices.setdefault(line.product_id, amount)
            if line.unit_price.currency != self.currency:
                problems.add(
                    f"{at}.unit_price.currency", f"must be the RFQ's currency, {self.currency}"
                )
        missing = [line.product_id for line in self.lines if line.product_id not in named]
        if missing:
            problems.add("lines", f"no price for {', '.join(missing)}")
        if not 0 <= request.lead_time_days <= MAX_LEAD_TIME_DAYS:
            problems.add("lead_time_days", f"between 0 and {MAX_LEAD_TIME_DAYS}")
        # The terms become those of the purchase order made from the proposal.
        limits.text(request.terms, "terms", limits.MAX_TERMS, problems)
        valid_until = now.date()
        try:
            valid_until = date.fromisoformat(request.valid_until)
            if valid_until < now.date():
                problems.add("valid_until", "must be today or later")
        except ValueError:
            problems.add("valid_until", "an ISO date, YYYY-MM-DD")
        problems.raise_if_any()
        proposal = Proposal(
            request.supplier_id,
            prices,
            request.lead_time_days,
            request.terms.strip(),
            valid_until,
            now,
            actor,
        )
        limits.storable_total(self.document(proposal, "proposal"), "lines")
        self.proposals[proposal.supplier_id] = proposal
        self.updated_at = now
        return proposal

    def document(
        self, proposal: Proposal, rule: str, fresh_ids: bool = False
    ) -> pricing.PricedDocument:
        """The RFQ's lines at the proposal's prices, priced by the engine."""
        lines = [
            pricing.DocumentLine(
                line_id=str(uuid.uuid4()) if fresh_ids else line.line_id,
                product_id=line.product_id,
                sku=line.sku,
                description=line.description or line.sku or line.product_id,
                quantity=str(line.quantity),
                unit_price=amount_text(proposal.prices[line.product_id], self.currency),
                price_rule=rule,
                kind="stocked",
            )
            for line in self.lines
        ]
        return price_document(
            pricing.PricedDocument(
                currency=self.currency,
                groups=[pricing.DocumentGroup(name=self.title or "Items", lines=lines)],
            )
        )

    def offers(self, today: date) -> list[Offer]:
        """Every proposal, cheapest first; the cheapest still valid is marked (on a tie in
        total, the shorter lead time, then the earlier proposal)."""
        found = []
        for supplier_id in self.supplier_ids:
            proposal = self.proposals.get(supplier_id)
            if proposal is None:
                continue
            document = self.document(proposal, f"proposal of supplier {supplier_id}")
            total = Decimal(document.breakdown.total)
            found.append(Offer(proposal, document, total, proposal.valid_until < today))
        found.sort(
            key=lambda o: (o.expired, o.total, o.proposal.lead_time_days, o.proposal.recorded_at)
        )
        if found and not found[0].expired:
            first = found[0]
            found[0] = Offer(first.proposal, first.document, first.total, False, True)
        return found

    @property
    def pending_supplier_ids(self) -> list[str]:
        return [s for s in self.supplier_ids if s not in self.proposals]

    def award(self, supplier_id: str, today: date) -> Proposal:
        """Awards the supplier's proposal; the purchase order made from it is set after."""
        self._require_open("awarded")
        proposal = self.proposals.get(supplier_id)
        if proposal is None:
            raise InvalidArgument.of("supplier_id", f"no proposal from supplier {supplier_id}")
        if proposal.valid_until < today:
            raise FailedPrecondition(
                f"the proposal of supplier {supplier_id} was valid until "
                f"{proposal.valid_until.isoformat()}",
                (FieldViolation("valid_until", f"passed on {proposal.valid_until.isoformat()}"),),
            )
        self.status = RfqStatus.AWARDED
        self.awarded_supplier_id = supplier_id
        return proposal

    def order_content(
        self, proposal: Proposal, supplier_terms: str, today: date
    ) -> pb.PurchaseOrderContent:
        """What the purchase order made from the awarded proposal says."""
        return pb.PurchaseOrderContent(
            supplier_id=proposal.supplier_id,
            warehouse_id=self.warehouse_id,
            currency=self.currency,
            expected_on=(today + timedelta(days=proposal.lead_time_days)).isoformat(),
            payment_terms=proposal.terms or supplier_terms,
            notes=f"awarded from RFQ {self.title or self.id}",
        )

    def order_document(self, proposal: Proposal) -> pricing.PricedDocument:
        rule = f"proposal to RFQ {self.title or self.id}"
        return self.document(proposal, rule, fresh_ids=True)


def new_rfq(
    request: pb.CreateRfqRequest,
    deadline: datetime | None,
    known_suppliers: Collection[str],
    now: datetime,
    actor: str,
) -> Rfq:
    """The RFQ, or InvalidArgument naming every field at fault. `deadline` is the request's,
    None when it has none; `known_suppliers` the ids among its suppliers that exist."""
    problems = Violations()
    title = request.title.strip()
    limits.text(title, "title", limits.MAX_NAME, problems)
    try:
        check_currency(request.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    warehouse_id = request.warehouse_id.strip()
    limits.text(warehouse_id, "warehouse_id", limits.MAX_CODE, problems, required=True)
    if deadline is None:
        problems.add("deadline", "required")
    elif deadline <= now:
        problems.add("deadline", "must be in the future")
    _check_suppliers(request.supplier_ids, known_suppliers, problems)
    lines = _rfq_lines(request.lines, now.date(), problems)
    limits.text(request.notes, "notes", limits.MAX_NOTES, problems)
    problems.raise_if_any()
    assert deadline is not None
    return Rfq(
        id=str(uuid.uuid4()),
        title=title,
        currency=request.currency,
        warehouse_id=warehouse_id,
        deadline=deadline,
        supplier_ids=tuple(request.supplier_ids),
        lines=lines,
        status=RfqStatus.OPEN,
        notes=request.notes.strip(),
        created_at=now,
        created_by=actor,
        updated_at=now,
    )


def _check_suppliers(
    supplier_ids: Sequence[str], known: Collection[str], problems: Violations
) -> None:
    if not 1 <= len(supplier_ids) <= MAX_SUPPLIERS:
        problems.add("supplier_ids", f"between 1 and {MAX_SUPPLIERS} suppliers")
    seen: set[str] = set()
    for i, supplier_id in enumerate(supplier_ids[:MAX_SUPPLIERS]):
        if supplier_id in seen:
            problems.add(f"supplier_ids[{i}]", f"{supplier_id} is named twice")
        elif supplier_id not in known:
            problems.add(f"supplier_ids[{i}]", f"no supplier {supplier_id}")
        seen.add(supplier_id)


def _rfq_lines(
    lines: Sequence[pb.RfqLineInput], today: date, problems: Violations
) -> tuple[RfqLine, ...]:
    if not 1 <= len(lines) <= MAX_LINES:
        problems.add("lines", f"between 1 and {MAX_LINES} lines")
    found, seen = [], set()
    for i, line in enumerate(lines[:MAX_LINES]):
        at = f"lines[{i}]"
        product_id = line.product_id.strip()
        limits.text(product_id, f"{at}.product_id", limits.MAX_CODE, problems, required=True)
        if product_id and product_id in seen:
            problems.add(f"{at}.product_id", f"{product_id} has a line already")
        seen.add(product_id)
        limits.text(line.sku.strip(), f"{at}.sku", limits.MAX_CODE, problems)
        limits.text(line.description.strip(), f"{at}.description", limits.MAX_DESCRIPTION, problems)
        limits.quantity(line.quantity, f"{at}.quantity", problems)
        if line.needed_by:
            try:
                if date.fromisoformat(line.needed_by) < today:
                    problems.add(f"{at}.needed_by", "must be today or later")
            except ValueError:
                problems.add(f"{at}.needed_by", "an ISO date, YYYY-MM-DD")
        found.append(
            RfqLine(
                str(uuid.uuid4()),
                product_id,
                line.sku.strip(),
                line.description.strip(),
                line.quantity,
                line.needed_by,
            )
        )
    return tuple(found)
