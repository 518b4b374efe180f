"""The customer master's REST bodies: an account as sales, the order desk or finance enter it, a
change to some of its fields, and the account as stored.

The orders service validates the values (currencies, countries, e-mail addresses, the credit
limit's currency) and names every field at fault with these same paths
(`contacts[1].email`, `billing_address.country`); these models only bound sizes generously. Only
finance sets a credit limit or changes payment terms (403 otherwise)."""

from __future__ import annotations

from typing import Any, Literal

from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.message import Message
from pydantic import Field, model_validator

from gateway import examples as ex
from gateway.bodies import MAX_VERSION, Money, MoneyIn, Request, Response, When
from oms.orders.v1 import customers_pb2 as pb


class ContactIn(Request):
    """A person to contact at the customer."""

    name: str = Field(max_length=400, examples=["Ada Buyer"])
    email: str = Field("", max_length=640)
    phone: str = Field("", max_length=80, examples=["+49 30 123456"])
    role: str = Field("", max_length=200, examples=["purchasing"])

    def to_proto(self) -> pb.CustomerContact:
        return pb.CustomerContact(
            name=self.name, email=self.email, phone=self.phone, role=self.role
        )


class AddressIn(Request):
    """A postal address."""

    line1: str = Field(max_length=400, examples=["Hauptstr. 1"])
    line2: str = Field("", max_length=400)
    city: str = Field(max_length=200, examples=["Berlin"])
    postal_code: str = Field("", max_length=40, examples=["10115"])
    country: str = Field(max_length=10, examples=["DE"], description="ISO 3166-1 alpha-2")
    state: str = Field("", max_length=200)

    def to_proto(self) -> pb.CustomerAddress:
        return pb.CustomerAddress(
            line1=self.line1,
            line2=self.line2,
            city=self.city,
            postal_code=self.postal_code,
            country=self.country,
            state=self.state,
        )


Kind = Literal["company", "person", "guest"]


class CustomerIn(Request):
    """Every editable field of an account. A sales channel registers a one-off buyer as kind
    `guest`; a credit limit is finance's to grant."""

    model_config = ex.examples(ex.CUSTOMER_IN)

    name: str = Field(max_length=400, examples=["Acme GmbH"])
    kind: Kind = Field(examples=["company"])
    tax_id: str = Field("", max_length=100, examples=["DE123456789"])
    email: str = Field("", max_length=640)
    customer_group: str = Field(
        "", max_length=200, description="selects the price list; empty: list prices"
    )
    currency: str = Field(max_length=3, examples=["EUR"])
    payment_terms: str = Field("", max_length=200, examples=["30 days net"])
    credit_limit: MoneyIn | None = Field(
        None, description="in the customer's currency, >= 0; absent or null: no limit"
    )
    contacts: list[ContactIn] = Field(default_factory=list, max_length=200)
    billing_address: AddressIn | None = None
    shipping_address: AddressIn | None = None
    tax_zone: str = Field("", max_length=64, description="which tax rules price its orders")
    tax_exemption: str = Field(
        "", max_length=1000, description="finance only: why it pays no tax, printed on documents"
    )

    def to_proto(self) -> pb.CustomerInput:
        message = pb.CustomerInput(
            name=self.name,
            kind=self.kind,
            tax_id=self.tax_id,
            email=self.email,
            customer_group=self.customer_group,
            currency=self.currency,
            payment_terms=self.payment_terms,
            contacts=[c.to_proto() for c in self.contacts],
            tax_zone=self.tax_zone,
            tax_exemption=self.tax_exemption,
        )
        if self.credit_limit is not None:
            message.credit_limit.CopyFrom(self.credit_limit.to_proto())
        if self.billing_address is not None:
            message.billing_address.CopyFrom(self.billing_address.to_proto())
        if self.shipping_address is not None:
            message.shipping_address.CopyFrom(self.shipping_address.to_proto())
        return message


class CustomerUpdateIn(Request):
    """The fields to change: each one given replaces the stored value (null clears the credit
    limit or an address); each one left out stays as it was."""

    model_config = ex.examples(ex.CUSTOMER_UPDATE_IN)

    name: str | None = Field(None, max_length=400)
    kind: Kind | None = None
    tax_id: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=640)
    customer_group: str | None = Field(None, max_length=200)
    currency: str | None = Field(None, max_length=3)
    payment_terms: str | None = Field(None, max_length=200, description="finance only")
    credit_limit: MoneyIn | None = Field(None, description="finance only; null: no limit")
    contacts: list[ContactIn] | None = Field(None, max_length=200)
    billing_address: AddressIn | None = None
    shipping_address: AddressIn | None = None
    tax_zone: str | None = Field(None, max_length=64)
    tax_exemption: str | None = Field(None, max_length=1000, description="finance only")
    version: int = Field(
        0, ge=0, le=MAX_VERSION, description="the version read; 0 or absent: change regardless"
    )

    def to_proto(self, customer_id: str) -> pb.UpdateCustomerRequest:
        """The update naming exactly the fields the body gave (null ones left empty: cleared)."""
        given = sorted(self.model_fields_set - {"version"})
        entered = pb.CustomerInput()
        for name in given:
            value = getattr(self, name)
            if value is None:
                continue
            if name == "contacts":
                entered.contacts.extend(c.to_proto() for c in value)
            elif isinstance(value, MoneyIn | AddressIn):
                getattr(entered, name).CopyFrom(value.to_proto())
            else:
                setattr(entered, name, value)
        return pb.UpdateCustomerRequest(
            customer_id=customer_id,
            customer=entered,
            version=self.version,
            update_mask=FieldMask(paths=given),
        )


class Contact(Response):
    """A person to contact at the customer."""

    name: str
    email: str
    phone: str
    role: str


class Address(Response):
    """A postal address."""

    line1: str
    line2: str
    city: str
    postal_code: str
    country: str
    state: str


class Customer(Response):
    """A customer account; `version` changes with every update."""

    model_config = ex.examples(ex.CUSTOMER)

    id: str
    name: str
    kind: str
    tax_id: str
    email: str
    customer_group: str
    currency: str
    payment_terms: str
    credit_limit: Money | None = Field(description="null: no limit")
    contacts: list[Contact]
    billing_address: Address | None
    shipping_address: Address | None
    tax_zone: str
    tax_exemption: str
    version: int
    created_at: When
    created_by: str
    updated_at: When
    updated_by: str

    @model_validator(mode="before")
    @classmethod
    def _unset_is_null(cls, value: Any) -> Any:
        # A proto3 sub-message reads as an empty default when unset: absent means null here.
        if isinstance(value, Message):
            fields = {f.name: getattr(value, f.name) for f in value.DESCRIPTOR.fields}
            for name in ("credit_limit", "billing_address", "shipping_address"):
                fields[name] = fields[name] if value.HasField(name) else None
            return fields
        return value


class CustomerPage(Response):
    """A page of customers, by name."""

    model_config = ex.examples(ex.page(ex.CUSTOMER))

    items: list[Customer]
    next_page_token: str = Field(description="empty on the last page")
