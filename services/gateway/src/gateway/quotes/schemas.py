"""The quoting REST bodies: a quote's content as a salesperson enters it (groups of catalog or
free-text lines, discounts, taxes, shipping, pricing policy), and the priced quote.

The quoting service validates the values and names every field at fault with the same paths
(`groups[0].lines[2].quantity`); these models bound every size the service bounds, with the same
numbers (the limit on lines is the contract's QUOTE_LIMIT_MAX_LINES), so oversized input is a
422 here and never travels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import to_json

from gateway import examples as ex
from gateway.bodies import Count, Id, MaybeWhen, Money, MoneyIn, Request, Response, When
from gateway.documents import (
    Discount,
    HasDocument,
    PricedDocument,
    PricedDocumentIn,
    PricedGroupIn,
    PricedLineIn,
    TaxRate,
    document_fields,
)
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1.types_pb2 import Money as MoneyMessage

# The quoting service's own limit, from the contract: one number for both.
MAX_LINES = pb.QUOTE_LIMIT_MAX_LINES


class LineIn(PricedLineIn):
    """A catalog product (by `sku` or `product_id`), or free text with a `unit_price`."""

    description: str = Field(
        "", max_length=2000, description="required for free text; for a product: its name"
    )
    unit_price: MoneyIn | None = Field(
        None, description="required for free text; for a product it overrides the price list"
    )


class GroupIn(PricedGroupIn[LineIn]):
    """Lines priced together; the quote bounds its lines across all its groups."""


class QuoteIn(PricedDocumentIn[GroupIn]):
    """Everything a quote says; the quoting service prices it."""

    model_config = ex.examples(ex.QUOTE_IN)

    customer_id: Id
    customer_group: str = Field(
        "", max_length=100, description="whose price list prices catalog lines; empty: list prices"
    )
    salesperson: str = Field(
        "",
        max_length=200,
        description="who is responsible; empty: you. Only a sales manager may name another",
    )
    currency: str = Field(max_length=3, examples=["EUR"])
    valid_until: str = Field(
        "", max_length=10, examples=["2026-12-31"], description="YYYY-MM-DD; empty: in 30 days"
    )
    payment_terms: str = Field("", max_length=500)
    terms_and_conditions: str = Field("", max_length=20_000)
    notes: str = Field("", max_length=5000)
    template_id: Id = Field("", description="starts from this template's groups; `groups` follow")
    groups: list[GroupIn] = Field(default_factory=list, max_length=MAX_LINES)

    @field_validator("groups")
    @classmethod
    def _bounded(cls, groups: list[GroupIn]) -> list[GroupIn]:
        if sum(len(g.lines) for g in groups) > MAX_LINES:
            raise ValueError(f"at most {MAX_LINES} lines in all")
        return groups

    def to_proto(self) -> pb.QuoteContent:
        return self.fill(
            pb.QuoteContent(
                customer_id=self.customer_id,
                customer_group=self.customer_group,
                salesperson=self.salesperson,
                currency=self.currency,
                valid_until=self.valid_until,
                payment_terms=self.payment_terms,
                terms_and_conditions=self.terms_and_conditions,
                notes=self.notes,
                template_id=self.template_id,
            )
        )


class LegacyQuoteLineIn(Request):
    """A free-text line of the first version's flat body (deprecated)."""

    description: str = Field(max_length=500)
    quantity: Count
    unit_price: MoneyIn


