"""A request's fields as values: every fault added to one Violations, by field."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from oms.types.v1 import types_pb2
from pricing.money import InvalidMoney, Money, check_currency, parse_input_amount
from servicekit.errors import Violations


def money_in(
    problems: Violations, name: str, amount: types_pb2.Money, *, required: bool = True
) -> Money | None:
    """A request's money as a value, or its faults added to `problems` by field: also when no
    column could keep it (more than 12 digits before the point or 6 after)."""
    if not required and not amount.amount and not amount.currency:
        return None
    money = None
    try:
        check_currency(amount.currency)
    except InvalidMoney as error:
        problems.add(f"{name}.currency", str(error))
    try:
        money = Money(parse_input_amount(amount.amount), amount.currency)
    except InvalidMoney as error:
        problems.add(name, str(error))
    return money


def day_in(problems: Violations, name: str, text: str) -> date:
    """An ISO date received (a payment's), today when empty; never later than tomorrow."""
    today = datetime.now(UTC).date()
    if not text:
        return today
    try:
        day = date.fromisoformat(text)
    except ValueError:
        problems.add(name, "a date as YYYY-MM-DD")
        return today
    # Tomorrow is still today somewhere: money is never received (or sent) any later.
    if day > today + timedelta(days=1):
        problems.add(name, "cannot be in the future")
    return day


def as_of_in(problems: Violations, name: str, text: str) -> date:
    """A report's date: an ISO date, today (UTC) when empty."""
    if not text:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.add(name, "a date as YYYY-MM-DD")
        return datetime.now(UTC).date()
