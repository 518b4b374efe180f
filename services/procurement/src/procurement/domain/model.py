"""Suppliers: who the company buys from, whom to talk to there, on what terms. Plain Python."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from pricing.money import InvalidMoney, check_currency
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
    if email and not EMAIL.match(email):
        problems.add("email", "not an e-mail address")
    if len(contacts) > MAX_CONTACTS:
        problems.add("contacts", f"at most {MAX_CONTACTS}")
    cleaned = []
    for i, contact in enumerate(contacts[:MAX_CONTACTS]):
        if not contact.name.strip():
            problems.add(f"contacts[{i}].name", "required")
        elif len(contact.name) > 200:
            problems.add(f"contacts[{i}].name", "at most 200 characters")
        if contact.email and not EMAIL.match(contact.email):
            problems.add(f"contacts[{i}].email", "not an e-mail address")
        if len(contact.phone) > 50:
            problems.add(f"contacts[{i}].phone", "at most 50 characters")
        if len(contact.role) > 100:
            problems.add(f"contacts[{i}].role", "at most 100 characters")
        cleaned.append(
            Contact(
                contact.name.strip(), contact.email, contact.phone.strip(), contact.role.strip()
            )
        )
    if len(payment_terms) > 500:
        problems.add("payment_terms", "at most 500 characters")
    if not (rating == 0 or 1 <= rating <= 5):
        problems.add("rating", "between 1 and 5 (0: not rated)")
    return tuple(cleaned)


def new_supplier(
    name: str,
    email: str,
    currency: str,
    now: datetime,
    actor: str,
    contacts: Sequence[Contact] = (),
    payment_terms: str = "",
    rating: int = 0,
) -> Supplier:
    problems = Violations()
    if not name.strip():
        problems.add("name", "required")
    elif len(name) > 200:
        problems.add("name", "at most 200 characters")
    try:
        check_currency(currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    cleaned = _check_details(email, contacts, payment_terms, rating, problems)
    problems.raise_if_any()
    return Supplier(
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
