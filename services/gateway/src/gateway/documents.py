"""A priced document -- quote, purchase order, sales order or invoice -- as a client enters it
and as the REST API shows it.

A client enters quotes and purchase orders the same way (PricedDocumentIn): groups of lines with
discounts and taxes, shipping and a pricing policy; each document adds how its lines are bounded
and what else it says. The API shows every priced document the same way (PricedDocument). Every
amount, rate and quantity stays the decimal string the pricing engine gave, never a float."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, Literal, TypeVar

from google.protobuf.message import Message
from pydantic import Field, model_validator

from gateway.bodies import WHOLE_UNITS, Code, Count, Id, MoneyIn, Request, Response
from oms.procurement.v1 import procurement_pb2
from oms.quoting.v1 import quoting_pb2
from oms.types.v1 import pricing_pb2

# The wire messages a priced document is entered in: the quoting service's or procurement's.
LineMessage = TypeVar("LineMessage", quoting_pb2.LineInput, procurement_pb2.PurchaseOrderLineInput)
GroupMessage = TypeVar(
    "GroupMessage", quoting_pb2.GroupInput, procurement_pb2.PurchaseOrderGroupInput
)
ContentMessage = TypeVar(
    "ContentMessage", quoting_pb2.QuoteContent, procurement_pb2.PurchaseOrderContent
)


# What a client enters.


class DiscountIn(Request):
    """Either or both; never takes a line below zero."""

    percent: str = Field(
        "", examples=["10"], description='"10" for 10 %; empty: none', max_length=40
    )
    amount: str = Field(
        "",
        examples=["5.00"],
        description="taken off after the percentage; empty: none",
        max_length=40,
    )

    def to_proto(self) -> pricing_pb2.Discount:
        return pricing_pb2.Discount(percent=self.percent, amount=self.amount)


class TaxRateIn(Request):
    """A tax by its code and rate."""

    code: str = Field(max_length=32, examples=["VAT19"])
    rate: str = Field(examples=["0.19"], description="as a fraction: 0.19 for 19 %", max_length=40)

    def to_proto(self) -> pricing_pb2.TaxRate:
        return pricing_pb2.TaxRate(code=self.code, rate=self.rate)


class ShippingChargeIn(Request):
    """A shipping charge and its taxes."""

    description: str = Field(max_length=500)
    amount: str = Field(examples=["9.90"], max_length=40)
    taxes: list[TaxRateIn] = Field(default_factory=list, max_length=20)

    def to_proto(self) -> pricing_pb2.ShippingCharge:
        return pricing_pb2.ShippingCharge(
            description=self.description,
            amount=self.amount,
            taxes=[t.to_proto() for t in self.taxes],
        )


class PricingPolicyIn(Request):
    """How the engine rounds and whether prices include tax."""

    rounding_mode: Literal["per_line", "per_document"] = "per_line"
    rounding: Literal["half_up", "half_even"] = "half_up"
    prices_include_tax: bool = Field(
        False, description="true when unit prices and shipping include their taxes"
    )

    def to_proto(self) -> pricing_pb2.PricingPolicy:
        return pricing_pb2.PricingPolicy(
            rounding_mode=self.rounding_mode,
            rounding=self.rounding,
            prices_include_tax=self.prices_include_tax,
        )


class PricedLineIn(Request):
    """A line: a product (by `sku` or `product_id`) or free text, its quantity and what it says
    of its price."""

    sku: Code = ""
    product_id: Id = ""
    description: str = Field("", max_length=2000)
    quantity: Count = Field(description=WHOLE_UNITS)
    unit_price: MoneyIn | None = None
    discount: DiscountIn | None = None
    taxes: list[TaxRateIn] = Field(default_factory=list, max_length=20)

    def fill(self, line: LineMessage) -> LineMessage:
        """`line` (a wire line message) saying what this line says."""
        line.sku = self.sku
        line.product_id = self.product_id
        line.description = self.description
        line.quantity = self.quantity
        line.taxes.extend(t.to_proto() for t in self.taxes)
        if self.unit_price is not None:
            line.unit_price.CopyFrom(self.unit_price.to_proto())
        if self.discount is not None:
            line.discount.CopyFrom(self.discount.to_proto())
        return line


Line = TypeVar("Line", bound=PricedLineIn)


class PricedGroupIn(Request, Generic[Line]):
    """Lines priced together: the group's discount and taxes apply to each of them."""

    name: str = Field(max_length=200, examples=["Hardware"])
    discount: DiscountIn | None = Field(
        None, description="on the group's lines after their own, shared in proportion"
    )
    taxes: list[TaxRateIn] = Field(
        default_factory=list, max_length=20, description="on every line, on top of its own"
    )
    lines: list[Line] = Field(default_factory=list)

    def fill(self, group: GroupMessage) -> GroupMessage:
        """`group` (a wire group message) saying what this group says."""
        group.name = self.name
        for line in self.lines:
            line.fill(group.lines.add())
        group.taxes.extend(t.to_proto() for t in self.taxes)
        if self.discount is not None:
            group.discount.CopyFrom(self.discount.to_proto())
        return group


