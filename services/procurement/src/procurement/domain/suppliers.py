"""Suppliers: who the company buys from, whom to talk to there, on what terms. Plain Python."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from pricing.money import InvalidMoney, check_currency
from procurement.domain import limits
from procurement.domain.events import SupplierCreated
from servicekit.errors import Violations

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_CONTACTS = 20


@dataclass(frozen=True)
class Contact:
    name: str
    email: str = ""
    phone: str = ""
    role: str = ""


@dataclass(frozen=True)
class Supplier:
    id: str
    name: str
    email: str
    currency: str
    created_at: datetime
    created_by: str
    contacts: tuple[Contact, ...] = ()
    payment_terms: str = ""
    # 1 (poor) to 5 (excellent); 0: not rated.
    rating: int = 0
    updated_at: datetime | None = None


def _check_details(
    email: str,
    contacts: Sequence[Contact],
    payment_terms: str,
    rating: int,
    problems: Violations,
) -> tuple[Contact, ...]:
    _check_email(email, "email", problems)
    if len(contacts) > MAX_CONTACTS:
        problems.add("contacts", f"at most {MAX_CONTACTS}")
    cleaned = []
    for i, contact in enumerate(contacts[:MAX_CONTACTS]):
        at = f"contacts[{i}]"
        limits.text(contact.name, f"{at}.name", limits.MAX_NAME, problems, required=True)
        _check_email(contact.email, f"{at}.email", problems)
        limits.text(contact.phone, f"{at}.phone", 50, problems)
        limits.text(contact.role, f"{at}.role", 100, problems)
        cleaned.append(
            Contact(
                contact.name.strip(), contact.email, contact.phone.strip(), contact.role.strip()
            )
        )
    limits.text(payment_terms, "payment_terms", limits.MAX_TERMS, problems)
    if not (rating == 0 or 1 <= rating <= 5):
        problems.add("rating", "between 1 and 5 (0: not rated)")
    return tuple(cleaned)


def _check_email(email: str, field: str, problems: Violations) -> None:
    if len(email) > limits.MAX_EMAIL:
        problems.add(field, f"at most {limits.MAX_EMAIL} characters")
    elif email and not EMAIL.match(email):
        problems.add(field, "not an e-mail address")


def new_supplier(
    name: str,
    email: str,
    currency: str,
    now: datetime,
    actor: str,
    contacts: Sequence[Contact] = (),
    payment_terms: str = "",
    rating: int = 0,
) -> tuple[Supplier, list[SupplierCreated]]:
    """The supplier and its announcement, or InvalidArgument naming every field at fault."""
    problems = Violations()
    limits.text(name, "name", limits.MAX_NAME, problems, required=True)
    try:
        check_currency(currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    cleaned = _check_details(email, contacts, payment_terms, rating, problems)
    problems.raise_if_any()
    supplier = Supplier(
        str(uuid.uuid4()),
        name.strip(),
        email,
        currency,
        now,
        actor,
        cleaned,
        payment_terms.strip(),
        rating,
        now,
    )
    return supplier, [SupplierCreated(supplier.id, supplier.name, supplier.currency)]


@dataclass(frozen=True)
class SupplierChange:
    email: str
    contacts: tuple[Contact, ...] = field(default_factory=tuple)
    payment_terms: str = ""
    rating: int = 0


def changed_supplier(supplier: Supplier, change: SupplierChange, now: datetime) -> Supplier:
    """The supplier with new e-mail, contacts, terms and rating (its name and currency stay)."""
    problems = Violations()
    cleaned = _check_details(
        change.email, change.contacts, change.payment_terms, change.rating, problems
    )
    problems.raise_if_any()
    return replace(
        supplier,
        email=change.email,
        contacts=cleaned,
        payment_terms=change.payment_terms.strip(),
        rating=change.rating,
        updated_at=now,
    )
