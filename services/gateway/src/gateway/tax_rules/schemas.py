"""Tax rules as a client enters them and as the API shows them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gateway.bodies import Request, Response
from gateway.examples import examples
from oms.catalog.v1 import catalog_pb2 as pb

# Examples for the OpenAPI document (valid instances of their models; no null field, which
# FastAPI leaves out), in the story of gateway.examples.
TAX_RULE_IN = {
    "tax_category": "standard",
    "tax_zone": "DE",
    "code": "VAT19",
    "rate": "0.19",
    "valid_from": "2026-01-01",
    "valid_to": "",
}
TAX_RULE = TAX_RULE_IN | {"id": "6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a"}


class TaxRuleIn(Request):
    """A tax that products of a tax category carry for customers in a tax zone, for a period."""

    model_config = examples(TAX_RULE_IN)

    tax_category: Literal["standard", "reduced", "exempt"] = Field(
        description="the products' tax category it taxes"
    )
    tax_zone: str = Field(max_length=32, examples=["DE"], description="the customers' tax zone")
    code: str = Field(max_length=32, examples=["VAT"])
    rate: str = Field(max_length=20, examples=["0.19"], description="as a fraction: 0.19 = 19 %")
    valid_from: str = Field("", max_length=10, description="YYYY-MM-DD; empty: always has")
    valid_to: str = Field("", max_length=10, description="YYYY-MM-DD, inclusive; empty: open")

    def to_proto(self) -> pb.CreateTaxRuleRequest:
        return pb.CreateTaxRuleRequest(
            tax_category=self.tax_category,
            tax_zone=self.tax_zone,
            code=self.code,
            rate=self.rate,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
        )


class TaxRule(Response):
    """A tax a product tax category carries in a customer tax zone, with its period."""

    model_config = examples(TAX_RULE)

    id: str
    tax_category: str
    tax_zone: str
    code: str
    rate: str
    valid_from: str
    valid_to: str


class TaxRuleList(Response):
    """Every tax rule (of one zone), by zone, tax category and code; not paged."""

    model_config = examples({"items": [TAX_RULE]})

    items: list[TaxRule]