Group = TypeVar("Group", bound=PricedGroupIn[Any])


class PricedDocumentIn(Request, Generic[Group]):
    """What the service prices: groups of lines, shipping and the pricing policy."""

    groups: list[Group] = Field(default_factory=list)
    shipping: list[ShippingChargeIn] = Field(default_factory=list, max_length=100)
    policy: PricingPolicyIn | None = Field(
        None, description="absent: per line, half up, tax-exclusive prices"
    )

    def fill(self, content: ContentMessage) -> ContentMessage:
        """`content` (a wire content message) with this document's groups, shipping and policy."""
        for group in self.groups:
            group.fill(content.groups.add())
        content.shipping.extend(s.to_proto() for s in self.shipping)
        if self.policy is not None:
            content.policy.CopyFrom(self.policy.to_proto())
        return content


# What the API answers.


class Discount(Response):
    """A percentage, an amount, or both; empty: none."""

    percent: str
    amount: str


class TaxRate(Response):
    """A tax by its code and rate (a fraction: 0.19 for 19 %)."""

    code: str
    rate: str


class ShippingCharge(Response):
    """A shipping charge and its taxes."""

    description: str
    amount: str
    taxes: list[TaxRate]


class PricingPolicy(Response):
    """How the engine rounded and whether prices include tax."""

    rounding_mode: str
    rounding: str
    prices_include_tax: bool


class KitPart(Response):
    """A product in a kit line and how many of it."""

    product_id: str
    sku: str
    quantity: int


class TaxAmount(Response):
    """The tax of one code on a line."""

    code: str
    amount: str


class DocumentLine(Response):
    """A line as entered and priced, with its own figures from the engine's breakdown (null
    when the document carries no figures for it)."""

    line_id: str
    product_id: str
    sku: str
    description: str
    quantity: str
    unit_price: str
    discount: Discount
    taxes: list[TaxRate]
    kind: str
    price_rule: str
    kit_parts: list[KitPart]
    extended: str | None = Field(description="quantity x unit price")
    discount_amount: str | None = Field(description="line and group discount together")
    net: str | None = Field(description="tax-exclusive, after discounts")
    tax_amounts: list[TaxAmount] | None


class DocumentGroup(Response):
    """Lines priced together, with the group's discount and taxes."""

    name: str
    discount: Discount
    taxes: list[TaxRate]
    lines: list[DocumentLine]


class TaxTotal(Response):
    """The tax of one code and rate over the document, and its base."""

    code: str
    rate: str
    base: str
    amount: str


class GroupTotals(Response):
    """One group's share of the totals; the groups' figures add up to the document's."""

    name: str
    subtotal: str
    discount: str
    net: str
    tax: str


class DocumentTotals(Response):
    """The engine's figures for the whole document."""

    subtotal: str
    discounts: str
    net: str
    shipping: str
    taxes: list[TaxTotal] = Field(description="one per tax code and rate")
    total: str
    groups: list[GroupTotals] = Field(description="each group's figures, in document order")
    shipping_tax: str = Field(description="the tax on shipping")


