"""The REST edge against fake services (real gRPC servers in-process, fake behaviour)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from gateway.app import create_app
from gateway.config import Settings
from gateway.problems import field_path
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
from services.gateway.tests.unit.conftest import GatewayOver
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
    session_security()  # the gateway's settings
    document = create_app(Settings()).openapi()
    operations = [
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    ]
    assert len(operations) == len(set(operations))
    assert "/api/v1/quotes/{quote_id}/convert" in document["paths"]
