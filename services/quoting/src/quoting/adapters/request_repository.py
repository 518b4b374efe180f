"""Customer requests in PostgreSQL, one row each. The statements every call runs are built once
and executed with parameters; the list's varies with its filters, the report's with its span."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, bindparam, func, or_, select

from pricing.money import Money
from quoting.adapters.tables import customer_requests, request_sequences
from quoting.application.ports import RequestFilter
from quoting.domain.lost_demand import MonthlyLoss
from quoting.domain.request import Contact, CustomerRequest, LostReason, RequestStatus, Source
from servicekit.db import Transaction
from servicekit.numbering import next_number
from servicekit.sales_reach import Reach

c = customer_requests.c

_INSERT = customer_requests.insert()
_GET = select(customer_requests).where(c.id == bindparam("b_id"))
_GET_FOR_UPDATE = _GET.with_for_update()
# What a transition changes; the rest stays as registered.
_CLOSE = (
    customer_requests.update()
    .where(c.id == bindparam("b_id"))
    .values(
        status=bindparam("status"),
        quote_id=bindparam("quote_id"),
        lost_reason=bindparam("lost_reason"),
        lost_note=bindparam("lost_note"),
        closed_at=bindparam("closed_at"),
    )
)
_MONTH = func.date_trunc("month", func.timezone("UTC", c.closed_at))
_LOSSES = (
    select(
        _MONTH.label("month"),
        c.lost_reason,
        c.currency,
        func.count().label("requests"),
        func.sum(c.value_estimate).label("value"),
    )
    .where(
        c.status == RequestStatus.LOST.value,
        c.closed_at >= bindparam("b_from"),
        c.closed_at < bindparam("b_until"),
    )
    .group_by(_MONTH, c.lost_reason, c.currency)
)


def _request(row: Row[Any]) -> CustomerRequest:
    return CustomerRequest(
        id=row.id,
        number=row.number,
        source=Source(row.source),
        customer_id=row.customer_id,
        contact=Contact(row.contact_name, row.contact_email, row.contact_phone),
        need=row.need,
        value_estimate=Money(row.value_estimate, row.currency).trimmed(),
        owner=row.owner,
        team=row.team,
        status=RequestStatus(row.status),
        created_at=row.created_at,
        created_by=row.created_by,
        quote_id=row.quote_id,
        lost_reason=LostReason(row.lost_reason) if row.lost_reason else None,
        lost_note=row.lost_note,
        closed_at=row.closed_at,
    )


def _closing(request: CustomerRequest) -> dict[str, Any]:
    return {
        "b_id": request.id,
        "status": request.status.value,
        "quote_id": request.quote_id,
        "lost_reason": request.lost_reason.value if request.lost_reason else "",
        "lost_note": request.lost_note,
        "closed_at": request.closed_at,
    }


def _midnight(day: date) -> datetime:
    """The day's start, UTC: where a day of the filters and the report begins."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _reached(visible: Reach) -> ColumnElement[bool]:
    """The rows `visible` reaches (not called for everything)."""
    mine = c.owner == visible.salesperson
    return or_(mine, c.team == visible.team) if visible.team else mine


class SqlRequestRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def next_number(self, year: int) -> int:
        return await next_number(self.session, request_sequences, year)

    async def add(self, request: CustomerRequest) -> None:
        row = _closing(request)
        del row["b_id"]
        await self.session.execute(
            _INSERT,
            {
                **row,
                "id": request.id,
                "number": request.number,
                "source": request.source.value,
                "customer_id": request.customer_id,
                "contact_name": request.contact.name,
                "contact_email": request.contact.email,
                "contact_phone": request.contact.phone,
                "need": request.need,
                "currency": request.value_estimate.currency,
                "value_estimate": request.value_estimate.amount,
                "owner": request.owner,
                "team": request.team,
                "created_at": request.created_at,
                "created_by": request.created_by,
            },
        )

    async def save(self, request: CustomerRequest) -> None:
        await self.session.execute(_CLOSE, _closing(request))

    async def get(self, request_id: str, for_update: bool = False) -> CustomerRequest | None:
        statement = _GET_FOR_UPDATE if for_update else _GET
        row = (await self.session.execute(statement, {"b_id": request_id})).first()
        return None if row is None else _request(row)

    async def page(
        self,
        visible: Reach,
        wanted: RequestFilter,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[CustomerRequest]:
        query = select(customer_requests)
        for column, value in (
            (c.status, wanted.status),
            (c.owner, wanted.owner),
            (c.source, wanted.source),
            (c.customer_id, wanted.customer_id),
        ):
            if value:
                query = query.where(column == value)
        if wanted.created_from:
            query = query.where(c.created_at >= _midnight(wanted.created_from))
        if wanted.created_to:
            query = query.where(c.created_at < _midnight(wanted.created_to + timedelta(days=1)))
        if not visible.everything:
            query = query.where(_reached(visible))
        if after:
            at, last_id = after
            query = query.where(or_(c.created_at < at, and_(c.created_at == at, c.id < last_id)))
        query = query.order_by(c.created_at.desc(), c.id.desc()).limit(limit)
        return [_request(row) for row in await self.session.execute(query)]

    async def losses(self, visible: Reach, first: date, last: date) -> list[MonthlyLoss]:
        query = _LOSSES
        if not visible.everything:
            query = query.where(_reached(visible))
        span = {"b_from": _midnight(first), "b_until": _midnight(last + timedelta(days=1))}
        return [
            MonthlyLoss(row.month.date(), row.lost_reason, row.currency, row.requests, row.value)
            for row in await self.session.execute(query, span)
        ]