class PricedDocument(Response):
    """Groups of lines, shipping and the engine's totals; built from oms.types.v1.PricedDocument,
    each line's figures merged into the line (matched by line_id)."""

    currency: str
    policy: PricingPolicy
    engine_version: str
    groups: list[DocumentGroup]
    shipping: list[ShippingCharge]
    totals: DocumentTotals | None = Field(description="null when the engine's figures are absent")
    tax_exemption: str = Field(description="why a taxable document carries no tax; empty if not")

    @model_validator(mode="before")
    @classmethod
    def _from_proto(cls, value: Any) -> Any:
        return document_fields(value) if isinstance(value, pricing_pb2.PricedDocument) else value


def document_fields(document: pricing_pb2.PricedDocument) -> dict[str, Any]:
    """The response's fields of a priced document, as plain values (what its JSON says):
    PricedDocument validates them, and POST /quotes writes them out as they are."""
    breakdown = document.breakdown
    figures = {f.line_id: f for f in breakdown.lines}
    policy = document.policy
    return {
        "currency": document.currency,
        "policy": {
            "rounding_mode": policy.rounding_mode,
            "rounding": policy.rounding,
            "prices_include_tax": policy.prices_include_tax,
        },
        "engine_version": breakdown.engine_version,
        "groups": [
            {
                "name": g.name,
                "discount": _discount(g.discount),
                "taxes": _taxes(g.taxes),
                "lines": [_line_fields(x, figures.get(x.line_id)) for x in g.lines],
            }
            for g in document.groups
        ],
        "shipping": [
            {"description": s.description, "amount": s.amount, "taxes": _taxes(s.taxes)}
            for s in document.shipping
        ],
        "totals": _totals(breakdown) if document.HasField("breakdown") else None,
        "tax_exemption": document.tax_exemption,
    }


def _line_fields(
    line: pricing_pb2.DocumentLine, mine: pricing_pb2.LineFigures | None
) -> dict[str, Any]:
    """A line as entered and priced, with its figures from the breakdown when it has any."""
    return {
        "line_id": line.line_id,
        "product_id": line.product_id,
        "sku": line.sku,
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "discount": _discount(line.discount),
        "taxes": _taxes(line.taxes),
        "kind": line.kind,
        "price_rule": line.price_rule,
        "kit_parts": [
            {"product_id": k.product_id, "sku": k.sku, "quantity": k.quantity}
            for k in line.kit_parts
        ],
        "extended": mine.extended if mine else None,
        "discount_amount": mine.discount if mine else None,
        "net": mine.net if mine else None,
        "tax_amounts": [{"code": t.code, "amount": t.amount} for t in mine.taxes] if mine else None,
    }


def _totals(breakdown: pricing_pb2.Breakdown) -> dict[str, Any]:
    return {
        "subtotal": breakdown.subtotal,
        "discounts": breakdown.discounts,
        "net": breakdown.net,
        "shipping": breakdown.shipping,
        "taxes": [
            {"code": t.code, "rate": t.rate, "base": t.base, "amount": t.amount}
            for t in breakdown.taxes
        ],
        "total": breakdown.total,
        "groups": [
            {
                "name": g.name,
                "subtotal": g.subtotal,
                "discount": g.discount,
                "net": g.net,
                "tax": g.tax,
            }
            for g in breakdown.groups
        ],
        "shipping_tax": breakdown.shipping_tax,
    }


def _discount(discount: pricing_pb2.Discount) -> dict[str, str]:
    return {"percent": discount.percent, "amount": discount.amount}


def _taxes(taxes: Iterable[pricing_pb2.TaxRate]) -> list[dict[str, str]]:
    return [{"code": t.code, "rate": t.rate} for t in taxes]


class HasDocument(Response):
    """For a response read from a message with a `document` field, to declare as
    `document: PricedDocument | None`: null unless the message has one (a proto3 sub-message
    reads as an empty default when unset)."""

    @model_validator(mode="before")
    @classmethod
    def _unset_document_is_null(cls, value: Any) -> Any:
        if isinstance(value, Message) and "document" in value.DESCRIPTOR.fields_by_name:
            fields = {f.name: getattr(value, f.name) for f in value.DESCRIPTOR.fields}
            fields["document"] = fields["document"] if value.HasField("document") else None
            return fields
        return value
