"""The bodies of /suppliers and /supplier-contracts: the suppliers procurement buys from, with
their contacts, and the unit prices agreed with them for a period. Procurement validates the
values and names every field at fault; these bound every size."""

from __future__ import annotations

from pydantic import Field

from gateway.bodies import Code, Date, Id, MaybeWhen, Money, MoneyIn, Request, Response, When
from gateway.examples import PRODUCT_ID, SUPPLIER_ID, examples, money, page
from oms.procurement.v1 import procurement_pb2 as pb

# Examples for the OpenAPI document (valid instances of their models; no null field, which
# FastAPI leaves out): the widget's supplier, in the story of gateway.examples.
CONTACT = {
    "name": "Maria Lopez",
    "email": "m.lopez@anvil.example",
    "phone": "+49 30 1234567",
    "role": "sales",
}
CHANGE_IN = {
    "email": "orders@anvil.example",
    "contacts": [CONTACT],
    "payment_terms": "30 days net",
    "rating": 4,
}
SUPPLIER_IN = CHANGE_IN | {"name": "Anvil Components GmbH", "currency": "EUR"}
SUPPLIER = SUPPLIER_IN | {
    "id": SUPPLIER_ID,
    "created_at": "2026-01-10T09:00:00Z",
    "created_by": "pia",
    "updated_at": "2026-11-15T14:30:00Z",
}
PRICE_IN = {
    "product_id": PRODUCT_ID,
    "sku": "WIDGET-1",
    "unit_price": money("7.10"),
}
PRICE = PRICE_IN
CONTRACT_IN = {
    "supplier_id": SUPPLIER_ID,
    "reference": "Widgets 2026",
    "currency": "EUR",
    "valid_from": "2026-01-01",
    "valid_to": "2026-12-31",
    "prices": [PRICE_IN],
}
CONTRACT = CONTRACT_IN | {
    "id": "2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819",
    "created_at": "2026-01-12T10:30:00Z",
    "created_by": "pia",
}


class SupplierContactIn(Request):
    """A person to speak to at the supplier."""

    model_config = examples(CONTACT)

    name: str = Field(max_length=200)
    email: str = Field("", max_length=320)
    phone: str = Field("", max_length=50)
    role: str = Field("", max_length=100, examples=["sales"])

    def to_proto(self) -> pb.Contact:
        return pb.Contact(name=self.name, email=self.email, phone=self.phone, role=self.role)


class SupplierChangeIn(Request):
    """What may change of a supplier: its e-mail, contacts, payment terms and rating (each
    replaced)."""

    model_config = examples(CHANGE_IN)

    email: str = Field("", max_length=320)
    contacts: list[SupplierContactIn] = Field(default_factory=list, max_length=20)
    payment_terms: str = Field("", max_length=500, examples=["30 days net"])
    rating: int = Field(0, ge=0, le=5, description="1 (poor) to 5 (excellent); 0: not rated")


class SupplierIn(SupplierChangeIn):
    """A new supplier: its name and currency, and what may change later."""

    model_config = examples(SUPPLIER_IN)

    name: str = Field(max_length=200)
    currency: str = Field(max_length=3, examples=["EUR"])

    def to_proto(self, request_id: str) -> pb.CreateSupplierRequest:
        return pb.CreateSupplierRequest(
            request_id=request_id,
            name=self.name,
            email=self.email,
            currency=self.currency,
            contacts=[c.to_proto() for c in self.contacts],
            payment_terms=self.payment_terms,
            rating=self.rating,
        )


class SupplierContact(Response):
    """A person to speak to at the supplier."""

    model_config = examples(CONTACT)

    name: str
    email: str
    phone: str
    role: str


class Supplier(Response):
    """A supplier procurement buys from."""

    model_config = examples(SUPPLIER)

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
    """A page of suppliers, by name."""

    model_config = examples(page(SUPPLIER))

    items: list[Supplier]
    next_page_token: str = Field(description="empty on the last page")


class ContractPriceIn(Request):
    """The unit price agreed for one product."""

    model_config = examples(PRICE_IN)

    product_id: Code
    sku: Code = ""
    unit_price: MoneyIn


class ContractIn(Request):
    """Unit prices agreed with a supplier for a period (both dates included)."""

    model_config = examples(CONTRACT_IN)

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
    """The unit price agreed for one product."""

    model_config = examples(PRICE)

    product_id: str
    sku: str
    unit_price: Money


class SupplierContract(Response):
    """Unit prices agreed with a supplier for a period (both dates included)."""

    model_config = examples(CONTRACT)

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
    """A page of supplier contracts, newest period first."""

    model_config = examples(page(CONTRACT))

    items: list[SupplierContract]
    next_page_token: str = Field(description="empty on the last page")
