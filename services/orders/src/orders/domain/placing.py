"""A new sales order: the request as a client sends it, checked field by field, priced from the
catalog, or made from an accepted quote's priced document. Plain Python."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from oms.types.v1 import pricing_pb2 as pricing
from orders.domain.model import Line, SalesOrder, check_address, check_total
from pricing.documents import priced
from pricing.money import InvalidMoney, Money, check_currency, parse_amount
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
) -> SalesOrder:
    """A new order (a request, at first) priced at the catalog's list prices; refuses unknown
    or mispriced products, and a total no column can keep."""
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
    document = _kit_document(request, catalog, lines)
    if document is not None:
        lines = picking_lines(document)
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
    return order


def _kit_document(
    request: OrderRequest, catalog: Mapping[str, CatalogProduct], lines: Sequence[Line]
) -> pricing.PricedDocument | None:
    """An order with a kit is a priced document: the kit is sold as one line at its own price
    and picked by its components (as an order made from a quote is); None without kits."""
    if not any(catalog[line.product_id].components for line in lines):
        return None
    return priced(
        pricing.PricedDocument(
            currency=request.currency,
            groups=[
                pricing.DocumentGroup(
                    name="Items",
                    lines=[
                        pricing.DocumentLine(
                            line_id=line.id,
                            product_id=line.product_id,
                            sku=line.sku,
                            description=line.sku,
                            quantity=str(line.quantity),
                            unit_price=str(line.unit_price.amount),
                            price_rule="list price",
                            kind="kit" if catalog[line.product_id].components else "stocked",
                            kit_parts=[
                                pricing.KitPart(product_id=p, sku=s, quantity=q)
                                for p, s, q in catalog[line.product_id].components
                            ],
                        )
                        for line in lines
                    ],
                )
            ],
        )
    )


def picking_lines(document: pricing.PricedDocument) -> list[Line]:
    """What is to be picked for a priced document: each stocked product line, and a kit's parts in
    place of the kit. Service and free-text lines are not picked."""
    lines = []
    for group in document.groups:
        for line in group.lines:
            quantity = int(line.quantity)
            unit_price = Money(parse_amount(line.unit_price), document.currency)
            if line.kit_parts:
                lines += [
                    Line(
                        str(uuid.uuid5(uuid.NAMESPACE_URL, f"{line.line_id}/{part.product_id}")),
                        part.product_id,
                        part.sku,
                        quantity * part.quantity,
                        Money.zero(document.currency),  # the kit's line carries the price
                    )
                    for part in line.kit_parts
                ]
            elif line.product_id and line.kind != "service":
                lines.append(Line(line.line_id, line.product_id, line.sku, quantity, unit_price))
    return lines


def from_quote(
    order_id: str,
    quote_id: str,
    customer_id: str,
    salesperson: str,
    document: pricing.PricedDocument,
    now: datetime,
    actor: str,
    team: str = "",
) -> SalesOrder:
    """The sales order an accepted quote becomes: the same document, to be picked line by line,
    within the quote's sales team.

    The caller has verified the document's figures."""
    return SalesOrder(
        id=order_id,
        customer_id=customer_id,
        currency=document.currency,
        channel="quote",
        lines=picking_lines(document),
        created_at=now,
        created_by=actor,
        salesperson=salesperson or actor,
        document=document,
        quote_id=quote_id,
        team=team,
    )
