"""Suppliers: who the company buys from. Plain Python."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from pricing.money import InvalidMoney, check_currency
from servicekit.errors import Violations

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Supplier:
    id: str
    name: str
    email: str
    currency: str
    created_at: datetime
    created_by: str


def new_supplier(name: str, email: str, currency: str, now: datetime, actor: str) -> Supplier:
    problems = Violations()
    if not name.strip():
        problems.add("name", "required")
    elif len(name) > 200:
        problems.add("name", "at most 200 characters")
    if email and not EMAIL.match(email):
        problems.add("email", "not an e-mail address")
    try:
        check_currency(currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    problems.raise_if_any()
    return Supplier(str(uuid.uuid4()), name.strip(), email, currency, now, actor)
