"""Tax rules as a client enters them and as the API shows them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gateway.bodies import Request, Response
from oms.catalog.v1 import catalog_pb2 as pb


class TaxRuleIn(Request):
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
    id: str
    tax_category: str
    tax_zone: str
    code: str
    rate: str
    valid_from: str
    valid_to: str


class TaxRuleList(Response):
    items: list[TaxRule]
