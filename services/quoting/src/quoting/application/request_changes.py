"""How every use case reads and changes a customer request: it takes the request (locked when
it changes it), if the caller reaches it (servicekit.sales_reach, as for quotes), and saves it
with the events it caused and a change-log entry, in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quoting.application.ports import UnitOfWork
from quoting.domain.events import RequestEvent
from quoting.domain.request import CustomerRequest
from servicekit.changes import changed
from servicekit.context import Principal, current_principal
from servicekit.errors import FieldViolation, NotFound, PermissionDenied
from servicekit.sales_reach import check_reach, salesperson_for

# The change log's name for a customer request.
REQUEST = "customer_request"


def audited(request: CustomerRequest) -> dict[str, Any]:
    """What the change log keeps of a request."""
    return {
        "number": request.number,
        "status": request.status.value,
        "source": request.source.value,
        "customer_id": request.customer_id,
        "owner": request.owner,
        "team": request.team,
        "currency": request.value_estimate.currency,
        "value_estimate": format(request.value_estimate.amount, "f"),
        "quote_id": request.quote_id,
        "lost_reason": request.lost_reason.value if request.lost_reason else "",
        "lost_note": request.lost_note,
    }


def owner_for(who: Principal, named: str) -> str:
    """The request's owner: the caller, unless an assigner (as for quotes' salesperson) names
    another; anyone else naming another is refused on `owner`."""
    try:
        return salesperson_for(who, named)
    except PermissionDenied as refused:
        raise PermissionDenied(
            "a salesperson registers requests in their own name",
            (FieldViolation("owner", f"must be you ({who.subject}) or empty"),),
        ) from refused


async def reachable_request(
    uow: UnitOfWork, request_id: str, *, for_update: bool = False
) -> CustomerRequest:
    """The request, if it exists and the caller may see and work it."""
    request = await uow.customer_requests.get(request_id, for_update=for_update)
    if request is None:
        raise NotFound(f"customer request {request_id} not found")
    check_reach(current_principal(), f"request {request.number}", request.owner, request.team)
    return request


async def save_change(
    uow: UnitOfWork,
    request: CustomerRequest,
    action: str,
    before: dict[str, Any],
    events: Sequence[RequestEvent],
) -> None:
    """Saves `request` as changed by `action` since `before` (an `audited` snapshot), publishes
    `events` and logs what changed."""
    await uow.customer_requests.save(request)
    await uow.publish(events)
    was, becomes = changed(before, audited(request))
    await uow.record(REQUEST, request.id, action, before=was, after=becomes)
