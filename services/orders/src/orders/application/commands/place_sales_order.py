"""Place a sales order for a registered customer, priced as a quote is: the customer's price
list and quantity breaks, the request's discounts and shipping, the taxes of the customer's tax
zone (domain/order_pricing.py). A retry (the same request id, or the same channel and external
reference with the same content) returns the first order."""

from __future__ import annotations

from dataclasses import dataclass

from orders.application.credit import exposure_of
from orders.application.ports import Deps, UnitOfWork
from orders.application.reach import check_within_reach
from orders.application.recording import record_new
from orders.application.retry import Retry
from orders.application.sale_terms import products_with_parts, sale_terms
from orders.application.views import SalesOrderView, order_view
from orders.domain.channel_pricing import from_channel, review_note_of
from orders.domain.placing import OrderRequest, Placer, check_request, place
from orders.domain.sales_order import SalesOrder
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument
from servicekit.sales_reach import salesperson_for

PLACE = "place_sales_order"


@dataclass(frozen=True)
class PlaceSalesOrder:
    request: OrderRequest
    retry: Retry


def by_reference(channel: str) -> str:
    """The processed-request operation under which a channel's external references are kept."""
    return f"order:{channel}"


async def place_sales_order(deps: Deps, command: PlaceSalesOrder) -> SalesOrderView:
    request, retry = command.request, command.retry
    check_request(request)
    who = current_principal()
    placer = Placer(who.subject, salesperson_for(who, request.salesperson), who.team)
    async with deps.unit_of_work() as uow:
        order = await _placed_before(uow, request, retry)
        if order is None:
            order = await _place(deps, uow, request, placer)
            await uow.requests.complete(PLACE, retry.request_id, order.id)
            await uow.requests.complete(
                by_reference(order.channel), order.external_reference, order.id
            )
    return await order_view(deps, order)


async def _place(deps: Deps, uow: UnitOfWork, request: OrderRequest, placer: Placer) -> SalesOrder:
    customer = await uow.customers.get(request.customer_id)
    if customer is None:
        raise InvalidArgument.of(
            "customer_id", "no such customer: register it first (a guest as kind guest)"
        )
    # priced inside the transaction: its claims keep a twin request waiting till commit
    products = await products_with_parts(deps.catalog, [line[0] for line in request.lines])
    now = deps.clock()
    if request.document is not None:  # priced by its channel: kept as stated once verified
        note = review_note_of(request, request.document)
        order, events = from_channel(request, request.document, note, products, now, placer)
    else:
        terms = await sale_terms(deps.catalog, customer.details, request, products, now.date())
        order, events = place(request, products, now, placer, terms)
    pipeline = await deps.pipelines.get(uow.pipelines, order.order_type)
    events += order.advance(pipeline, await exposure_of(uow, order, now.date(), customer))
    await record_new(uow, order, events)
    return order


async def _placed_before(uow: UnitOfWork, request: OrderRequest, retry: Retry) -> SalesOrder | None:
    """The order a retry repeats; claims its keys otherwise (held until commit, so a twin
    sent at once waits and then finds the first order)."""
    done = await uow.requests.claim(PLACE, retry.request_id, retry.fingerprint)
    if done is None and request.external_reference:
        operation = by_reference(request.channel or "direct")
        try:
            done = await uow.requests.claim(
                operation, request.external_reference, retry.fingerprint
            )
        except AlreadyExists as error:
            raise AlreadyExists(
                "this channel placed another order with this external_reference",
                (FieldViolation("external_reference", "already used with other content"),),
            ) from error
        if done is not None:
            await uow.requests.complete(PLACE, retry.request_id, done)
    if done is None:
        return None
    order = await uow.orders.get(done)
    assert order is not None  # a request is completed with the order it placed
    check_within_reach(order)
    return order
