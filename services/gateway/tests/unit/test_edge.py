"""The REST edge against fake services (real gRPC servers in-process, fake behaviour)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from pydantic import ValidationError

from gateway.app import create_app
from gateway.bodies import MoneyIn
from gateway.edge.problems import field_path
from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from oms.orders.v1 import orders_pb2, orders_pb2_grpc
from oms.types.v1.types_pb2 import Money
from servicekit.auth import (
    API_AUDIENCE,
    INTERNAL_AUDIENCE,
    INTERNAL_ISSUER,
    SigningKey,
    TokenVerifier,
    issue_token,
)
from servicekit.errors import InvalidArgument, NotFound
from services.gateway.tests.unit.conftest import GatewayOver, gateway_settings
from services.gateway.tests.unit.fakes import memory_stores
from testkit.security import IDENTITY_PROVIDER, session_security
from testkit.services import signed_in

ORDER = orders_pb2.SalesOrder(
    id="o-1", status="reserved", currency="EUR", total=Money(amount="37.50", currency="EUR")
)
seen_metadata: list[dict[str, str]] = []


class FakeOrders(orders_pb2_grpc.OrdersServiceServicer):
    async def GetSalesOrder(self, request: Any, context: Any) -> orders_pb2.GetSalesOrderResponse:
        seen_metadata.append(dict(context.invocation_metadata()))
        if request.order_id != "o-1":
            raise NotFound(f"sales order {request.order_id} not found")
        return orders_pb2.GetSalesOrderResponse(order=ORDER)

    async def PlaceSalesOrder(
        self, request: Any, context: Any
    ) -> orders_pb2.PlaceSalesOrderResponse:
        raise InvalidArgument.of("lines[0].product_id", "unknown product")


class FakeInventory(inventory_pb2_grpc.InventoryServiceServicer):
    async def ListShipments(
        self, request: Any, context: Any
    ) -> inventory_pb2.ListShipmentsResponse:
        return inventory_pb2.ListShipmentsResponse(
            shipments=[inventory_pb2.Shipment(id="s-1", order_id=request.order_id, carrier="DHL")]
        )


class FakeBilling(billing_pb2_grpc.BillingServiceServicer):
    async def ListInvoices(self, request: Any, context: Any) -> billing_pb2.ListInvoicesResponse:
        invoice = billing_pb2.Invoice(
            id="i-1", number="INV-2026-000001", total=Money(amount="37.50", currency="EUR")
        )
        return billing_pb2.ListInvoicesResponse(invoices=[invoice])


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over(
        [
            (orders_pb2_grpc.add_OrdersServiceServicer_to_server, FakeOrders()),
            (inventory_pb2_grpc.add_InventoryServiceServicer_to_server, FakeInventory()),
            (billing_pb2_grpc.add_BillingServiceServicer_to_server, FakeBilling()),
        ],
        "http://gw",
    ) as client:
        yield client


# signed by a key of the attacker's own, naming the issuer and audience the gateway expects
FORGED = issue_token(
    SigningKey.from_pem(
        ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    ),
    issuer=IDENTITY_PROVIDER,
    audience=API_AUDIENCE,
    subject="mallory",
    roles=("admin",),
    ttl_seconds=600,
)


def bearer(*roles: str, subject: str = "alice") -> dict[str, str]:
    return signed_in(subject, *roles)


async def test_no_token_or_a_forged_one_is_401_problem_json(api: httpx.AsyncClient) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": f"Bearer {FORGED}"},
    ):
        response = await api.get("/api/v1/sales-orders/o-1", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"


async def test_a_role_without_the_right_is_403(api: httpx.AsyncClient) -> None:
    body = {"customer_id": "C", "currency": "EUR", "lines": [{"product_id": "p", "quantity": 1}]}
    response = await api.post("/api/v1/sales-orders", json=body, headers=bearer("warehouse"))
    assert response.status_code == 403
    assert response.json()["title"] == "Forbidden"


async def test_a_body_that_breaks_the_schema_is_422_with_field_paths(
    api: httpx.AsyncClient,
) -> None:
    body = {
        "customer_id": "C",
        "currency": "EUR",
        "lines": [{"product_id": "p", "quantity": "x"}],
        "paid": True,
    }
    response = await api.post("/api/v1/sales-orders", json=body, headers=bearer("sales"))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"lines[0].quantity", "paid"}


async def test_field_violations_from_a_service_become_422_errors(api: httpx.AsyncClient) -> None:
    body = {"customer_id": "C", "currency": "EUR", "lines": [{"product_id": "p", "quantity": 1}]}
    response = await api.post("/api/v1/sales-orders", json=body, headers=bearer("sales"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "lines[0].product_id", "detail": "unknown product"}
    ]


async def test_not_found_is_404(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/sales-orders/nope", headers=bearer("order-desk"))
    assert response.status_code == 404
    assert response.json()["detail"] == "sales order nope not found"


async def test_the_summary_composes_three_services_and_forwards_the_caller_and_trace(
    api: httpx.AsyncClient,
) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    headers = {
        **bearer("sales", subject="sam"),
        "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01",
    }
    response = await api.get("/api/v1/sales-orders/o-1/summary", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert (
        body["order"]["total"],
        body["shipments"][0]["carrier"],
        body["invoices"][0]["number"],
    ) == (
        {"amount": "37.50", "currency": "EUR"},
        "DHL",
        "INV-2026-000001",
    )
    assert trace_id in response.headers["traceparent"]
    forwarded = seen_metadata[-1]
    # the caller travels as a token the gateway signed, which services verify
    keys = session_security().gateway_key.key_set()
    verifier = TokenVerifier(keys, INTERNAL_ISSUER, INTERNAL_AUDIENCE)
    passed_on = verifier.verify(forwarded["authorization"].removeprefix("Bearer "))
    assert (passed_on.subject, passed_on.roles) == ("sam", ("sales",))
    assert "x-oms-roles" not in forwarded
    assert trace_id in forwarded["traceparent"]


def test_validation_locations_become_client_field_paths() -> None:
    assert field_path(("body", "lines", 0, "quantity")) == "lines[0].quantity"
    assert field_path(("query", "page_size")) == "page_size"


def test_the_openapi_document_names_every_operation_once() -> None:
    document = create_app(gateway_settings()).openapi()
    operations = [
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    ]
    assert len(operations) == len(set(operations))
    assert "/api/v1/quotes/{quote_id}/convert" in document["paths"]


# The edge's limits ---------------------------------------------------------------------------


async def test_unmatched_routes_and_wrong_methods_answer_problem_json(
    api: httpx.AsyncClient,
) -> None:
    for path, headers in (("/api/v1/nothing-here", bearer("sales")), ("/nothing-here", {})):
        response = await api.get(path, headers=headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 404
    wrong = await api.delete("/api/v1/sales-orders/o-1/summary", headers=bearer("sales"))
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == "application/problem+json"
    assert "GET" in wrong.headers["allow"]


async def test_a_huge_page_size_is_422_problem_json(api: httpx.AsyncClient) -> None:
    for size in ("201", "0", "99999999999999999999999", "many"):
        response = await api.get(f"/api/v1/api-keys?page_size={size}", headers=bearer("admin"))
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "page_size"


async def test_an_amount_that_no_column_can_keep_is_422_naming_it(api: httpx.AsyncClient) -> None:
    body = {
        "customer_id": "C-1",
        "amount": {"amount": "1" + "0" * 39, "currency": "EUR"},
        "received_on": "2026-03-01",
    }
    response = await api.post("/api/v1/payments", json=body, headers=bearer("finance"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "amount.amount"


@pytest.mark.parametrize(
    ("amount", "currency", "valid"),
    [
        ("999999999999.999999", "EUR", True),
        ("-12.5", "USD", True),
        ("0", "JPY", True),
        ("1000000000000", "EUR", False),  # 13 digits before the point
        ("1.0000001", "EUR", False),  # 7 after
        ("1e3", "EUR", False),
        ("NaN", "EUR", False),
        (" 1.00", "EUR", False),
        ("1.", "EUR", False),
        ("12.50", "eur", False),
        ("12.50", "EURO", False),
        ("12.50", "", False),
    ],
)
def test_money_in_holds_amounts_the_services_can_store(
    amount: str, currency: str, valid: bool
) -> None:
    try:
        MoneyIn(amount=amount, currency=currency)
    except ValidationError:
        assert not valid
    else:
        assert valid


async def test_a_body_over_the_limit_is_413_problem_json(gateway_over: GatewayOver) -> None:
    settings = gateway_settings(max_body_bytes=1000, max_upload_bytes=5000)
    big = {"customer_id": "C", "currency": "EUR", "lines": [], "channel": "x" * 2000}

    async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: counted as it is read
        for _ in range(10):
            yield b" " * 200

    async with gateway_over([], "http://gw", settings=settings) as api:
        declared = await api.post("/api/v1/sales-orders", json=big, headers=bearer("sales"))
        chunked = await api.post(
            "/api/v1/sales-orders",
            content=streamed(),
            headers={**bearer("sales"), "content-type": "application/json"},
        )
        picture = {"url": "", "content_base64": "A" * 3000, "content_type": "image/png"}
        upload = await api.post(
            "/api/v1/products/p-1/pictures", json=picture, headers=bearer("sales")
        )
    for refused in (declared, chunked):
        assert refused.status_code == 413
        assert refused.headers["content-type"] == "application/problem+json"
    assert upload.status_code == 403  # within the upload limit: on to the role check


async def test_an_unknown_callers_body_is_never_read() -> None:
    app = create_app(gateway_settings(), stores=memory_stores())
    read: list[bool] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        read.append(True)
        return {"type": "http.request", "body": b"x" * 1_000_000, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/payments",
        "raw_path": b"/api/v1/payments",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"gw"), (b"content-length", str(10**10).encode())],
        "client": ("127.0.0.1", 1),
        "server": ("gw", 80),
    }
    await app(scope, receive, send)
    assert sent[0]["status"] == 401
    assert read == []


async def test_each_caller_has_its_own_rate_limit(gateway_over: GatewayOver) -> None:
    # a token back every 100 s: a slow machine cannot refill the bucket between the calls
    settings = gateway_settings(rate_limit_per_second=0.01, rate_limit_burst=2)
    async with gateway_over([], "http://gw", settings=settings) as api:
        answers = [
            await api.get("/api/v1/api-keys", headers=bearer("admin", subject="ada"))
            for _ in range(3)
        ]
        other = await api.get("/api/v1/api-keys", headers=bearer("admin", subject="bob"))
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["content-type"] == "application/problem+json"
    assert answers[2].headers["retry-after"] == "100"
    assert other.status_code == 200


async def test_an_unexpected_failure_is_500_problem_json_without_details() -> None:
    app = create_app(gateway_settings(), stores=memory_stores())

    async def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/api/v1/broken", broken)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        response = await client.get("/api/v1/broken", headers=bearer("sales"))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text


async def test_the_gateways_own_database_unreachable_is_503_to_retry_not_500() -> None:
    """The gateway's store (idempotency, API keys) restarting: a client may try again."""
    app = create_app(gateway_settings(), stores=memory_stores())

    async def unreachable() -> None:
        raise ConnectionRefusedError(111, "Connect call failed")

    app.add_api_route("/api/v1/unreachable", unreachable)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        response = await client.get("/api/v1/unreachable", headers=bearer("sales"))
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
