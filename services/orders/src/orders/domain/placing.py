"""A new sales order: the request as a client sends it, checked field by field, priced from the
catalog, or made from an accepted quote's priced document. Plain Python; each returns the order
and the events its making causes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from orders.domain.bounds import check_address, check_total
from orders.domain.events import SalesOrderEvent, SalesOrderPlaced
from orders.domain.lines import Line
from orders.domain.order_pricing import LineTerms, SaleTerms, Sold, check_terms, price_order
from orders.domain.picking import PickingLine, picking_lines
from orders.domain.sales_order import SalesOrder
from pricing.document import (
    Discount,
    KitPart,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    kit_part_line_id,
)
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
    name: str = ""
    # Which tax rules apply to it: "standard", "reduced", "exempt".
    tax_category: str = "standard"
    # "stocked", "service" or "kit".
    kind: str = "stocked"


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
    # Per line, in order, its own unit price and discount; fewer than the lines: none for the rest.
    line_terms: tuple[LineTerms, ...] = ()
    # Over every line, after their own discounts.
    discount: Discount | None = None
    shipping: tuple[ShippingCharge, ...] = ()
    # None: per line, half up, prices exclusive of tax.
    policy: PricingPolicy | None = None
    # Priced by the channel (domain/channel_pricing.py): kept as is; None: priced here.
    document: PricedDocument | None = None
    needs_review: bool = False
    review_note: str = ""


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
    if len(request.line_terms) > len(request.lines):
        problems.add("lines", "terms for more lines than there are")
    check_terms(request.line_terms, request.discount, request.shipping, problems)
    problems.raise_if_any()


def place(
    request: OrderRequest,
    catalog: Mapping[str, CatalogProduct],
    now: datetime,
    placer: Placer,
    terms: SaleTerms | None = None,
) -> tuple[SalesOrder, list[SalesOrderEvent]]:
    """A new order (a request, at first) priced as a quote is (domain/order_pricing.py) under the
    customer's `terms` (none: list prices, no taxes); refuses unknown or mispriced products, a
    discount larger than its line, and a total no column can keep. `catalog` holds the kits'
    parts too, whose costs and categories their order lines carry."""
    _check_products(request, catalog)
    sold = [_sold(i, request, catalog) for i in range(len(request.lines))]
    document = price_order(
        request.currency,
        sold,
        terms or SaleTerms(),
        request.discount,
        request.shipping,
        request.policy,
    )
    check_total(document.figures.total)
    needed = {
        s.line_id: needed_by for s, (_, _, needed_by) in zip(sold, request.lines, strict=True)
    }
    for s in sold:
        needed |= {
            kit_part_line_id(s.line_id, p.product_id): needed[s.line_id] for p in s.kit_parts
        }
    order = SalesOrder(
        id=str(uuid.uuid4()),
        customer_id=request.customer_id.strip(),
        currency=request.currency,
        channel=request.channel or "direct",
        lines=[picked(line, catalog, needed[line.line_id]) for line in picking_lines(document)],
        created_at=now,
        created_by=placer.actor,
        order_type=request.order_type,
        salesperson=placer.salesperson,
        team=placer.team,
        shipping_address=request.shipping_address,
        document=document,
        external_reference=request.external_reference,
    )
    return order, [placed(order)]


def _sold(i: int, request: OrderRequest, catalog: Mapping[str, CatalogProduct]) -> Sold:
    product_id, quantity, _ = request.lines[i]
    product = catalog[product_id]
    return Sold(
        line_id=str(uuid.uuid4()),
        product_id=product_id,
        sku=product.sku,
        name=product.name,
        quantity=quantity,
        list_price=product.price.amount,
        tax_category=product.tax_category,
        kind=product.kind,
        kit_parts=tuple(KitPart(p, s, q) for p, s, q in product.components),
        terms=request.line_terms[i] if i < len(request.line_terms) else LineTerms(),
    )


def sold_lines(request: OrderRequest, catalog: Mapping[str, CatalogProduct]) -> list[Sold]:
    """The request's lines with what the catalog says of them (ids to be replaced at placing),
    for asking the catalog their prices (order_pricing.price_keys)."""
    return [
        _sold(i, request, catalog)
        for i in range(len(request.lines))
        if request.lines[i][0] in catalog
    ]


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


def picked(
    line: PickingLine, catalog: Mapping[str, CatalogProduct] | None = None, needed_by: str = ""
) -> Line:
    """An order line to pick, with its product's cost and category as the catalog had them."""
    product = (catalog or {}).get(line.product_id)
    return Line(
        line.line_id,
        line.product_id,
        line.sku,
        line.quantity,
        line.unit_price,
        needed_by=date.fromisoformat(needed_by) if needed_by else None,
        unit_cost=None if product is None else product.cost,
        category_id="" if product is None else product.category_id,
    )


def from_quote(
    order_id: str,
    quote_id: str,
    customer_id: str,
    salesperson: str,
    document: PricedDocument,
    now: datetime,
    actor: str,
    team: str = "",
    catalog: Mapping[str, CatalogProduct] | None = None,
) -> tuple[SalesOrder, list[SalesOrderEvent]]:
    """The sales order an accepted quote becomes: the same document, to be picked line by line,
    within the quote's sales team; each line with its product's cost and category from `catalog`
    (a kit's parts at their own cost), for the cost estimate and the category filter.

    The caller has verified the document's figures."""
    order = SalesOrder(
        id=order_id,
        customer_id=customer_id,
        currency=document.currency,
        channel="quote",
        lines=[picked(line, catalog) for line in picking_lines(document)],
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