class QuoteCreateIn(QuoteIn):
    """A quote's content, or (deprecated) the first version's flat body: `customer_id`,
    `salesperson`, `currency` and free-text `lines`."""

    model_config = ex.examples(ex.QUOTE_IN)

    lines: list[LegacyQuoteLineIn] | None = Field(
        None,
        max_length=MAX_LINES,
        json_schema_extra={"deprecated": True},
        description="the first version's free-text lines; use `groups`",
    )

    @field_validator("lines")
    @classmethod
    def _alone(
        cls, lines: list[LegacyQuoteLineIn] | None, info: ValidationInfo
    ) -> list[LegacyQuoteLineIn] | None:
        if lines is not None:
            newer = [
                name
                for name, default in QuoteIn.model_fields.items()
                if name not in ("customer_id", "salesperson", "currency")
                and name in info.data
                and info.data[name] != default.get_default(call_default_factory=True)
            ]
            if newer:
                raise ValueError(f"the first version's lines cannot go with {', '.join(newer)}")
        return lines

    def to_request(self, request_id: str) -> pb.CreateQuoteRequest:
        if self.lines is None:
            return pb.CreateQuoteRequest(content=self.to_proto(), request_id=request_id)
        return pb.CreateQuoteRequest(
            request_id=request_id,
            customer_id=self.customer_id,
            salesperson=self.salesperson,
            currency=self.currency,
            lines=[
                pb.QuoteLine(
                    description=x.description,
                    quantity=x.quantity,
                    unit_price=x.unit_price.to_proto(),
                )
                for x in self.lines
            ],
        )


class AcceptIn(Request):
    """What the accepted quote becomes."""

    model_config = ex.examples(ex.ACCEPT_IN)

    convert_to: Literal["sales_order", "invoice"] = "sales_order"


class RejectIn(Request):
    """The customer's reason."""

    model_config = ex.examples(ex.REJECT_IN)

    reason: str = Field("", max_length=2000)


class ApprovalIn(Request):
    """A sales manager's decision on a quote's discounts that need approval."""

    model_config = ex.examples(ex.APPROVAL_IN)

    decision: Literal["approve", "reject"] = Field(
        description="approve: the quote may be sent; reject: it cannot until changed"
    )
    note: str = Field("", max_length=2000, description="why, for the salesperson")

    def to_proto(self, quote_id: str) -> pb.DecideQuoteDiscountRequest:
        decision = (
            pb.DISCOUNT_DECISION_APPROVE
            if self.decision == "approve"
            else pb.DISCOUNT_DECISION_REJECT
        )
        return pb.DecideQuoteDiscountRequest(quote_id=quote_id, decision=decision, note=self.note)


ApprovalStatus = Literal["not_required", "pending", "approved", "rejected"]


class QuoteApproval(Response):
    """Whether the quote's discounts need a sales manager's approval, and the decision. A quote
    whose approval is `pending` or `rejected` cannot be sent or accepted (409, field
    `approval`); any change of content that leaves a discount above the threshold makes it
    `pending` again."""

    status: ApprovalStatus = Field(
        description="not_required, pending (waits for a sales manager), approved or rejected"
    )
    reason: str | None = Field(
        description='why it is required, e.g. "line 2: 35% off is above the 20% that needs '
        'approval"; null when not required'
    )
    decided_by: str | None = Field(description="the sales manager who decided; null until then")
    decided_at: MaybeWhen = Field(description="when they decided; null until then")
    note: str | None = Field(description="what they wrote with their decision; null when none")

    @model_validator(mode="before")
    @classmethod
    def _from_message(cls, value: Any) -> Any:
        if isinstance(value, pb.QuoteApproval):
            return approval_fields(value)
        return value


def approval_fields(approval: pb.QuoteApproval) -> dict[str, Any]:
    """QuoteApproval's fields from the message: empty texts and an unset time are null; a
    message without an approval (a quote from before approvals) needs none."""
    decided_at: datetime | None = (
        approval.decided_at.ToDatetime(tzinfo=UTC) if approval.HasField("decided_at") else None
    )
    return {
        "status": approval.status or "not_required",
        "reason": approval.reason or None,
        "decided_by": approval.decided_by or None,
        "decided_at": decided_at,
        "note": approval.note or None,
    }


class TemplateIn(Request):
    """The template's name."""

    model_config = ex.examples(ex.TEMPLATE_IN)

    name: str = Field(min_length=1, max_length=200)


