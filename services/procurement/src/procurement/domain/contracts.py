"""Supplier contracts: unit prices agreed with a supplier per product for a period. A purchase
order line for a product under contract takes the contract's price. Plain Python."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pricing.money import InvalidMoney, check_currency
from procurement.domain import limits
from procurement.domain.limits import EnteredMoney
from procurement.domain.suppliers import Supplier
from servicekit.errors import Violations

MAX_PRICES = 5000


@dataclass(frozen=True)
class ContractPriceInput:
    product_id: str
    unit_price: EnteredMoney
    sku: str = ""


@dataclass(frozen=True)
class ContractInput:
    """A contract as the buyer enters it; an empty currency is the supplier's."""

    supplier_id: str
    reference: str
    valid_from: str
    valid_to: str
    prices: tuple[ContractPriceInput, ...]
    currency: str = ""


@dataclass(frozen=True)
class ContractPrice:
    product_id: str
    sku: str
    unit_price: Decimal


@dataclass(frozen=True)
class SupplierContract:
    id: str
    supplier_id: str
    reference: str
    currency: str
    valid_from: date
    valid_to: date
    prices: tuple[ContractPrice, ...]
    created_at: datetime
    created_by: str

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to

    @property
    def rule(self) -> str:
        """How a line priced by this contract says so (DocumentLine.price_rule)."""
        return (
            f"contract {self.reference!r} "
            f"({self.valid_from.isoformat()} to {self.valid_to.isoformat()})"
        )


@dataclass(frozen=True)
class AgreedPrice:
    unit_price: Decimal
    rule: str


def parse_date(text: str, name: str, problems: Violations) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.add(name, "an ISO date, YYYY-MM-DD")
        return None


def new_contract(
    request: ContractInput, supplier: Supplier | None, now: datetime, actor: str
) -> SupplierContract:
    """The contract, or InvalidArgument naming every field at fault; `supplier` is the one
    the request names, None when there is none."""
    problems = Violations()
    if not request.supplier_id:
        problems.add("supplier_id", "required")
    elif supplier is None:
        problems.add("supplier_id", f"no supplier {request.supplier_id}")
    supplier_currency = supplier.currency if supplier else ""
    reference = request.reference.strip()
    limits.text(reference, "reference", limits.MAX_NAME, problems, required=True)
    currency = request.currency or supplier_currency
    try:
        if currency or supplier is not None:
            check_currency(currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    valid_from = parse_date(request.valid_from, "valid_from", problems)
    valid_to = parse_date(request.valid_to, "valid_to", problems)
    if valid_from and valid_to and valid_to < valid_from:
        problems.add("valid_to", "must not be before valid_from")
    prices = _prices(request.prices, currency, problems)
    problems.raise_if_any()
    assert valid_from is not None
    assert valid_to is not None
    return SupplierContract(
        str(uuid.uuid4()),
        request.supplier_id,
        reference,
        currency,
        valid_from,
        valid_to,
        prices,
        now,
        actor,
    )


def _prices(
    entered: Sequence[ContractPriceInput], currency: str, problems: Violations
) -> tuple[ContractPrice, ...]:
    if not 1 <= len(entered) <= MAX_PRICES:
        problems.add("prices", f"between 1 and {MAX_PRICES} products")
    prices, seen = [], set()
    for i, price in enumerate(entered[:MAX_PRICES]):
        at = f"prices[{i}]"
        product_id = price.product_id.strip()
        limits.text(product_id, f"{at}.product_id", limits.MAX_CODE, problems, required=True)
        if product_id and product_id in seen:
            problems.add(f"{at}.product_id", f"{product_id} is priced twice")
        seen.add(product_id)
        limits.text(price.sku.strip(), f"{at}.sku", limits.MAX_CODE, problems)
        amount = limits.amount(price.unit_price.amount, f"{at}.unit_price.amount", problems)
        if currency and price.unit_price.currency != currency:
            problems.add(
                f"{at}.unit_price.currency", f"must be the contract's currency, {currency}"
            )
        prices.append(ContractPrice(product_id, price.sku.strip(), amount))
    return tuple(prices)


def agreed_prices(
    contracts: Iterable[SupplierContract], currency: str, day: date
) -> Mapping[str, AgreedPrice]:
    """Each product's price from the contracts in `currency` covering `day`; where two cover
    the same product, the one that started last (then the one made last) wins."""
    found: dict[str, AgreedPrice] = {}
    ordered = sorted(
        (c for c in contracts if c.currency == currency and c.covers(day)),
        key=lambda c: (c.valid_from, c.created_at),
    )
    for contract in ordered:
        for price in contract.prices:
            found[price.product_id] = AgreedPrice(price.unit_price, contract.rule)
    return found
