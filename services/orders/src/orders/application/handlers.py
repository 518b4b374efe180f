"""People's order use cases. Each is one transaction: order, journal, events and change log commit
together. The access table admitted the caller to the RPC; here each use case checks that the
order is within their reach (orders.domain.rights)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from orders.adapters.catalog_client import CatalogClient
from orders.adapters.costs import CostsAndReturns
from orders.adapters.customers import customer_exists
from orders.adapters.pipelines import PipelineRepository
from orders.adapters.repository import HistoryEntry, OrderQuery, OrderRepository
from orders.application.credit import exposure_of
from orders.application.recording import ENTITY, OrderRecorder, Pipelines
from orders.domain.credit import Exposure
from orders.domain.model import COST_KINDS, SalesOrder, forecast
from orders.domain.pipeline import Pipeline, from_definition, to_definition
from orders.domain.placing import OrderRequest, Placer, check_request, place
from pricing.money import InvalidMoney, parse_input_amount
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument, NotFound
from servicekit.idempotency import ProcessedRequests
from servicekit.paging import newest_after, newest_page, page_after, page_limit, page_token
from servicekit.sales_reach import check_reach, reach_of, salesperson_for

PLACE = "place_sales_order"
RECORD_COST = "record_order_cost"
MAX_DESCRIPTION = 2000


@dataclass(frozen=True)
class Retry:
    """The client's id for a command and the command as sent: a retry must repeat it exactly."""

    request_id: str
    request: Message


