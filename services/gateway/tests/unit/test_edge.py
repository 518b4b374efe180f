"""The REST edge against fake services (real gRPC servers in-process, fake behaviour)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.config import Settings
from gateway.problems import field_path
from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from oms.orders.v1 import orders_pb2, orders_pb2_grpc
from oms.types.v1.types_pb2 import Money
from servicekit.auth import issue_token
from servicekit.errors import InvalidArgument, NotFound
from services.gateway.tests.unit.conftest import GatewayOver

SECRET = "a-secret-for-unit-tests-only-of-32-or-more-bytes"
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
        SECRET,
        "http://gw",
    ) as client:
        yield client


FORGED = issue_token("another-secret-of-32-bytes-or-more!!", "mallory", ("admin",))


def bearer(*roles: str, subject: str = "alice") -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(SECRET, subject, roles)}"}


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
    response = await api.get("/api/v1/sales-orders/nope", headers=bearer())
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
    assert (forwarded["x-oms-subject"], forwarded["x-oms-roles"]) == ("sam", "sales")
    assert trace_id in forwarded["traceparent"]


def test_validation_locations_become_client_field_paths() -> None:
    assert field_path(("body", "lines", 0, "quantity")) == "lines[0].quantity"
    assert field_path(("query", "page_size")) == "page_size"


def test_the_openapi_document_names_every_operation_once() -> None:
    document = create_app(Settings(jwt_secret=SECRET)).openapi()
    operations = [
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    ]
    assert len(operations) == len(set(operations))
    assert "/api/v1/quotes/{quote_id}/convert" in document["paths"]