class QuoteLine(Response):
    """A line of the first version's view (deprecated)."""

    description: str
    quantity: int
    unit_price: Money
    line_total: Money


class Quote(HasDocument):
    """A quote, one version of it, priced by the engine."""

    model_config = ex.examples(ex.QUOTE)

    id: str
    version: int
    latest_version: int
    status: str = Field(description="draft, sent, accepted, rejected or expired")
    customer_id: str
    customer_group: str
    salesperson: str
    currency: str
    valid_until: str
    payment_terms: str
    terms_and_conditions: str
    notes: str
    converted_to: str = Field(description='for an accepted quote: "sales_order" or "invoice"')
    converted_id: str
    rejection_reason: str
    created_at: When
    created_by: str
    updated_at: When
    team: str = Field(description="the sales team of whoever created it; its manager sees it")
    number: str = Field("", description='gap-free per year, e.g. "Q-2026-000001"')
    order_stalled: str = Field(
        "", description="accepted, but its sales order stalled: why (empty otherwise)"
    )
    approval: QuoteApproval
    total: Money
    document: PricedDocument | None
    lines: list[QuoteLine] = Field(
        json_schema_extra={"deprecated": True},
        description="the first version's view: document's lines, flattened",
    )


# How Quote's fields that are not the message's plain values are read from it.
_READ: dict[str, Callable[[pb.Quote], Any]] = {
    "created_at": lambda q: q.created_at.ToDatetime(tzinfo=UTC),
    "updated_at": lambda q: q.updated_at.ToDatetime(tzinfo=UTC),
    "total": lambda q: _money(q.total),
    "approval": lambda q: approval_fields(q.approval),
    "document": lambda q: document_fields(q.document) if q.HasField("document") else None,
    "lines": lambda q: [
        {
            "description": x.description,
            "quantity": x.quantity,
            "unit_price": _money(x.unit_price),
            "line_total": _money(x.line_total),
        }
        for x in q.lines
    ],
}


def _money(money: MoneyMessage) -> dict[str, str]:
    return {"amount": money.amount, "currency": money.currency}


def quote_json(quote: pb.Quote) -> bytes:
    """Quote's JSON written straight from the message, field for field as Quote would write it
    (tests/unit/test_quote_json.py compares the two): validating the models of a 1,000-line
    quote only to serialize them again was half the gateway's CPU on POST /quotes."""
    fields = {
        name: _READ[name](quote) if name in _READ else getattr(quote, name)
        for name in Quote.model_fields
    }
    return to_json(fields)


class QuotePage(Response):
    """A page of quotes, newest first."""

    model_config = ex.examples(ex.page(ex.QUOTE))

    items: list[Quote]
    next_page_token: str


class TemplateLine(Response):
    """A line of a template, as entered."""

    sku: str
    product_id: str
    description: str
    quantity: int
    unit_price: Money | None
    discount: Discount
    taxes: list[TaxRate]

    @model_validator(mode="before")
    @classmethod
    def _unset_is_null(cls, value: Any) -> Any:
        if isinstance(value, pb.LineInput):
            return {
                "sku": value.sku,
                "product_id": value.product_id,
                "description": value.description,
                "quantity": value.quantity,
                "unit_price": value.unit_price if value.HasField("unit_price") else None,
                "discount": value.discount,
                "taxes": list(value.taxes),
            }
        return value


class TemplateGroup(Response):
    """A group of a template, as entered."""

    name: str
    discount: Discount
    taxes: list[TaxRate]
    lines: list[TemplateLine]


class Template(Response):
    """Groups of lines to start a quote from."""

    model_config = ex.examples(ex.TEMPLATE)

    id: str
    name: str
    groups: list[TemplateGroup]
    created_at: When
    created_by: str


class TemplatePage(Response):
    """A page of templates, by name."""

    model_config = ex.examples(ex.page(ex.TEMPLATE))

    items: list[Template]
    next_page_token: str
