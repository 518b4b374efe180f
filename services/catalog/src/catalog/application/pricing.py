"""Price lists, and the one place a product's price for a customer is decided."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from catalog.adapters.price_lists import PriceListRepository
from catalog.adapters.repository import ProductRepository
from catalog.application.records import PRICE_LIST, price_list_record
from catalog.domain.model import ProductId
from catalog.domain.pricing_rules import PriceList, ResolvedPrice, new_price_list, resolve_price
from servicekit.audit import AuditLog
from servicekit.bounds import MAX_QUANTITY
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound
from servicekit.paging import keyed_page, page_after, page_limit

# Prices asked for in one call: a quote's lines, with room to spare.
MAX_QUERIES = 5000


class Pricing:
    def __init__(self, database: Database, audit: AuditLog) -> None:
        self.database = database
        self.audit = audit

    async def create_price_list(
        self,
        name: str,
        currency: str,
        customer_group: str,
        valid_from: str,
        valid_to: str,
        breaks: list[tuple[str, int, str]],
    ) -> PriceList:
        price_list = new_price_list(
            name,
            currency,
            customer_group,
            _date("valid_from", valid_from),
            _date("valid_to", valid_to),
            breaks,
        )
        async with self.database.transaction() as session:
            ids = sorted({b.product_id for b in price_list.breaks})
            known = {p.id for p in await ProductRepository(session).get_many(ids)}
            unknown = [i for i, b in enumerate(breaks) if b[0] not in known]
            if unknown:
                raise InvalidArgument.of(f"breaks[{unknown[0]}].product_id", "unknown product")
            await PriceListRepository(session).add(price_list, current_principal().subject)
            await self.audit.record(
                session, PRICE_LIST, price_list.id, "created", after=price_list_record(price_list)
            )
        return price_list

    async def list_price_lists(
        self, customer_group: str, currency: str, page_size: int, token: str
    ) -> tuple[list[tuple[PriceList, int]], str]:
        """A page of price lists by name (without their breaks, with how many they have), and
        the next page's token."""
        limit, after = page_limit(page_size), page_after(token, 2)
        async with self.database.transaction() as session:
            found = await PriceListRepository(session).page(
                customer_group, currency, (after[0], after[1]) if after else None, limit + 1
            )
        return keyed_page(found, limit, lambda row: (row[0].name, row[0].id))

    async def get_price_list(self, price_list_id: str) -> PriceList:
        async with self.database.transaction() as session:
            found = await PriceListRepository(session).get(price_list_id)
        if found is None:
            raise NotFound(f"price list {price_list_id} not found")
        return found

    async def resolve(
        self, product_id: str, customer_group: str, currency: str, quantity: int, on: str
    ) -> ResolvedPrice:
        _check_quantity(quantity, "quantity")
        (found,) = await self.resolve_many(customer_group, currency, on, [(product_id, quantity)])
        if isinstance(found, str):
            raise (NotFound if found.startswith("no product") else FailedPrecondition)(found)
        return found

    async def resolve_many(
        self, customer_group: str, currency: str, on: str, queries: Sequence[tuple[str, int]]
    ) -> list[ResolvedPrice | str]:
        """Each (product, quantity)'s price, or why there is none, in the order asked."""
        if len(queries) > MAX_QUERIES:
            raise InvalidArgument.of("queries", f"at most {MAX_QUERIES}")
        for i, (_, quantity) in enumerate(queries):
            _check_quantity(quantity, f"queries[{i}].quantity")
        day = _date("date", on) or datetime.now(UTC).date()
        ids = sorted({product_id for product_id, _ in queries})
        async with self.database.transaction() as session:
            products = {p.id: p for p in await ProductRepository(session).get_many(ids)}
            lists = await PriceListRepository(session).for_products(ids, currency)
        answers: list[ResolvedPrice | str] = []
        for product_id, quantity in queries:
            product = products.get(ProductId(product_id))
            if product is None:
                answers.append(f"no product {product_id}")
                continue
            found = resolve_price(
                product_id,
                product.list_price,
                customer_group,
                currency,
                quantity,
                day,
                lists.get(product_id, []),
            )
            answers.append(found or f"{product.sku} has no price in {currency}")
        return answers


def _check_quantity(quantity: int, field: str) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidArgument.of(field, f"between 1 and {MAX_QUANTITY:,}")


def _date(field: str, value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InvalidArgument.of(field, "a date as YYYY-MM-DD") from error
