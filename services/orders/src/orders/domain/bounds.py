"""How large what a person enters may be: the columns it is kept in. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pricing.money import LARGEST_AMOUNT, storable
from servicekit.errors import InvalidArgument, Violations

MAX_ADDRESS_ENTRIES = 20
MAX_ADDRESS_KEY = 50
MAX_ADDRESS_VALUE = 200
MAX_CONTRACT_NUMBER = 100
MAX_PAYMENT_TERMS = 200
# The fields a person may set while moving an order, and their columns' sizes.
MOVE_FIELDS = {"contract_number": MAX_CONTRACT_NUMBER, "payment_terms": MAX_PAYMENT_TERMS}


def check_address(problems: Violations, at: str, address: Mapping[str, str] | None) -> None:
    """A shipping address (free keys) small enough to keep."""
    if not address:
        return
    if len(address) > MAX_ADDRESS_ENTRIES:
        problems.add(at, f"at most {MAX_ADDRESS_ENTRIES} entries")
    for key, value in address.items():
        if not 0 < len(key) <= MAX_ADDRESS_KEY:
            problems.add(at, f"keys of 1 to {MAX_ADDRESS_KEY} characters")
        elif len(value) > MAX_ADDRESS_VALUE:
            problems.add(f"{at}.{key}", f"at most {MAX_ADDRESS_VALUE} characters")


def check_total(total: Decimal) -> None:
    """InvalidArgument on `lines` for an order whose total no column can keep."""
    if not storable(total):
        raise InvalidArgument.of("lines", f"the order's total would exceed {LARGEST_AMOUNT:f}")


def check_move_fields(fields: Mapping[str, str]) -> None:
    """The fields a move sets: only those it may, each small enough to keep."""
    problems = Violations()
    for name, value in fields.items():
        if name not in MOVE_FIELDS:
            problems.add(f"fields.{name}", "only contract_number, payment_terms")
        elif len(value) > MOVE_FIELDS[name]:
            problems.add(f"fields.{name}", f"at most {MOVE_FIELDS[name]} characters")
    problems.raise_if_any()
