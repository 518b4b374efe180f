"""A sales order and its order-to-cash journey through its type's pipeline.

Plain Python. The order is the saga's persisted state: every event from inventory and billing is
applied here, and each transition returns the domain events it causes, for the caller to journal
and publish in the same transaction. An event that arrives late or twice causes nothing new.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from orders.domain import pipeline as stages
from orders.domain.bounds import check_move_fields
from orders.domain.credit import Exposure
from orders.domain.events import (
    CostIncurred,
    OrderedLine,
    ReturnAuthorized,
    ReturnedLine,
    SalesOrderApproved,
    SalesOrderCancelled,
    SalesOrderEvent,
    SalesOrderHoldChanged,
    SalesOrderLinesChanged,
    SalesOrderNoted,
    SalesOrderStatusChanged,
)
from orders.domain.lines import Line, ReturnRequest, StockStatus, check_change, check_return
from orders.domain.order_pricing import requantified
from orders.domain.pipeline import Pipeline
from orders.domain.rest_cut import rest_cut
from pricing.document import PricedDocument
from pricing.engine import total_of
from pricing.money import Money
from servicekit.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    PermissionDenied,
)

Events = list[SalesOrderEvent]


@dataclass
class SalesOrder:
    id: str
    customer_id: str
    currency: str
    channel: str
    lines: list[Line]
    created_at: datetime
    created_by: str
    status: str = stages.REQUEST
    status_reason: str = ""
    order_type: str = "standard"
    salesperson: str = ""
    contract_number: str = ""
    payment_terms: str = ""
    shipping_address: dict[str, str] | None = None
    stock_status: str = StockStatus.PENDING
    credit_hold: str = ""
    estimated_cost: Decimal | None = None
    shipments: int = 0
    invoices: int = 0
    invoices_paid: int = 0
    invoiced_in_full: bool = False
    version: int = 0
    updated_at: datetime | None = None
    # What the order was sold as, when that is more than its lines (a quote's, a kit's).
    document: PricedDocument | None = None
    quote_id: str = ""
    external_reference: str = ""
    team: str = ""
    review_note: str = ""  # why a channel's figures need a person's review (channel_pricing)

    @property
    def total(self) -> Money:
        if self.document is not None:
            return self.document.total
        lines = [(Decimal(x.quantity), x.unit_price.amount) for x in self.lines]
        return Money(total_of(self.currency, lines), self.currency)

    @property
    def backordered(self) -> int:
        return sum(line.backordered for line in self.lines)

    def ordered_lines(self) -> tuple[OrderedLine, ...]:
        return tuple(
            OrderedLine(line.id, line.product_id, line.sku, line.quantity, line.unit_price)
            for line in self.lines
        )

    def note(self, text: str) -> Events:
        return [SalesOrderNoted(self.id, text)]

    def cost_estimate(self) -> Decimal | None:
        """Goods at cost, when the catalog knew every line's cost."""
        if any(line.unit_cost is None for line in self.lines):
            return None
        return sum(
            (line.unit_cost * line.quantity for line in self.lines if line.unit_cost), Decimal(0)
        )

    def _present(self) -> dict[str, bool]:
        return {
            "contract_number": bool(self.contract_number),
            "payment_terms": bool(self.payment_terms),
            "shipping_address": bool(self.shipping_address),
            "salesperson": bool(self.salesperson),
        }

    def _move(self, to: str, reason: str = "", released: str = "in credit") -> Events:
        """`released`: how a credit hold ends should this move enter execution."""
        events: Events = [SalesOrderStatusChanged(self.id, self.status, to, reason, self.channel)]
        self.status = to
        self.status_reason = reason
        if to == stages.EXECUTION:
            if self.credit_hold:
                events.append(SalesOrderHoldChanged(self.id, on_hold=False, reason=released))
            self.credit_hold = ""
            self.estimated_cost = self.cost_estimate()
            events.append(SalesOrderApproved(self.id))
        if to == stages.CANCELLED:
            events.append(SalesOrderCancelled(self.id, reason))
        return events

    # -- the pipeline --------------------------------------------------------------------------

    def advance(self, pipeline: Pipeline, exposure: Exposure | None) -> Events:
        """Makes every automatic move open to the order now; stops at approval on credit hold,
        with the reason, when credit control refuses the order. Without an `exposure` (after a
        milestone an event reached) no automatic move enters execution."""
        events: Events = []
        while (move := pipeline.auto_from(self.status)) is not None:
            if move.target == stages.EXECUTION:
                if exposure is None:
                    return events
                refused = exposure.refuses(self.total)
                if refused:
                    return events + self._hold(refused)
            events += self._move(move.target, "automatic")
        return events

    def _hold(self, reason: str) -> Events:
        if reason == self.credit_hold:
            return []
        self.credit_hold = reason
        return [
            SalesOrderNoted(self.id, f"credit hold: {reason}"),
            SalesOrderHoldChanged(self.id, on_hold=True, reason=reason),
        ]

    def transition(
        self,
        pipeline: Pipeline,
        target: str,
        roles: Sequence[str],
        fields: Mapping[str, str],
        reason: str,
        release_credit_hold: bool,
        exposure: Exposure,
    ) -> Events:
        """A person's move; refused whole (nothing changes) when the pipeline, the roles, the
        required fields or the customer's credit do not allow it. Finance releases a credit hold
        by moving the order on with `release_credit_hold`, whoever else the pipeline lets move
        it."""
        check_move_fields(fields)
        present = self._present() | {name: bool(value) for name, value in fields.items()}
        refused = exposure.refuses(self.total) if target == stages.EXECUTION else ""
        releasing = bool(refused) and release_credit_hold
        if releasing and not {"finance", "admin"} & set(roles):
            raise PermissionDenied("releasing a credit hold needs the finance role")
        pipeline.check_move(self.status, target, roles, present, releasing)
        if refused and not releasing:
            raise FailedPrecondition(
                f"order {self.id} is on credit hold: {refused}",
                (FieldViolation("release_credit_hold", refused),),
            )
        events: Events = []
        released = "in credit"
        if releasing:
            events.append(SalesOrderNoted(self.id, f"credit hold released: {refused}"))
            released = "released by finance" + (f": {reason.strip()}" if reason else "")
        self.contract_number = fields.get("contract_number", self.contract_number)
        self.payment_terms = fields.get("payment_terms", self.payment_terms)
        events += self._move(target, reason, released)
        return events + self.advance(pipeline, exposure)

    def _system_move(self, pipeline: Pipeline, target: str, reason: str = "") -> Events:
        """A milestone an event reached. From a stage the pipeline has no path for (goods shipped
        before approval, say) the move is still made -- the goods did leave -- and noted."""
        if self.status == target:
            return []
        events: Events = []
        if pipeline.transition(self.status, target) is None:
            events += self.note(f"{target} while {self.status}: recorded as it happened")
        events += self._move(target, reason)
        return events + self.advance(pipeline, None)

    # -- stock ---------------------------------------------------------------------------------

    def _line(self, line_id: str) -> Line:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise ValueError(f"order {self.id} has no line {line_id}")

    def stock_reserved(self, reserved: Mapping[str, int], backordered: Mapping[str, int]) -> Events:
        """Inventory's answer to the order: what it holds per line and what waits."""
        for line in self.lines:
            line.reserved = reserved.get(line.id, 0)
            line.backordered = backordered.get(line.id, 0)
        return self._stock_status(
            StockStatus.BACKORDERED if self.backordered else StockStatus.RESERVED
        )

    def backorder_allocated(self, allocated: Mapping[str, int], complete: bool) -> Events:
        for line_id, quantity in allocated.items():
            line = self._line(line_id)
            moved = min(quantity, line.backordered)
            line.reserved += quantity
            line.backordered -= moved
        if complete:
            for line in self.lines:
                line.backordered = 0
        return self._stock_status(
            StockStatus.BACKORDERED if self.backordered else StockStatus.RESERVED
        )

    def reservation_released(self, reason: str) -> Events:
        for line in self.lines:
            line.reserved = line.backordered = 0
        return self._stock_status(StockStatus.RELEASED, reason)

    def stock_rejected(self, pipeline: Pipeline, reason: str) -> Events:
        events = self._stock_status(StockStatus.REJECTED, reason)
        if pipeline.stage(self.status).open and self.shipments == 0:
            events += self._system_move(pipeline, stages.CANCELLED, reason)
        return events

    def _stock_status(self, status: str, why: str = "") -> Events:
        if status == self.stock_status:
            return []
        self.stock_status = status
        return self.note(f"stock {status}" + (f": {why}" if why else ""))

    # -- fulfilment, billing -------------------------------------------------------------------

    def shipped(
        self, pipeline: Pipeline, shipment_id: str, quantities: Mapping[str, int]
    ) -> Events:
        """Records one shipment's quantities per line id, and the goods cost it carried."""
        if self.status == stages.CANCELLED:
            raise ValueError(f"order {self.id} was cancelled; it cannot ship")
        for line_id, quantity in quantities.items():
            line = self._line(line_id)
            if line.shipped + quantity > line.quantity:
                raise ValueError(f"shipment exceeds what order {self.id} ordered on line {line_id}")
        carried: list[tuple[str, Decimal]] = []
        for line_id, quantity in quantities.items():
            line = self._line(line_id)
            line.shipped += quantity
            line.reserved = max(0, line.reserved - quantity)
            if line.unit_cost is not None:
                carried.append((f"{quantity} x {line.sku} at cost", line.unit_cost * quantity))
        self.shipments += 1
        everything = all(line.shipped == line.quantity for line in self.lines)
        events = self._system_move(
            pipeline, stages.SHIPPED if everything else stages.PARTIALLY_SHIPPED
        )
        events += self._settle(pipeline)
        if carried:
            total = sum((amount for _, amount in carried), Decimal(0))
            description = "; ".join(text for text, _ in carried)
            source = f"shipment:{shipment_id}"
            events.append(CostIncurred(self.id, "goods", total, description, source))
        return events

    def invoiced(self, pipeline: Pipeline, covers_order: bool = False) -> Events:
        """Records one invoice: billing issues one per shipment, or one for the whole order."""
        self.invoices += 1
        self.invoiced_in_full |= covers_order
        return self._settle(pipeline)

    def invoice_paid(self, pipeline: Pipeline) -> Events:
        self.invoices_paid += 1
        return self._settle(pipeline)

    def invoice_reopened(self, pipeline: Pipeline, why: str) -> Events:
        """A payment on one of its paid invoices was taken back: a paid order is invoiced again."""
        self.invoices_paid = max(0, self.invoices_paid - 1)
        reason = f"payment taken back: {why}"
        if self.status not in (stages.PAID, stages.CLOSED):
            return self.note(reason)
        return self._system_move(pipeline, stages.INVOICED, reason)

    def _settle(self, pipeline: Pipeline) -> Events:
        # Invoices, payments and shipments travel on different topics: whichever comes last
        # settles.
        events: Events = []
        if self.status == stages.SHIPPED and (
            self.invoiced_in_full or self.invoices >= self.shipments
        ):
            events += self._system_move(pipeline, stages.INVOICED)
        if self.status == stages.INVOICED and self.invoices_paid >= self.invoices:
            events += self._system_move(pipeline, stages.PAID)
        return events

    def record_cost(self, kind: str, amount: Decimal, description: str) -> Events:
        """A cost a person records as it occurs (shipping, a service...)."""
        return [
            SalesOrderNoted(
                self.id, f"{kind} cost {amount} {self.currency} recorded: {description}"
            ),
            CostIncurred(self.id, kind, amount, description),
        ]

    # -- exceptions ----------------------------------------------------------------------------

    def cancel(self, pipeline: Pipeline, roles: Sequence[str], reason: str) -> Events:
        """Nothing shipped: the order is cancelled. Part shipped: only the rest is."""
        if not reason.strip():
            raise InvalidArgument.of("reason", "required")
        pipeline.check_move(self.status, stages.CANCELLED, roles, self._present())
        if any(line.shipped for line in self.lines):
            return self._cancel_rest(pipeline, reason.strip())
        return self._move(stages.CANCELLED, reason.strip())

    def _cancel_rest(self, pipeline: Pipeline, reason: str) -> Events:
        """Each line keeps what shipped, a kit sold as one line its whole kits shipped
        (SalesOrderLinesChanged: inventory lets the rest go; billing bills what is left, per
        shipment or, for an order billed whole, once all of it has shipped); the order goes on as
        shipped -> invoiced -> paid -> closed."""
        cut = rest_cut(self.id, self.lines, self.document)
        what = ", ".join(
            f"{x.sku} {x.quantity - x.shipped}" for x in self.lines if x.id in cut.lines
        )
        if self.document is not None:  # the document repriced for what shipped
            self.document = requantified(self.document, cut.document)
        for line in self.lines:
            line.quantity = line.shipped
        self.lines = [line for line in self.lines if line.quantity > 0]
        why = f"rest cancelled ({what} not shipped): {reason}"
        changed = SalesOrderLinesChanged(self.id, self.ordered_lines(), self.document)
        events = [*self.note(why), changed]
        return events + self._system_move(pipeline, stages.SHIPPED, why) + self._settle(pipeline)

    def change(
        self, quantities: Mapping[str, int], shipping_address: dict[str, str] | None
    ) -> Events:
        """New quantities (0 drops a line) or a new address, before what they touch has shipped."""
        if self.status not in stages.CHANGEABLE:
            raise FailedPrecondition(f"order {self.id} is {self.status}; it can no longer change")
        if quantities and self.quote_id:
            raise FailedPrecondition(
                f"order {self.id} was made from quote {self.quote_id}: revise the quote instead"
            )
        check_change(self.lines, self.currency, quantities, shipping_address)
        if quantities and self.document is not None:
            self.document = requantified(self.document, quantities)
        events: Events = []
        for line_id, quantity in quantities.items():
            line = self._line(line_id)
            if quantity != line.quantity:
                events += self.note(f"line {line.sku}: quantity {line.quantity} -> {quantity}")
                line.quantity = quantity
        self.lines = [line for line in self.lines if line.quantity > 0]
        if quantities:
            events.append(SalesOrderLinesChanged(self.id, self.ordered_lines(), self.document))
        if shipping_address is not None and shipping_address != self.shipping_address:
            self.shipping_address = shipping_address
            events += self.note("shipping address changed")
        return events

    def authorize_return(
        self, quantities: Mapping[str, int], reason: str, returned_before: Mapping[str, int]
    ) -> tuple[ReturnRequest, Events]:
        """A return authorisation for shipped goods not yet returned or authorised."""
        check_return(self.lines, quantities, reason, returned_before)
        authorised = ReturnRequest(str(uuid.uuid4()), dict(quantities), reason.strip())
        products = {line.id: line.product_id for line in self.lines}
        returned = tuple(
            ReturnedLine(line_id, products[line_id], units)
            for line_id, units in authorised.lines.items()
        )
        return authorised, [
            *self.note(f"return {authorised.id[:8]} authorised: {authorised.reason}"),
            ReturnAuthorized(authorised.id, self.id, authorised.reason, returned),
        ]

    def return_received(self, return_id: str, quantities: Mapping[str, int]) -> Events:
        for line_id, quantity in quantities.items():
            self._line(line_id).returned += quantity
        return self.note(f"return {return_id[:8]} received: {sum(quantities.values())} units back")
