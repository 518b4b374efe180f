"""A new sales order: the request as a client sends it, checked field by field, priced from the
catalog, or made from an accepted quote's priced document. Plain Python; each returns the order
and the events its making causes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from orders.domain.bounds import check_address, check_total
from orders.domain.events import SalesOrderEvent, SalesOrderPlaced
from orders.domain.lines import Line
from orders.domain.picking import KitSale, PickingLine, kit_document, picking_lines
from orders.domain.sales_order import SalesOrder
from pricing.document import KitPart, PricedDocument
from pricing.money import InvalidMoney, Money, check_currency
from servicekit.bounds import MAX_ID_LENGTH, MAX_QUANTITY
from servicekit.errors import Violations

MAX_LINES = 500
ORDER_TYPES = ("standard", "contract")
# Bounds of the columns the values are kept in.
MAX_CHANNEL = 50
MAX_SALESPERSON = 200


@dataclass(frozen=True)
class CatalogProduct:
    """What the catalog says about a product at the moment of ordering."""

    id: str
    sku: str
    price: Money
    active: bool
    cost: Decimal | None = None
    category_id: str = ""
    # For a kit: what one kit holds, as (product id, sku, units).
    components: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class OrderRequest:
    customer_id: str
    currency: str
    lines: list[tuple[str, int, str]]  # (product id, quantity, needed by: ISO date or "")
    channel: str
    order_type: str = "standard"
    # Whom the client names as responsible; the application decides who it may be.
    salesperson: str = ""
    shipping_address: dict[str, str] | None = None
    external_reference: str = ""


@dataclass(frozen=True)
class Placer:
    """Who places the order (the actor), in whose name, and for which sales team."""

    actor: str
    salesperson: str
    team: str = ""


def check_request(request: OrderRequest) -> None:
    """Every fault in the request at once, before anything is looked up."""
    problems = Violations()
    if not request.customer_id.strip():
        problems.add("customer_id", "required")
    try:
        check_currency(request.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    if request.order_type not in ORDER_TYPES:
        problems.add("order_type", f"one of {', '.join(ORDER_TYPES)}")
    for name, value, limit in (
        ("channel", request.channel, MAX_CHANNEL),
        ("external_reference", request.external_reference, MAX_ID_LENGTH),
        ("salesperson", request.salesperson, MAX_SALESPERSON),
    ):
        if len(value) > limit:
            problems.add(name, f"at most {limit} characters")
        elif value != value.strip() or any(c in value for c in "\r\n\t\0"):
            problems.add(name, "a single line without surrounding spaces")
    check_address(problems, "shipping_address", request.shipping_address)
    if not 1 <= len(request.lines) <= MAX_LINES:
        problems.add("lines", f"between 1 and {MAX_LINES} lines")
    seen: set[str] = set()
    for i, (product_id, quantity, needed_by) in enumerate(request.lines):
        if not product_id:
            problems.add(f"lines[{i}].product_id", "required")
        elif product_id in seen:
            problems.add(f"lines[{i}].product_id", "this product is already on another line")
        seen.add(product_id)
        if not 0 < quantity <= MAX_QUANTITY:
            problems.add(f"lines[{i}].quantity", f"between 1 and {MAX_QUANTITY}")
        if needed_by:
            try:
                date.fromisoformat(needed_by)
            except ValueError:
                problems.add(f"lines[{i}].needed_by", "a date as YYYY-MM-DD")
    problems.raise_if_any()


def place(
    request: OrderRequest, catalog: Mapping[str, CatalogProduct], now: datetime, placer: Placer
) -> tuple[SalesOrder, list[SalesOrderEvent]]:
    """A new order (a request, at first) priced at the catalog's list prices; refuses unknown
    or mispriced products, and a total no column can keep."""
    _check_products(request, catalog)
    lines = [
        Line(
            str(uuid.uuid4()),
            pid,
            catalog[pid].sku,
            quantity,
            catalog[pid].price,
            needed_by=date.fromisoformat(needed_by) if needed_by else None,
            unit_cost=catalog[pid].cost,
            category_id=catalog[pid].category_id,
        )
        for pid, quantity, needed_by in request.lines
    ]
    # the sum bounds every line: a line's price or quantity is never negative
    check_total(sum((line.total.amount for line in lines), Decimal(0)))
    document = _kit_document(request.currency, catalog, lines)
    if document is not None:
        lines = [_picked(line) for line in picking_lines(document)]
    order = SalesOrder(
        id=str(uuid.uuid4()),
        customer_id=request.customer_id.strip(),
        currency=request.currency,
        channel=request.channel or "direct",
        lines=lines,
        created_at=now,
        created_by=placer.actor,
        order_type=request.order_type,
        salesperson=placer.salesperson,
        team=placer.team,
        shipping_address=request.shipping_address,
        document=document,
        external_reference=request.external_reference,
    )
    check_total(order.total.amount)
    return order, [placed(order)]


def _check_products(request: OrderRequest, catalog: Mapping[str, CatalogProduct]) -> None:
    problems = Violations()
    for i, (product_id, _, _) in enumerate(request.lines):
        product = catalog.get(product_id)
        if product is None:
            problems.add(f"lines[{i}].product_id", "unknown product")
        elif not product.active:
            problems.add(f"lines[{i}].product_id", f"{product.sku} is discontinued")
        elif product.price.currency != request.currency:
            problems.add("currency", f"{product.sku} is priced in {product.price.currency}")
    problems.raise_if_any()


def _kit_document(
    currency: str, catalog: Mapping[str, CatalogProduct], lines: Sequence[Line]
) -> PricedDocument | None:
    """An order with a kit is sold as a priced document (see kit_document); None without kits."""
    if not any(catalog[line.product_id].components for line in lines):
        return None
    return kit_document(
        currency,
        [
            KitSale(
                line.id,
                line.product_id,
                line.sku,
                line.quantity,
                line.unit_price.amount,
                [KitPart(p, s, q) for p, s, q in catalog[line.product_id].components],
            )
            for line in lines
        ],
    )


def _picked(line: PickingLine) -> Line:
    return Line(line.line_id, line.product_id, line.sku, line.quantity, line.unit_price)


def from_quote(
    order_id: str,
    quote_id: str,
    customer_id: str,
    salesperson: str,
    document: PricedDocument,
    now: datetime,
    actor: str,
    team: str = "",
) -> tuple[SalesOrder, list[SalesOrderEvent]]:
    """The sales order an accepted quote becomes: the same document, to be picked line by line,
    within the quote's sales team.

    The caller has verified the document's figures."""
    order = SalesOrder(
        id=order_id,
        customer_id=customer_id,
        currency=document.currency,
        channel="quote",
        lines=[_picked(line) for line in picking_lines(document)],
        created_at=now,
        created_by=actor,
        salesperson=salesperson or actor,
        document=document,
        quote_id=quote_id,
        team=team,
    )
    return order, [placed(order)]


def placed(order: SalesOrder) -> SalesOrderPlaced:
    """The order as it is announced when it is made."""
    return SalesOrderPlaced(
        order_id=order.id,
        customer_id=order.customer_id,
        currency=order.currency,
        channel=order.channel,
        total=order.total,
        document=order.document,
        quote_id=order.quote_id,
        lines=order.ordered_lines(),
        status=order.status,
        salesperson=order.salesperson,
        external_reference=order.external_reference,
    )
