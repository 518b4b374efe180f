"""A priced document -- quote, sales order or invoice -- as the REST API shows it, and the pieces
of one a client enters (discounts, taxes, shipping, pricing policy).

Every amount, rate and quantity stays the decimal string the pricing engine gave, never a float.
This module stands alone (gateway.schemas imports it for sales orders and invoices)."""

from __future__ import annotations

from typing import Any, Literal

from google.protobuf.message import Message
from pydantic import BaseModel, ConfigDict, Field, model_validator

from oms.types.v1 import pricing_pb2


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# What a client enters.


class DiscountIn(_In):
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


class TaxRateIn(_In):
    code: str = Field(max_length=32, examples=["VAT19"])
    rate: str = Field(examples=["0.19"], description="as a fraction: 0.19 for 19 %", max_length=40)

    def to_proto(self) -> pricing_pb2.TaxRate:
        return pricing_pb2.TaxRate(code=self.code, rate=self.rate)


class ShippingChargeIn(_In):
    description: str = Field(max_length=500)
    amount: str = Field(examples=["9.90"], max_length=40)
    taxes: list[TaxRateIn] = Field(default_factory=list, max_length=20)

    def to_proto(self) -> pricing_pb2.ShippingCharge:
        return pricing_pb2.ShippingCharge(
            description=self.description,
            amount=self.amount,
            taxes=[t.to_proto() for t in self.taxes],
        )


class PricingPolicyIn(_In):
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


# What the API answers.


class Discount(_Out):
    percent: str
    amount: str


class TaxRate(_Out):
    code: str
    rate: str


class ShippingCharge(_Out):
    description: str
    amount: str
    taxes: list[TaxRate]


class PricingPolicy(_Out):
    rounding_mode: str
    rounding: str
    prices_include_tax: bool


class KitPart(_Out):
    product_id: str
    sku: str
    quantity: int


class TaxAmount(_Out):
    code: str
    amount: str


class DocumentLine(_Out):
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


class DocumentGroup(_Out):
    name: str
    discount: Discount
    taxes: list[TaxRate]
    lines: list[DocumentLine]


class TaxTotal(_Out):
    code: str
    rate: str
    base: str
    amount: str


class DocumentTotals(_Out):
    subtotal: str
    discounts: str
    net: str
    shipping: str
    taxes: list[TaxTotal]
    total: str


class PricedDocument(_Out):
    """Groups of lines, shipping and the engine's totals; built from oms.types.v1.PricedDocument,
    each line's figures merged into the line (matched by line_id)."""

    currency: str
    policy: PricingPolicy
    engine_version: str
    groups: list[DocumentGroup]
    shipping: list[ShippingCharge]
    totals: DocumentTotals | None = Field(description="null when the engine's figures are absent")

    @model_validator(mode="before")
    @classmethod
    def _from_proto(cls, value: Any) -> Any:
        return document_fields(value) if isinstance(value, pricing_pb2.PricedDocument) else value


def document_fields(document: pricing_pb2.PricedDocument) -> dict[str, Any]:
    """The response's fields of a priced document."""
    breakdown = document.breakdown
    figures = {f.line_id: f for f in breakdown.lines}

    def line(x: pricing_pb2.DocumentLine) -> dict[str, Any]:
        mine = figures.get(x.line_id)
        return {
            "line_id": x.line_id,
            "product_id": x.product_id,
            "sku": x.sku,
            "description": x.description,
            "quantity": x.quantity,
            "unit_price": x.unit_price,
            "discount": x.discount,
            "taxes": list(x.taxes),
            "kind": x.kind,
            "price_rule": x.price_rule,
            "kit_parts": list(x.kit_parts),
            "extended": mine.extended if mine else None,
            "discount_amount": mine.discount if mine else None,
            "net": mine.net if mine else None,
            "tax_amounts": list(mine.taxes) if mine else None,
        }

    return {
        "currency": document.currency,
        "policy": document.policy,
        "engine_version": breakdown.engine_version,
        "groups": [
            {
                "name": g.name,
                "discount": g.discount,
                "taxes": list(g.taxes),
                "lines": [line(x) for x in g.lines],
            }
            for g in document.groups
        ],
        "shipping": list(document.shipping),
        "totals": breakdown if document.HasField("breakdown") else None,
    }


class HasDocument(_Out):
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
