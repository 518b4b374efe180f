"""A quote's discount approval at the REST edge, against a fake quoting service: how it reads on
every quote, how a sales manager's decision travels, the list filter, and the 409 that names
`approval` when a quote waiting for one is sent or accepted."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from gateway.quotes.schemas import Quote, quote_json
from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from servicekit.errors import FailedPrecondition, FieldViolation, PermissionDenied
from servicekit.grpc import timestamp
from services.gateway.tests.unit.conftest import GatewayOver
from services.gateway.tests.unit.test_quotes_api import QUOTE, FakeQuoting
from testkit.services import signed_in

REASON = "line 2: 35% off is above the 20% that needs approval"
DECIDED_AT = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
MANAGER = signed_in("nina", "sales-manager", team="north")
SALES = signed_in("sam", "sales", team="north")


def with_approval(approval: pb.QuoteApproval) -> pb.Quote:
    quote = pb.Quote()
    quote.CopyFrom(QUOTE)
    quote.approval.CopyFrom(approval)
    return quote


PENDING = with_approval(pb.QuoteApproval(status="pending", reason=REASON))
APPROVED = with_approval(
    pb.QuoteApproval(
        status="approved",
        reason=REASON,
        decided_by="nina",
        decided_at=timestamp(DECIDED_AT),
        note="key account",
    )
)


def _waiting(quote_id: str, doing: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"quote {quote_id} cannot be {doing}: its discount approval is pending",
        (FieldViolation("approval", f"is pending: {REASON}"),),
    )


class FakeApprovals(FakeQuoting):
    async def GetQuote(self, request: Any, context: Any) -> pb.GetQuoteResponse:
        return pb.GetQuoteResponse(quote=PENDING)

    async def SendQuote(self, request: Any, context: Any) -> pb.SendQuoteResponse:
        raise _waiting(request.quote_id, "sent")

    async def AcceptQuote(self, request: Any, context: Any) -> pb.AcceptQuoteResponse:
        raise _waiting(request.quote_id, "accepted")

    async def ListQuotes(self, request: Any, context: Any) -> pb.ListQuotesResponse:
        self.requests.append(request)
        return pb.ListQuotesResponse(quotes=[PENDING])

    async def DecideQuoteDiscount(
        self, request: Any, context: Any
    ) -> pb.DecideQuoteDiscountResponse:
        self.requests.append(request)
        if request.quote_id == "q-own":
            raise PermissionDenied("quote q-own is yours: another sales manager decides")
        return pb.DecideQuoteDiscountResponse(quote=APPROVED)


@pytest.fixture(scope="module")
async def quoting() -> FakeApprovals:
    return FakeApprovals()


@pytest.fixture(scope="module")
async def api(
    gateway_over: GatewayOver, quoting: FakeApprovals
) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over(
        [(quoting_pb2_grpc.add_QuotingServiceServicer_to_server, quoting)],
        "http://gw/api/v1",
    ) as client:
        yield client


async def test_every_quote_carries_its_approval_with_null_where_not_applicable(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/quotes/q-1", headers=SALES)
    assert response.status_code == 200, response.text
    assert response.json()["approval"] == {
        "status": "pending",
        "reason": REASON,
        "decided_by": None,
        "decided_at": None,
        "note": None,
    }


async def test_a_manager_approves_and_gets_the_quote_back(
    api: httpx.AsyncClient, quoting: FakeApprovals
) -> None:
    body = {"decision": "approve", "note": "key account"}
    response = await api.post("/quotes/q-1/approval", json=body, headers=MANAGER)
    assert response.status_code == 200, response.text
    assert quoting.requests[-1] == pb.DecideQuoteDiscountRequest(
        quote_id="q-1", decision=pb.DISCOUNT_DECISION_APPROVE, note="key account"
    )
    assert response.json()["approval"] == {
        "status": "approved",
        "reason": REASON,
        "decided_by": "nina",
        "decided_at": "2026-12-05T14:30:00Z",
        "note": "key account",
    }
    rejected = await api.post("/quotes/q-1/approval", json={"decision": "reject"}, headers=MANAGER)
    assert rejected.status_code == 200
    assert quoting.requests[-1] == pb.DecideQuoteDiscountRequest(
        quote_id="q-1", decision=pb.DISCOUNT_DECISION_REJECT
    )


async def test_only_managers_decide_and_never_on_their_own_quote(
    api: httpx.AsyncClient, quoting: FakeApprovals
) -> None:
    before = len(quoting.requests)
    body = {"decision": "approve"}
    for role in ("sales", "order-desk", "finance"):
        headers = signed_in("x", role)
        response = await api.post("/quotes/q-1/approval", json=body, headers=headers)
        assert response.status_code == 403, role
    assert len(quoting.requests) == before  # refused at the edge
    own = await api.post("/quotes/q-own/approval", json=body, headers=MANAGER)
    assert own.status_code == 403
    assert own.headers["content-type"] == "application/problem+json"
    admin = await api.post("/quotes/q-1/approval", json=body, headers=signed_in("ada", "admin"))
    assert admin.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "maybe"}, "decision"),
        ({}, "decision"),
        ({"decision": "approve", "note": "x" * 2001}, "note"),
        ({"decision": "approve", "by": "nina"}, "by"),
    ],
)
async def test_a_decision_is_approve_or_reject_with_a_bounded_note(
    api: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await api.post("/quotes/q-1/approval", json=body, headers=MANAGER)
    assert response.status_code == 422
    assert field in {e["field"].split(".")[-1] for e in response.json()["errors"]}


@pytest.mark.parametrize("action", ["send", "accept", "convert"])
async def test_sending_or_accepting_a_quote_waiting_for_approval_is_409_naming_approval(
    api: httpx.AsyncClient, action: str
) -> None:
    response = await api.post(f"/quotes/q-1/{action}", headers=SALES)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "approval", "detail": f"is pending: {REASON}"}]


async def test_quotes_filter_on_their_approval(
    api: httpx.AsyncClient, quoting: FakeApprovals
) -> None:
    response = await api.get("/quotes", params={"approval": "pending"}, headers=MANAGER)
    assert response.status_code == 200, response.text
    assert quoting.requests[-1] == pb.ListQuotesRequest(approval="pending", page_size=50)
    assert response.json()["items"][0]["approval"]["status"] == "pending"
    wrong = await api.get("/quotes", params={"approval": "waiting"}, headers=MANAGER)
    assert wrong.status_code == 422


@pytest.mark.parametrize("quote", [PENDING, APPROVED, pb.Quote(id="q-old")])
def test_quote_json_writes_the_approval_as_the_model_does(quote: pb.Quote) -> None:
    assert (
        json.loads(quote_json(quote))["approval"]
        == Quote.model_validate(quote).model_dump(mode="json")["approval"]
    )
    if not quote.HasField("approval"):  # a quote from before approvals needs none
        assert Quote.model_validate(quote).approval.status == "not_required"
