"""Which price applies: price lists per customer group and currency, with quantity breaks and
validity dates, falling back to the list price. One function decides, and says why."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pricing.money import InvalidMoney, Money, check_currency, parse_input_amount
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import InvalidArgument, Violations

MAX_LIST_NAME = 200
MAX_CUSTOMER_GROUP = 100
# One break per product and quantity step: room for a large catalog's list.
MAX_BREAKS = 10_000


@dataclass(frozen=True)
class PriceBreak:
    product_id: str
    min_quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class PriceList:
    id: str
    name: str
    currency: str
    customer_group: str  # "" applies to every customer
    valid_from: date | None
    valid_to: date | None  # inclusive
    breaks: tuple[PriceBreak, ...]

    def applies(self, customer_group: str, currency: str, on: date) -> bool:
        return (
            self.currency == currency
            and self.customer_group in ("", customer_group)
            and (self.valid_from is None or self.valid_from <= on)
            and (self.valid_to is None or on <= self.valid_to)
        )


@dataclass(frozen=True)
class ResolvedPrice:
    unit_price: Money
    rule: str  # e.g. "price list 'Wholesale' (group wholesale), from 10 units"


def resolve_price(
    product_id: str,
    list_price: Money,
    customer_group: str,
    currency: str,
    quantity: int,
    on: date,
    price_lists: Sequence[PriceList],
) -> ResolvedPrice | None:
    """The unit price for (product, customer, quantity, date).

    A list for the customer's own group beats a list for everyone; within the winning lists the
    largest quantity break the order reaches applies; a tie goes to the lower price. Without any,
    the list price applies if it is in the asked currency; otherwise there is no price (None)."""
    candidates = [
        (bool(pl.customer_group), b.min_quantity, -b.unit_price, pl, b)
        for pl in price_lists
        if pl.applies(customer_group, currency, on)
        for b in pl.breaks
        if b.product_id == product_id and b.min_quantity <= quantity
    ]
    if candidates:
        *_, chosen_list, chosen = max(candidates, key=lambda c: c[:3])
        group = f" (group {chosen_list.customer_group})" if chosen_list.customer_group else ""
        return ResolvedPrice(
            Money(chosen.unit_price, currency).trimmed(),
            f"price list '{chosen_list.name}'{group}, from {chosen.min_quantity} units",
        )
    if list_price.currency == currency:
        return ResolvedPrice(list_price, "list price")
    return None


def new_price_list(
    name: str,
    currency: str,
    customer_group: str,
    valid_from: date | None,
    valid_to: date | None,
    breaks: Sequence[tuple[str, int, str]],  # product id, minimum quantity, unit price
) -> PriceList:
    problems = Violations()
    if not name.strip() or len(name) > MAX_LIST_NAME:
        problems.add("name", f"1-{MAX_LIST_NAME} characters")
    try:
        check_currency(currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    if len(customer_group) > MAX_CUSTOMER_GROUP:
        problems.add("customer_group", f"at most {MAX_CUSTOMER_GROUP} characters")
    if valid_from and valid_to and valid_from > valid_to:
        problems.add("valid_to", "must not be before valid_from")
    if not breaks:
        problems.add("breaks", "at least one price")
    elif len(breaks) > MAX_BREAKS:
        problems.add("breaks", f"at most {MAX_BREAKS:,}")
        breaks = ()  # one violation says it all
    parsed = _breaks(breaks, problems)
    problems.raise_if_any()
    return PriceList(
        str(uuid.uuid4()),
        name.strip(),
        currency,
        customer_group,
        valid_from,
        valid_to,
        parsed,
    )


def _breaks(breaks: Sequence[tuple[str, int, str]], problems: Violations) -> tuple[PriceBreak, ...]:
    parsed = []
    seen = set()
    for i, (product_id, min_quantity, amount) in enumerate(breaks):
        if not product_id:
            problems.add(f"breaks[{i}].product_id", "required")
        if not 1 <= min_quantity <= MAX_QUANTITY:
            problems.add(f"breaks[{i}].min_quantity", f"between 1 and {MAX_QUANTITY:,}")
        if (product_id, min_quantity) in seen:
            problems.add(f"breaks[{i}]", "the same product and quantity appear twice")
        seen.add((product_id, min_quantity))
        try:
            price = parse_input_amount(amount)
            if price < 0:
                problems.add(f"breaks[{i}].unit_price", "must not be negative")
            parsed.append(PriceBreak(product_id, min_quantity, price))
        except InvalidMoney as error:
            problems.add(f"breaks[{i}].unit_price", str(error))
    # in the order every read gives them, so the answer to a create and to its retry agree
    return tuple(sorted(parsed, key=lambda b: (b.product_id, b.min_quantity)))


def parse_date(field: str, value: str) -> date | None:
    """A date as a client writes it (YYYY-MM-DD); None for "" (no date)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InvalidArgument.of(field, "a date as YYYY-MM-DD") from error