class Orders:
    def __init__(
        self,
        database: Database,
        recorder: OrderRecorder,
        catalog: CatalogClient,
        pipelines: Pipelines,
        requests: ProcessedRequests,
    ) -> None:
        self.database = database
        self.recorder = recorder
        self.catalog = catalog
        self.pipelines = pipelines
        self.requests = requests

    # -- placing and reading ---------------------------------------------------------------------

    async def place(self, request: OrderRequest, retry: Retry) -> SalesOrder:
        """A new order for a registered customer; a retry (same request id, or same channel and
        external reference with the same content) returns the first order."""
        check_request(request)
        who = current_principal()
        placer = Placer(who.subject, salesperson_for(who, request.salesperson), who.team)
        async with self.database.transaction() as session:
            earlier = await self._placed_before(session, request, retry)
            if earlier is not None:
                return earlier
            if not await customer_exists(session, request.customer_id):
                raise InvalidArgument.of(
                    "customer_id", "no such customer: register it first (a guest as kind guest)"
                )
            # priced inside the transaction: its claims keep a twin request waiting till commit
            products = await self.catalog.products([line[0] for line in request.lines])
            order = place(request, products, datetime.now(UTC), placer)
            pipeline = await self.pipelines.get(session, order.order_type)
            order.advance(pipeline, await exposure_of(session, order))
            await self.recorder.added(session, order)
            await self.requests.complete(session, PLACE, retry.request_id, order.id)
            await self.requests.complete(
                session, _by_reference(order.channel), order.external_reference, order.id
            )
        return order

    async def _placed_before(
        self, session: AsyncSession, request: OrderRequest, retry: Retry
    ) -> SalesOrder | None:
        """The order a retry repeats; claims its keys otherwise (held until commit, so a twin
        sent at once waits and then finds the first order)."""
        done = await self.requests.claim(session, PLACE, retry.request_id, retry.request)
        if done is None and request.external_reference:
            content = type(retry.request)()
            content.CopyFrom(retry.request)
            content.ClearField("request_id")
            operation = _by_reference(request.channel or "direct")
            try:
                done = await self.requests.claim(
                    session, operation, request.external_reference, content
                )
            except AlreadyExists as error:
                raise AlreadyExists(
                    "this channel placed another order with this external_reference",
                    (FieldViolation("external_reference", "already used with other content"),),
                ) from error
            if done is not None:
                await self.requests.complete(session, PLACE, retry.request_id, done)
        if done is None:
            return None
        order = await OrderRepository(session).get(done)
        assert order is not None  # a request is completed with the order it placed
        check_reach(current_principal(), f"sales order {order.id}", order.salesperson, order.team)
        return order

    async def get(self, order_id: str) -> SalesOrder:
        async with self.database.transaction() as session:
            return await self._reachable(OrderRepository(session), order_id)

    async def _reachable(
        self, repository: OrderRepository, order_id: str, for_update: bool = False
    ) -> SalesOrder:
        order = await repository.get(order_id, for_update=for_update)
        if order is None:
            raise NotFound(f"sales order {order_id} not found")
        check_reach(current_principal(), f"sales order {order.id}", order.salesperson, order.team)
        return order

    async def history(
        self, order_id: str, page_size: int, token: str
    ) -> tuple[list[HistoryEntry], str]:
        limit = page_limit(page_size)
        key = page_after(token, 1)
        try:
            after = int(key[0]) if key else 0
        except ValueError as error:
            raise InvalidArgument.of("page_token", "not a token this API issued") from error
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            await self._reachable(repository, order_id)
            found = await repository.history(order_id, after, limit + 1)
        if len(found) > limit:
            return found[:limit], page_token(str(found[limit - 1].id))
        return found, ""

    async def page(
        self, query: OrderQuery, page_size: int, token: str
    ) -> tuple[list[SalesOrder], str, list[tuple[str, int, Decimal]]]:
        """A page of the orders the caller reaches, the next page's token, and (currency, count,
        sum) of all their matches."""
        limit = page_limit(page_size)
        query = _within_reach(query)
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            found = await repository.page(query, newest_after(token), limit + 1)
            totals = await repository.totals(query)
        return (*newest_page(found, limit), totals)

    # -- people's changes ------------------------------------------------------------------------

    async def _change(
        self, order_id: str, change: Callable[[SalesOrder, Pipeline, Exposure], None]
    ) -> SalesOrder:
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            order = await self._reachable(repository, order_id, for_update=True)
            pipeline = await self.pipelines.get(session, order.order_type)
            change(order, pipeline, await exposure_of(session, order))
            await self.recorder.saved(session, repository, order)
        return order

    async def transition(
        self,
        order_id: str,
        to_stage: str,
        fields: Mapping[str, str],
        reason: str,
        release_credit_hold: bool,
    ) -> SalesOrder:
        roles = current_principal().roles
        return await self._change(
            order_id,
            lambda order, pipeline, exposure: order.transition(
                pipeline, to_stage, roles, fields, reason, release_credit_hold, exposure
            ),
        )

    async def cancel(self, order_id: str, reason: str) -> SalesOrder:
        roles = current_principal().roles
        return await self._change(
            order_id, lambda order, pipeline, _: order.cancel(pipeline, roles, reason)
        )

    async def change(
        self, order_id: str, quantities: Mapping[str, int], address: dict[str, str] | None
    ) -> SalesOrder:
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            order = await self._reachable(repository, order_id, for_update=True)
            before = _changeable(order)
            order.change(quantities, address)
            await self.recorder.saved(session, repository, order)
            await self.recorder.audit.record(
                session, ENTITY, order.id, "changed", before=before, after=_changeable(order)
            )
        return order

    async def authorize_return(
        self, order_id: str, quantities: Mapping[str, int], reason: str
    ) -> tuple[SalesOrder, str]:
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            order = await self._reachable(repository, order_id, for_update=True)
            returns = CostsAndReturns(session)
            authorised = order.authorize_return(
                quantities, reason, await returns.returned_or_authorised(order_id)
            )
            await returns.add_return(order.id, authorised)
            await self.recorder.saved(session, repository, order)
            await self.recorder.returned(session, order, authorised)
        return order, authorised.id

    async def record_cost(
        self, order_id: str, kind: str, amount: str, description: str, retry: Retry
    ) -> SalesOrder:
        value = _cost(kind, amount, description)
        description = description.strip()
        async with self.database.transaction() as session:
            done = await self.requests.claim(session, RECORD_COST, retry.request_id, retry.request)
            repository = OrderRepository(session)
            order = await self._reachable(repository, order_id, for_update=True)
            if done is not None:
                return order  # recorded by the first of these requests
            cost_id = await CostsAndReturns(session).add_cost(
                order.id, kind, value, description, None
            )
            assert cost_id is not None  # only shipments' costs have a source to repeat
            order.note(f"{kind} cost {value} {order.currency} recorded: {description}")
            await self.recorder.saved(session, repository, order)
            recorded = {"kind": kind, "amount": f"{value} {order.currency}", "cost_id": cost_id}
            await self.recorder.audit.record(
                session, ENTITY, order.id, "cost_recorded", after=recorded | {"note": description}
            )
            await self.requests.complete(session, RECORD_COST, retry.request_id, cost_id)
        return order

    # -- reports and pipelines -------------------------------------------------------------------

    async def costs_page(
        self, query: OrderQuery, page_size: int, token: str
    ) -> tuple[list[tuple[SalesOrder, list[tuple[str, Decimal, str]]]], str]:
        """A page of orders (newest first) with their actual costs."""
        limit = page_limit(page_size)
        async with self.database.transaction() as session:
            found = await OrderRepository(session).page(
                _within_reach(query), newest_after(token), limit + 1
            )
            orders, next_token = newest_page(found, limit)
            costs = await CostsAndReturns(session).costs([o.id for o in orders])
        return [(order, costs.get(order.id, [])) for order in orders], next_token

    async def forecast(self) -> dict[tuple[str, str], Decimal]:
        reach = reach_of(current_principal())
        async with self.database.transaction() as session:
            pipelines = await PipelineRepository(session).all_pipelines()
            return forecast(await OrderRepository(session).open_for_forecast(reach), pipelines)

    async def pipeline(self, order_type: str) -> Pipeline:
        if (pipeline := self.pipelines.fresh(order_type)) is not None:
            return pipeline
        async with self.database.transaction() as session:
            return await self.pipelines.get(session, order_type)

    async def set_pipeline(self, order_type: str, definition: Mapping[str, object]) -> Pipeline:
        if not order_type.strip() or len(order_type) > 30:
            raise InvalidArgument.of("order_type", "1-30 characters")
        pipeline = from_definition(order_type, definition)
        async with self.database.transaction() as session:
            repository = PipelineRepository(session)
            before = to_definition(await repository.pipeline(order_type))
            await repository.save_pipeline(pipeline)
            await self.recorder.audit.record(
                session, "pipeline", order_type, "set", before=before, after=to_definition(pipeline)
            )
        self.pipelines.forget(order_type)
        return pipeline


def _by_reference(channel: str) -> str:
    """The processed-request operation under which a channel's external references are kept."""
    return f"order:{channel}"


def _within_reach(query: OrderQuery) -> OrderQuery:
    return replace(query, reach=reach_of(current_principal()))


def _changeable(order: SalesOrder) -> dict[str, object]:
    return {
        "quantities": {line.id: line.quantity for line in order.lines},
        "shipping_address": order.shipping_address,
    }


def _cost(kind: str, amount: str, description: str) -> Decimal:
    """The amount of a cost a person records; InvalidArgument names each field at fault."""
    if kind not in COST_KINDS:
        raise InvalidArgument.of("kind", f"one of {', '.join(COST_KINDS)}")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidArgument.of("description", f"at most {MAX_DESCRIPTION} characters")
    try:
        value = parse_input_amount(amount)
    except InvalidMoney as error:
        raise InvalidArgument.of("amount", str(error)) from error
    if value <= 0:
        raise InvalidArgument.of("amount", "must be greater than 0")
    return value
