"""The gateway when its services fail: every call ends at its deadline (504), reads are tried again
while a service is UNAVAILABLE and writes are not, the order summary keeps what it got and names
what is missing, and readiness does not depend on the services."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import grpc
import httpx

from gateway.app import create_app
from gateway.calls import SLOW_METHODS, CallPolicy, is_read
from gateway.clients import SERVICES, open_service_channel
from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from oms.orders.v1 import orders_pb2, orders_pb2_grpc
from services.gateway.tests.unit.conftest import fake_services, gateway_at, gateway_settings
from testkit.reconnects import connection_attempts, longest_gap
from testkit.security import session_security
from testkit.services import free_port, signed_in

API = "/api/v1"
ORDER = orders_pb2.SalesOrder(id="o-1", currency="EUR")
ORDER_BODY = {
    "customer_id": "c-1",
    "currency": "EUR",
    "lines": [{"product_id": "p-1", "quantity": 1}],
}
# Short, so a test of a service that never answers takes a fraction of a second.
QUICK = {"grpc_deadline_seconds": 0.3, "grpc_slow_deadline_seconds": 5.0}
SALES = signed_in("sam", "sales")


async def _never() -> None:
    await asyncio.Event().wait()


class Orders(orders_pb2_grpc.OrdersServiceServicer):
    """Fails its first `failures` calls of each method with `code`, or hangs when `hang`."""

    def __init__(
        self, failures: int = 0, code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE
    ) -> None:
        self.failures, self.code = failures, code
        self.hang = False
        self.calls: dict[str, int] = {}

    async def _answer(self, name: str, context: Any, reply: Any) -> Any:
        self.calls[name] = self.calls.get(name, 0) + 1
        if self.hang:
            await _never()
        if self.calls[name] <= self.failures:
            await context.abort(self.code, "restarting")
        return reply

    async def GetSalesOrder(self, request: Any, context: Any) -> Any:
        return await self._answer(
            "GetSalesOrder", context, orders_pb2.GetSalesOrderResponse(order=ORDER)
        )

    async def PlaceSalesOrder(self, request: Any, context: Any) -> Any:
        return await self._answer(
            "PlaceSalesOrder", context, orders_pb2.PlaceSalesOrderResponse(order=ORDER)
        )


class Inventory(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self, hang: bool = False) -> None:
        self.hang = hang

    async def ListShipments(self, request: Any, context: Any) -> Any:
        if self.hang:
            await _never()
        shipment = inventory_pb2.Shipment(id="s-1", order_id=request.order_id)
        return inventory_pb2.ListShipmentsResponse(shipments=[shipment])


class Billing(billing_pb2_grpc.BillingServiceServicer):
    async def ListInvoices(self, request: Any, context: Any) -> Any:
        return billing_pb2.ListInvoicesResponse(invoices=[billing_pb2.Invoice(id="i-1")])

    async def RenderInvoice(self, request: Any, context: Any) -> Any:
        await asyncio.sleep(0.6)  # longer than the default deadline, within the slow one
        return billing_pb2.RenderDocumentResponse(pdf=b"%PDF-1.7", filename="i-1.pdf")


def _registrations(orders: Orders | None = None, inventory: Inventory | None = None) -> list[Any]:
    return [
        (orders_pb2_grpc.add_OrdersServiceServicer_to_server, orders or Orders()),
        (inventory_pb2_grpc.add_InventoryServiceServicer_to_server, inventory or Inventory()),
        (billing_pb2_grpc.add_BillingServiceServicer_to_server, Billing()),
    ]


def _targets(up: str, down: tuple[str, ...] = ()) -> Mapping[str, str]:
    """Every service at `up`, except those in `down`: a port nobody listens on."""
    nobody = f"127.0.0.1:{free_port()}"
    return {name: nobody if name in down else up for name in SERVICES}


def _is_problem(response: httpx.Response, status: int) -> bool:
    return (
        response.status_code == status
        and response.headers["content-type"] == "application/problem+json"
        and response.json()["status"] == status
    )


async def test_a_service_that_never_answers_ends_at_the_deadline_as_504() -> None:
    orders = Orders()
    orders.hang = True
    async with (
        fake_services(_registrations(orders)) as up,
        gateway_at(_targets(up), "http://gw", settings=gateway_settings(**QUICK)) as api,
    ):
        began = time.monotonic()
        # bounded here too, so a missing deadline fails the test rather than hanging it
        read = await asyncio.wait_for(api.get(f"{API}/sales-orders/o-1", headers=SALES), 5)
        write = await asyncio.wait_for(
            api.post(f"{API}/sales-orders", json=ORDER_BODY, headers=SALES), 5
        )
        took = time.monotonic() - began
    assert _is_problem(read, 504)
    assert _is_problem(write, 504)
    assert read.json()["title"] == "Gateway timeout"
    assert took < 3  # two calls of 0.3 s each, not a hang
    assert orders.calls == {"GetSalesOrder": 1, "PlaceSalesOrder": 1}  # a timeout is not retried


async def test_known_slow_calls_get_the_longer_deadline() -> None:
    assert {"RenderInvoice", "RenderQuote", "GetArAging"} <= SLOW_METHODS
    assert CallPolicy(5, 30).deadline_for("RenderInvoice") == 30
    assert CallPolicy(5, 30).deadline_for("GetInvoice") == 5
    async with (
        fake_services(_registrations()) as up,
        gateway_at(_targets(up), "http://gw", settings=gateway_settings(**QUICK)) as api,
    ):
        pdf = await api.get(f"{API}/invoices/i-1/pdf", headers=signed_in("fin", "finance"))
    assert pdf.status_code == 200, pdf.text


async def test_a_read_is_tried_again_while_its_service_is_unavailable() -> None:
    orders = Orders(failures=1)
    async with (
        fake_services(_registrations(orders)) as up,
        gateway_at(_targets(up), "http://gw") as api,
    ):
        answer = await api.get(f"{API}/sales-orders/o-1", headers=SALES)
    assert answer.status_code == 200, answer.text
    assert orders.calls["GetSalesOrder"] == 2


async def test_a_read_gives_up_after_its_attempts() -> None:
    orders = Orders(failures=10)
    settings = gateway_settings(grpc_read_attempts=3)
    async with (
        fake_services(_registrations(orders)) as up,
        gateway_at(_targets(up), "http://gw", settings=settings) as api,
    ):
        answer = await api.get(f"{API}/sales-orders/o-1", headers=SALES)
    assert _is_problem(answer, 503)
    assert orders.calls["GetSalesOrder"] == 3


async def test_a_write_is_not_tried_again() -> None:
    orders = Orders(failures=1)
    async with (
        fake_services(_registrations(orders)) as up,
        gateway_at(_targets(up), "http://gw") as api,
    ):
        keyed = {**SALES, "Idempotency-Key": "k-1"}
        answer = await api.post(f"{API}/sales-orders", json=ORDER_BODY, headers=keyed)
    assert _is_problem(answer, 503)
    assert orders.calls["PlaceSalesOrder"] == 1
    assert not is_read("PlaceSalesOrder")
    assert is_read("ListInvoices")


async def test_the_summary_without_billing_keeps_the_rest_and_names_what_is_missing() -> None:
    async with (
        fake_services(_registrations()) as up,
        gateway_at(_targets(up, down=("billing",)), "http://gw") as api,
    ):
        answer = await api.get(f"{API}/sales-orders/o-1/summary", headers=SALES)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["order"]["id"], [s["id"] for s in body["shipments"]]) == ("o-1", ["s-1"])
    assert body["invoices"] == []
    assert body["missing"] == [{"part": "invoices", "service": "billing", "reason": "unavailable"}]


async def test_the_summary_names_a_part_that_timed_out() -> None:
    async with (
        fake_services(_registrations(inventory=Inventory(hang=True))) as up,
        gateway_at(_targets(up), "http://gw", settings=gateway_settings(**QUICK)) as api,
    ):
        # bounded here too, so a missing deadline fails the test rather than hanging it
        answer = await asyncio.wait_for(
            api.get(f"{API}/sales-orders/o-1/summary", headers=SALES), 5
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert ([i["id"] for i in body["invoices"]], body["shipments"]) == (["i-1"], [])
    assert body["missing"] == [{"part": "shipments", "service": "inventory", "reason": "timeout"}]


async def test_a_whole_summary_has_nothing_missing_and_without_the_order_there_is_none() -> None:
    async with fake_services(_registrations()) as up:
        async with gateway_at(_targets(up), "http://gw") as api:
            whole = await api.get(f"{API}/sales-orders/o-1/summary", headers=SALES)
        async with gateway_at(_targets(up, down=("orders",)), "http://gw") as api:
            no_order = await api.get(f"{API}/sales-orders/o-1/summary", headers=SALES)
    assert (whole.status_code, whole.json()["missing"]) == (200, [])
    assert _is_problem(no_order, 503)


async def test_ready_with_every_service_down_and_backends_report_them() -> None:
    async with gateway_at(_targets("unused", down=SERVICES), "http://gw") as api:
        ready = await api.get("/health/ready")
        live = await api.get("/health/live")
        report = await api.get("/health/backends")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert live.status_code == 200
    assert report.status_code == 200
    assert report.json()["status"] == "degraded"
    assert {b["service"]: b["status"] for b in report.json()["backends"]} == dict.fromkeys(
        SERVICES, "UNAVAILABLE"
    )


async def test_backends_report_ok_when_every_service_serves() -> None:
    async with (
        fake_services(_registrations()) as up,
        gateway_at(_targets(up), "http://gw") as api,
    ):
        report = (await api.get("/health/backends")).json()
    assert report["status"] == "ok"
    assert [b["service"] for b in report["backends"]] == list(SERVICES)


async def test_the_gateway_keeps_trying_a_service_that_is_down_about_every_second() -> None:
    """So the summary has a restarted service's part again a second or so after its return."""
    tls = session_security().pki.files("gateway")

    attempts = await connection_attempts(
        lambda target: open_service_channel(target, tls, CallPolicy()), seconds=5
    )

    # gRPC's defaults make 3 or 4 attempts in 5 s, the last gaps 1.6 s and 2.6 s (each +-20 %)
    assert len(attempts) >= 6
    assert longest_gap(attempts) <= 1.5


async def test_not_ready_before_the_gateway_has_started() -> None:
    app = create_app(gateway_settings())  # no stores, no channels: its lifespan has not run
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as api:
        ready = await api.get("/health/ready")
    assert _is_problem(ready, 503)
    assert "stores" in ready.json()["detail"]
    assert "clients" in ready.json()["detail"]
