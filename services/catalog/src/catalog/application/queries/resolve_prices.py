"""ResolvePrice and ResolvePrices: the one place a product's price for a customer is decided
(domain.price_lists.resolve_price), for one product or a quote's worth at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from catalog.application.ports import UnitsOfWork
from catalog.domain import price_lists
from catalog.domain.price_lists import ResolvedPrice, parse_date
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound

# Prices asked for in one call: a quote's lines, with room to spare.
MAX_QUERIES = 5000


@dataclass(frozen=True)
class ResolvePrice:
    product_id: str
    customer_group: str
    currency: str
    quantity: int
    # YYYY-MM-DD; "" for today
    on: str = ""


@dataclass(frozen=True)
class ResolvePrices:
    customer_group: str
    currency: str
    # YYYY-MM-DD; "" for today
    on: str
    # (product id, quantity)
    queries: Sequence[tuple[str, int]]


async def resolve_price(units: UnitsOfWork, query: ResolvePrice) -> ResolvedPrice:
    """NotFound for an unknown product; FailedPrecondition when it has no price in the
    currency."""
    _check_quantity(query.quantity, "quantity")
    (found,) = await resolve_prices(
        units,
        ResolvePrices(
            query.customer_group, query.currency, query.on, [(query.product_id, query.quantity)]
        ),
    )
    if isinstance(found, str):
        raise (NotFound if found.startswith("no product") else FailedPrecondition)(found)
    return found


async def resolve_prices(units: UnitsOfWork, query: ResolvePrices) -> list[ResolvedPrice | str]:
    """Each (product, quantity)'s price, or why there is none, in the order asked."""
    if len(query.queries) > MAX_QUERIES:
        raise InvalidArgument.of("queries", f"at most {MAX_QUERIES}")
    for i, (_, quantity) in enumerate(query.queries):
        _check_quantity(quantity, f"queries[{i}].quantity")
    day = parse_date("date", query.on) or datetime.now(UTC).date()
    ids = sorted({product_id for product_id, _ in query.queries})
    async with units() as uow:
        products = await uow.products.list_prices(ids)
        lists = await uow.price_lists.for_products(ids, query.currency)
    answers: list[ResolvedPrice | str] = []
    for product_id, quantity in query.queries:
        product = products.get(product_id)
        if product is None:
            answers.append(f"no product {product_id}")
            continue
        found = price_lists.resolve_price(
            product_id,
            product.list_price,
            query.customer_group,
            query.currency,
            quantity,
            day,
            lists.get(product_id, []),
        )
        answers.append(found or f"{product.sku} has no price in {query.currency}")
    return answers


def _check_quantity(quantity: int, field: str) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidArgument.of(field, f"between 1 and {MAX_QUANTITY:,}")
