"""A command's fields as values: every fault added to one Violations, by field, so a client sees
all of them at once and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pricing.money import InvalidMoney, Money, check_currency, parse_input_amount
from servicekit.errors import Violations

MAX_ID = 100
MAX_REFERENCE = 200


@dataclass(frozen=True)
class Amount:
    """Money as the client sent it, both parts as text: checked by the use case."""

    amount: str = ""
    currency: str = ""


def money_in(
    problems: Violations, name: str, amount: Amount, *, required: bool = True
) -> Money | None:
    """A command's money as a value, or its faults added to `problems` by field: also when no
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
    """An ISO date money was received (or sent) on, today when empty; never later than
    tomorrow."""
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


def reference_in(problems: Violations, reference: str) -> None:
    if len(reference) > MAX_REFERENCE:
        problems.add("reference", f"at most {MAX_REFERENCE} characters")


def party_in(problems: Violations, name: str, party_id: str) -> None:
    """A customer's or supplier's id: required, at most 100 characters."""
    if not party_id.strip() or len(party_id) > MAX_ID:
        problems.add(name, f"required, at most {MAX_ID} characters")


def end_of(day: date) -> datetime:
    """The first instant after `day` (UTC): what happened before it happened by that day."""
    return datetime.combine(day + timedelta(days=1), time(0), UTC)
