"""The bodies of /suppliers and /supplier-contracts: the suppliers procurement buys from, with
their contacts, and the unit prices agreed with them for a period. Procurement validates the
values and names every field at fault; these bound every size."""

from __future__ import annotations

from pydantic import Field

from gateway.bodies import Code, Date, Id, MaybeWhen, Money, MoneyIn, Request, Response, When
from oms.procurement.v1 import procurement_pb2 as pb


class SupplierContactIn(Request):
    name: str = Field(max_length=200)
    email: str = Field("", max_length=320)
    phone: str = Field("", max_length=50)
    role: str = Field("", max_length=100, examples=["sales"])

    def to_proto(self) -> pb.Contact:
        return pb.Contact(name=self.name, email=self.email, phone=self.phone, role=self.role)


class SupplierChangeIn(Request):
    email: str = Field("", max_length=320)
    contacts: list[SupplierContactIn] = Field(default_factory=list, max_length=20)
    payment_terms: str = Field("", max_length=500, examples=["30 days net"])
    rating: int = Field(0, ge=0, le=5, description="1 (poor) to 5 (excellent); 0: not rated")


class SupplierIn(SupplierChangeIn):
    name: str = Field(max_length=200)
    currency: str = Field(max_length=3, examples=["EUR"])

    def to_proto(self) -> pb.CreateSupplierRequest:
        return pb.CreateSupplierRequest(
            name=self.name,
            email=self.email,
            currency=self.currency,
            contacts=[c.to_proto() for c in self.contacts],
            payment_terms=self.payment_terms,
            rating=self.rating,
        )


class SupplierContact(Response):
    name: str
    email: str
    phone: str
    role: str


class Supplier(Response):
    id: str
    name: str
    email: str
    currency: str
    contacts: list[SupplierContact]
    payment_terms: str
    rating: int = Field(description="1 (poor) to 5 (excellent); 0: not rated")
    created_at: When
    created_by: str
    updated_at: MaybeWhen


class SupplierPage(Response):
    items: list[Supplier]
    next_page_token: str


class ContractPriceIn(Request):
    product_id: Code
    sku: Code = ""
    unit_price: MoneyIn


class ContractIn(Request):
    """Unit prices agreed with a supplier for a period (both dates included)."""

    supplier_id: Id
    reference: str = Field(max_length=200, examples=["Frame agreement 2026"])
    currency: str = Field("", max_length=3, description="empty: the supplier's")
    valid_from: Date
    valid_to: Date
    prices: list[ContractPriceIn] = Field(max_length=5000)

    def to_proto(self, request_id: str) -> pb.CreateContractRequest:
        return pb.CreateContractRequest(
            request_id=request_id,
            supplier_id=self.supplier_id,
            reference=self.reference,
            currency=self.currency,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            prices=[
                pb.ContractPrice(
                    product_id=p.product_id, sku=p.sku, unit_price=p.unit_price.to_proto()
                )
                for p in self.prices
            ],
        )


class ContractPrice(Response):
    product_id: str
    sku: str
    unit_price: Money


class SupplierContract(Response):
    id: str
    supplier_id: str
    reference: str
    currency: str
    valid_from: str
    valid_to: str
    prices: list[ContractPrice]
    created_at: When
    created_by: str


class ContractPage(Response):
    items: list[SupplierContract]
    next_page_token: str
