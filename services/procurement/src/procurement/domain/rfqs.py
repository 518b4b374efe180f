"""Requests for quotation: lines a buyer wants priced, sent to several suppliers at once; each
supplier's proposal until the deadline; the proposals side by side, each totalled by the pricing
engine; and the award of one, which becomes a draft purchase order. Plain Python. (An RFQ as
entered, and how it opens: rfq_content.)"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pricing.document import DocumentGroup, DocumentLine, PricedDocument, price_document
from procurement.domain import limits
from procurement.domain.limits import EnteredMoney
from procurement.domain.order_content import OrderContent, amount_text
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, Violations

MAX_LEAD_TIME_DAYS = 3650


class RfqStatus(StrEnum):
    OPEN = "open"
    AWARDED = "awarded"


@dataclass(frozen=True)
class ProposalLineInput:
    product_id: str
    unit_price: EnteredMoney


@dataclass(frozen=True)
class ProposalInput:
    """One supplier's answer as the buyer enters it."""

    supplier_id: str
    lines: tuple[ProposalLineInput, ...]
    lead_time_days: int = 0
    terms: str = ""
    valid_until: str = ""


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
    document: PricedDocument
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

    def record(self, request: ProposalInput, now: datetime, actor: str) -> Proposal:
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
        prices = self._prices(request.lines, problems)
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

    def _prices(
        self, lines: Sequence[ProposalLineInput], problems: Violations
    ) -> dict[str, Decimal]:
        """A unit price for every line of the RFQ, in its currency, by product id."""
        wanted = {line.product_id for line in self.lines}
        prices: dict[str, Decimal] = {}
        for i, line in enumerate(lines):
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
        named = {line.product_id for line in lines}
        missing = [line.product_id for line in self.lines if line.product_id not in named]
        if missing:
            problems.add("lines", f"no price for {', '.join(missing)}")
        return prices

    def document(self, proposal: Proposal, rule: str, fresh_ids: bool = False) -> PricedDocument:
        """The RFQ's lines at the proposal's prices, priced by the engine."""
        lines = tuple(
            DocumentLine(
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
        )
        return price_document(
            PricedDocument(self.currency, (DocumentGroup(self.title or "Items", lines),))
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
            total = document.total.amount
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

    def ordered(self, purchase_order_id: str, now: datetime) -> None:
        """The purchase order made from the awarded proposal."""
        self.purchase_order_id = purchase_order_id
        self.updated_at = now

    def order_content(self, proposal: Proposal, supplier_terms: str, today: date) -> OrderContent:
        """What the purchase order made from the awarded proposal says."""
        return OrderContent(
            supplier_id=proposal.supplier_id,
            warehouse_id=self.warehouse_id,
            currency=self.currency,
            expected_on=(today + timedelta(days=proposal.lead_time_days)).isoformat(),
            payment_terms=proposal.terms or supplier_terms,
            notes=f"awarded from RFQ {self.title or self.id}",
        )

    def order_document(self, proposal: Proposal) -> PricedDocument:
        rule = f"proposal to RFQ {self.title or self.id}"
        return self.document(proposal, rule, fresh_ids=True)
