"""A customer account as entered: the client's input (amounts as strings), checked field by
field. Plain Python.

`check_input` names every field at fault at once, with the paths the client sent
("contacts[1].email"), and yields the normalised `Details` an account is made of. An update
replaces only the fields it names (`merged`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal

from pricing.money import InvalidMoney, Money, check_currency, parse_amount
from servicekit.errors import Violations

# A guest: a one-off buyer a sales channel (a web shop's checkout) registers with its order.
KINDS = ("company", "person", "guest")
MAX_CONTACTS = 50
# Bounds of the columns the values are kept in.
MAX_NAME = 200
MAX_TAX_ID = 50
MAX_TAX_ZONE = 32
MAX_TAX_EXEMPTION = 500
MAX_EMAIL = 320
MAX_GROUP = 100
MAX_TERMS = 100
MAX_PHONE = 40
MAX_ROLE = 100
MAX_ADDRESS_LINE = 200
MAX_CITY = 100
MAX_POSTAL_CODE = 20
MAX_STATE = 100
# Numeric(18, 6): twelve digits before the point.
MAX_AMOUNT = Decimal("999999999999")

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{3,40}$")

# ISO 3166-1 alpha-2: the officially assigned codes.
COUNTRIES = frozenset([
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"
])  # fmt: skip


@dataclass(frozen=True)
class Contact:
    name: str
    email: str = ""
    phone: str = ""
    role: str = ""


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    country: str
    line2: str = ""
    postal_code: str = ""
    state: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "line1": self.line1,
            "line2": self.line2,
            "city": self.city,
            "postal_code": self.postal_code,
            "country": self.country,
            "state": self.state,
        }

    @classmethod
    def from_dict(cls, value: dict[str, str] | None) -> Address | None:
        if value is None:
            return None
        return cls(
            line1=value.get("line1", ""),
            line2=value.get("line2", ""),
            city=value.get("city", ""),
            postal_code=value.get("postal_code", ""),
            country=value.get("country", ""),
            state=value.get("state", ""),
        )


@dataclass(frozen=True)
class MoneyInput:
    """An amount as the client sent it: a decimal string and a currency code."""

    amount: str
    currency: str


@dataclass(frozen=True)
class CustomerInput:
    """Every editable field of an account, as entered (before validation)."""

    name: str
    kind: str
    currency: str
    tax_id: str = ""
    email: str = ""
    customer_group: str = ""
    payment_terms: str = ""
    credit_limit: MoneyInput | None = None
    contacts: tuple[Contact, ...] = ()
    billing_address: Address | None = None
    shipping_address: Address | None = None
    # Which tax rules price the customer's orders (catalog's zones, e.g. "DE"); "": none.
    tax_zone: str = ""
    # Why the customer pays no tax (printed on its documents); "": not exempt. Finance's.
    tax_exemption: str = ""


@dataclass(frozen=True)
class Details:
    """The validated, normalised editable fields."""

    name: str
    kind: str
    currency: str
    tax_id: str
    email: str
    customer_group: str
    payment_terms: str
    credit_limit: Money | None
    contacts: tuple[Contact, ...]
    billing_address: Address | None
    shipping_address: Address | None
    tax_zone: str = ""
    tax_exemption: str = ""


@dataclass
class _Check:
    problems: Violations = field(default_factory=Violations)

    def text(
        self, at: str, value: str, limit: int, required: bool = False, single_line: bool = True
    ) -> str:
        value = value.strip()
        if required and not value:
            self.problems.add(at, "required")
        elif len(value) > limit:
            self.problems.add(at, f"at most {limit} characters")
        elif single_line and any(c in value for c in "\r\n\t\0"):
            self.problems.add(at, "a single line of text")
        return value

    def email(self, at: str, value: str) -> str:
        value = self.text(at, value, MAX_EMAIL)
        if value and len(value) <= MAX_EMAIL and not EMAIL.match(value):
            self.problems.add(at, "not an e-mail address")
        return value

    def address(self, at: str, address: Address | None) -> Address | None:
        if address is None:
            return None
        line1 = self.text(f"{at}.line1", address.line1, MAX_ADDRESS_LINE, required=True)
        line2 = self.text(f"{at}.line2", address.line2, MAX_ADDRESS_LINE)
        city = self.text(f"{at}.city", address.city, MAX_CITY, required=True)
        postal_code = self.text(f"{at}.postal_code", address.postal_code, MAX_POSTAL_CODE)
        country = address.country.strip().upper()
        if not country:
            self.problems.add(f"{at}.country", "required")
        elif country not in COUNTRIES:
            self.problems.add(f"{at}.country", "an ISO 3166-1 alpha-2 country code, e.g. DE")
        state = self.text(f"{at}.state", address.state, MAX_STATE)
        return Address(line1, city, country, line2, postal_code, state)

    def contact(self, at: str, contact: Contact) -> Contact:
        name = self.text(f"{at}.name", contact.name, MAX_NAME, required=True)
        email = self.email(f"{at}.email", contact.email)
        phone = self.text(f"{at}.phone", contact.phone, MAX_PHONE)
        if phone and len(phone) <= MAX_PHONE and not PHONE.match(phone):
            self.problems.add(f"{at}.phone", "digits, spaces and + ( ) . / - only")
        role = self.text(f"{at}.role", contact.role, MAX_ROLE)
        return Contact(name, email, phone, role)

    def credit_limit(self, limit: MoneyInput | None, currency: str) -> Money | None:
        if limit is None:
            return None
        amount: Decimal | None = None
        try:
            amount = parse_amount(limit.amount.strip())
        except InvalidMoney as error:
            self.problems.add("credit_limit.amount", str(error))
        if amount is not None and amount < 0:
            self.problems.add("credit_limit.amount", "must not be negative")
        elif amount is not None and amount > MAX_AMOUNT:
            self.problems.add("credit_limit.amount", f"at most {MAX_AMOUNT}")
        if limit.currency != currency:
            self.problems.add(
                "credit_limit.currency", f"the customer's currency ({currency or 'none given'})"
            )
        if amount is None:
            return None
        return Money(amount, limit.currency)


def check_input(entered: CustomerInput) -> Details:
    """The account's fields, normalised; InvalidArgument naming every field at fault."""
    check = _Check()
    problems = check.problems
    name = check.text("name", entered.name, MAX_NAME, required=True)
    if entered.kind not in KINDS:
        problems.add("kind", f"one of {', '.join(KINDS)}")
    tax_id = check.text("tax_id", entered.tax_id, MAX_TAX_ID)
    email = check.email("email", entered.email)
    group = check.text("customer_group", entered.customer_group, MAX_GROUP)
    currency = entered.currency.strip()
    try:
        check_currency(currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    terms = check.text("payment_terms", entered.payment_terms, MAX_TERMS)
    limit = check.credit_limit(entered.credit_limit, currency)
    if len(entered.contacts) > MAX_CONTACTS:
        problems.add("contacts", f"at most {MAX_CONTACTS} contacts")
    contacts = tuple(check.contact(f"contacts[{i}]", c) for i, c in enumerate(entered.contacts))
    billing = check.address("billing_address", entered.billing_address)
    shipping = check.address("shipping_address", entered.shipping_address)
    zone = check.text("tax_zone", entered.tax_zone, MAX_TAX_ZONE)
    exemption = check.text("tax_exemption", entered.tax_exemption, MAX_TAX_EXEMPTION)
    problems.raise_if_any()
    return Details(
        name=name,
        kind=entered.kind,
        currency=currency,
        tax_id=tax_id,
        email=email,
        customer_group=group,
        payment_terms=terms,
        credit_limit=limit,
        contacts=contacts,
        billing_address=billing,
        shipping_address=shipping,
        tax_zone=zone,
        tax_exemption=exemption,
    )


EDITABLE = tuple(f.name for f in fields(CustomerInput))


def as_input(details: Details) -> CustomerInput:
    """The stored account as it would be entered, so an update can keep what it leaves out."""
    limit = details.credit_limit
    return CustomerInput(
        name=details.name,
        kind=details.kind,
        currency=details.currency,
        tax_id=details.tax_id,
        email=details.email,
        customer_group=details.customer_group,
        payment_terms=details.payment_terms,
        credit_limit=None if limit is None else MoneyInput(str(limit.amount), limit.currency),
        contacts=details.contacts,
        billing_address=details.billing_address,
        shipping_address=details.shipping_address,
        tax_zone=details.tax_zone,
        tax_exemption=details.tax_exemption,
    )


def merged(current: Details, given: CustomerInput, replaced: Collection[str]) -> CustomerInput:
    """The account's input with the `replaced` fields taken from `given`, the rest as stored."""
    return replace(as_input(current), **{name: getattr(given, name) for name in replaced})
