"""/requests and /reports/lost-demand against a fake quoting service (a real gRPC server
in-process, fake behaviour): what the REST body becomes on the wire, how a request and the
report read, and how the service's refusals come back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from oms.types.v1.types_pb2 import Money
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound
from services.gateway.tests.unit.conftest import GatewayOver
from testkit.services import signed_in

AT = Timestamp()
AT.FromJsonString("2026-12-01T12:00:00Z")
OPEN = pb.CustomerRequest(
    id="r-1",
    number="REQ-2026-000001",
    source="phone",
    customer_id="C-1",
    contact=pb.Contact(name="Ada", email="ada@example.com"),
    need="200 widgets",
    value_estimate=Money(amount="1200.00", currency="EUR"),
    owner="sam",
    team="north",
    status="open",
    created_at=AT,
    created_by="olga",
)
QUOTE = pb.Quote(
    id="q-9",
    status="draft",
    customer_id="C-1",
    salesperson="sam",
    currency="EUR",
    total=Money(amount="30.00", currency="EUR"),
)


class FakeQuoting(quoting_pb2_grpc.QuotingServiceServicer):
    def __init__(self) -> None:
        self.requests: list[Any] = []

    async def RegisterRequest(self, request: Any, context: Any) -> pb.RegisterRequestResponse:
        self.requests.append(request)
        if request.value_estimate.amount.startswith("-"):
            raise InvalidArgument.of("value_estimate.amount", "must be 0 or more")
        return pb.RegisterRequestResponse(request=OPEN)

    async def GetRequest(self, request: Any, context: Any) -> pb.GetRequestResponse:
        if request.request_id != "r-1":
            raise NotFound(f"customer request {request.request_id} not found")
        return pb.GetRequestResponse(request=OPEN)

    async def ListRequests(self, request: Any, context: Any) -> pb.ListRequestsResponse:
        self.requests.append(request)
        return pb.ListRequestsResponse(requests=[OPEN], next_page_token="t-2")

    async def MarkRequestLost(self, request: Any, context: Any) -> pb.MarkRequestLostResponse:
        self.requests.append(request)
        lost = pb.CustomerRequest()
        lost.CopyFrom(OPEN)
        lost.status, lost.lost_reason, lost.lost_note = "lost", request.reason, request.note
        lost.closed_at.CopyFrom(Timestamp(seconds=AT.seconds + 3600))
        return pb.MarkRequestLostResponse(request=lost)

    async def QuoteRequest(self, request: Any, context: Any) -> pb.QuoteRequestResponse:
        self.requests.append(request)
        if request.request_id == "r-prospect" and not request.content.customer_id:
            raise InvalidArgument.of("customer_id", "required: the request is a prospect's")
        if request.request_id == "r-quoted":
            raise FailedPrecondition(
                "request REQ-2026-000002 is quoted", (FieldViolation("status", "is quoted"),)
            )
        return pb.QuoteRequestResponse(quote=QUOTE, request=OPEN)

    async def LostDemandReport(self, request: Any, context: Any) -> pb.LostDemandReportResponse:
        self.requests.append(request)
        eur = Money(amount="150.50", currency="EUR")
        return pb.LostDemandReportResponse(
            rows=[pb.LostDemandRow(period="2026-Q4", reason="price", requests=2, value=[eur])],
            totals=[pb.LostDemandTotal(reason="price", requests=2, value=[eur])],
        )


@pytest.fixture(scope="module")
async def quoting() -> FakeQuoting:
    return FakeQuoting()


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver, quoting: FakeQuoting) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over(
        [(quoting_pb2_grpc.add_QuotingServiceServicer_to_server, quoting)],
        "http://gw/api/v1",
    ) as client:
        yield client


SALES = signed_in("sam", "sales")
DESK = signed_in("olga", "order-desk")
FINANCE = signed_in("fred", "finance")
BODY: dict[str, Any] = {
    "customer_id": "C-1",
    "contact": {"name": "Ada", "email": "ada@example.com", "phone": "+49 30 1"},
    "source": "phone",
    "need": "200 widgets",
    "value_estimate": {"amount": "1200.00", "currency": "EUR"},
    "owner": "sam",
}


async def test_registering_sends_the_body_and_the_idempotency_key_on(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    response = await api.post("/requests", json=BODY, headers={**DESK, "Idempotency-Key": "k-1"})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/api/v1/requests/r-1"
    sent = quoting.requests[-1]
    assert (sent.source, sent.customer_id, sent.need, sent.owner) == (
        "phone",
        "C-1",
        "200 widgets",
        "sam",
    )
    assert (sent.contact.phone, sent.value_estimate.amount, sent.value_estimate.currency) == (
        "+49 30 1",
        "1200.00",
        "EUR",
    )
    assert sent.request_id  # derived from the Idempotency-Key
    assert response.json() == {
        "id": "r-1",
        "number": "REQ-2026-000001",
        "status": "open",
        "source": "phone",
        "customer_id": "C-1",
        "contact": {"name": "Ada", "email": "ada@example.com", "phone": ""},
        "need": "200 widgets",
        "value_estimate": {"amount": "1200.00", "currency": "EUR"},
        "owner": "sam",
        "team": "north",
        "quote_id": "",
        "lost_reason": "",
        "lost_note": "",
        "created_at": "2026-12-01T12:00:00Z",
        "created_by": "olga",
        "closed_at": None,
    }
    prospect = {k: v for k, v in BODY.items() if k not in ("customer_id", "contact", "owner")}
    assert (await api.post("/requests", json=prospect, headers=SALES)).status_code == 201
    bare = quoting.requests[-1]
    assert (bare.customer_id, bare.owner, bare.HasField("contact"), bare.request_id) == (
        "",
        "",
        False,
        "",
    )


async def test_bad_registrations_are_422_naming_the_field(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    sent = len(quoting.requests)
    for change, field in [
        ({"source": "fax"}, "source"),
        ({"need": ""}, "need"),
        ({"value_estimate": {"amount": "1.2.3", "currency": "EUR"}}, "value_estimate.amount"),
        ({"contact": {"name": "x" * 201}}, "contact.name"),
    ]:
        response = await api.post("/requests", json={**BODY, **change}, headers=SALES)
        assert response.status_code == 422, change
        assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert len(quoting.requests) == sent  # never reached the service
    negative = {**BODY, "value_estimate": {"amount": "-1", "currency": "EUR"}}
    response = await api.post("/requests", json=negative, headers=SALES)
    assert (response.status_code, response.json()["errors"]) == (
        422,
        [{"field": "value_estimate.amount", "detail": "must be 0 or more"}],
    )


async def test_listing_passes_every_filter(api: httpx.AsyncClient, quoting: FakeQuoting) -> None:
    query = (
        "status=lost&owner=sam&source=web&customer_id=C-1&created_from=2026-11-01"
        "&created_to=2026-11-30&page_size=10&page_token=t-1"
    )
    response = await api.get(f"/requests?{query}", headers=SALES)
    assert response.status_code == 200, response.text
    sent = quoting.requests[-1]
    assert (sent.status, sent.owner, sent.source, sent.customer_id) == ("lost", "sam", "web", "C-1")
    assert (sent.created_from, sent.created_to, sent.page_size, sent.page_token) == (
        "2026-11-01",
        "2026-11-30",
        10,
        "t-1",
    )
    page = response.json()
    assert ([r["id"] for r in page["items"]], page["next_page_token"]) == (["r-1"], "t-2")
    for wrong in ("status=won", "source=fax", "created_from=1.11.2026", "page_size=0"):
        assert (await api.get(f"/requests?{wrong}", headers=SALES)).status_code == 422, wrong


async def test_one_request_or_404(api: httpx.AsyncClient) -> None:
    found = await api.get("/requests/r-1", headers=DESK)
    assert (found.status_code, found.json()["number"]) == (200, "REQ-2026-000001")
    assert (await api.get("/requests/r-0", headers=DESK)).status_code == 404


async def test_losing_sends_the_reason(api: httpx.AsyncClient, quoting: FakeQuoting) -> None:
    lost = {"reason": "competitor", "note": "ACME"}
    response = await api.post("/requests/r-1/lost", json=lost, headers=SALES)
    assert response.status_code == 200, response.text
    sent = quoting.requests[-1]
    assert (sent.request_id, sent.reason, sent.note) == ("r-1", "competitor", "ACME")
    body = response.json()
    assert (body["status"], body["lost_reason"], body["closed_at"]) == (
        "lost",
        "competitor",
        "2026-12-01T13:00:00Z",
    )
    unknown = await api.post("/requests/r-1/lost", json={"reason": "weather"}, headers=SALES)
    assert [e["field"] for e in unknown.json()["errors"]] == ["reason"]
    desk = await api.post("/requests/r-1/lost", json=lost, headers=DESK)
    assert desk.status_code == 403


async def test_quoting_a_request_answers_the_quote(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    content = {
        "currency": "EUR",
        "groups": [{"name": "Main", "lines": [{"sku": "W-1", "quantity": 3}]}],
    }
    response = await api.post("/requests/r-1/quote", json=content, headers=SALES)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/api/v1/quotes/q-9"
    assert (response.json()["id"], response.json()["total"]["amount"]) == ("q-9", "30.00")
    sent = quoting.requests[-1]
    assert (sent.request_id, sent.content.customer_id, sent.content.currency) == ("r-1", "", "EUR")
    assert sent.content.groups[0].lines[0].sku == "W-1"
    prospect = await api.post("/requests/r-prospect/quote", json=content, headers=SALES)
    assert (prospect.status_code, prospect.json()["errors"][0]["field"]) == (422, "customer_id")
    named = await api.post(
        "/requests/r-prospect/quote", json={**content, "customer_id": "C-2"}, headers=SALES
    )
    assert named.status_code == 201
    quoted = await api.post("/requests/r-quoted/quote", json=content, headers=SALES)
    assert (quoted.status_code, quoted.json()["errors"][0]["field"]) == (409, "status")


async def test_the_lost_demand_report(api: httpx.AsyncClient, quoting: FakeQuoting) -> None:
    response = await api.get(
        "/reports/lost-demand?from=2026-10-01&to=2026-12-31&period=quarter", headers=FINANCE
    )
    assert response.status_code == 200, response.text
    sent = quoting.requests[-1]
    assert (sent.from_date, sent.to_date, sent.period) == ("2026-10-01", "2026-12-31", "quarter")
    money = [{"amount": "150.50", "currency": "EUR"}]
    assert response.json() == {
        "rows": [{"period": "2026-Q4", "reason": "price", "requests": 2, "value": money}],
        "totals": [{"reason": "price", "requests": 2, "value": money}],
    }
    monthly = await api.get("/reports/lost-demand?from=2026-10-01&to=2026-12-31", headers=FINANCE)
    assert (monthly.status_code, quoting.requests[-1].period) == (200, "month")
    for wrong in ("to=2026-12-31", "from=2026-10-01&to=2026-12-31&period=week", "from=x&to=y"):
        refused = await api.get(f"/reports/lost-demand?{wrong}", headers=FINANCE)
        assert refused.status_code == 422, wrong
    warehouse = await api.get(
        "/reports/lost-demand?from=2026-10-01&to=2026-12-31", headers=signed_in("w", "warehouse")
    )
    assert warehouse.status_code == 403
