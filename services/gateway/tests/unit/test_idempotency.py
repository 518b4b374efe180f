"""Idempotency-Key at the gateway, against counting fakes of the services: every POST that moves
money or stock, retried or sent twice at once, has one effect and one response."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from google.protobuf.message import Message

from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from oms.orders.v1 import orders_pb2, orders_pb2_grpc
from servicekit.errors import InvalidArgument
from servicekit.grpc import Registration
from services.gateway.tests.unit.conftest import GatewayOver, gateway_settings
from testkit.services import signed_in

API = "/api/v1"
EUR = {"amount": "4.00", "currency": "EUR"}
# (route, body, the RPC that has the effect)
MOVES: list[tuple[str, dict[str, Any], str]] = [
    (
        "/payments",
        {"customer_id": "C-1", "amount": EUR, "reference": "bank 1", "received_on": "2026-03-01"},
        "RecordCustomerPayment",
    ),
    ("/credit-notes", {"customer_id": "C-1", "amount": EUR, "memo": "goodwill"}, "IssueCreditNote"),
    ("/customers/C-1/credit/apply", {"invoice_id": "i-1", "amount": EUR}, "ApplyCustomerCredit"),
    (
        "/bills",
        {
            "purchase_order_id": "po-1",
            "supplier_id": "S-1",
            "supplier_reference": "INV-1",
            "currency": "EUR",
            "lines": [{"product_id": "p-1", "quantity": 1, "unit_price": "4.00"}],
        },
        "RecordBill",
    ),
    ("/bills/b-1/release", {"note": "checked"}, "ReleaseBill"),
    (
        "/payments-sent",
        {"supplier_id": "S-1", "amount": EUR, "paid_on": "2026-03-01"},
        "RecordSupplierPayment",
    ),
    (
        "/stock/adjustments",
        {"warehouse_id": "w-1", "product_id": "p-1", "quantity_delta": 5, "reason": "count"},
        "AdjustStock",
    ),
    (
        "/stock/transfers",
        {"from_warehouse_id": "w-1", "to_warehouse_id": "w-2", "product_id": "p-1", "quantity": 2},
        "TransferStock",
    ),
    (
        "/receipts",
        {"warehouse_id": "w-1", "lines": [{"product_id": "p-1", "quantity": 3}]},
        "ReceiveGoods",
    ),
    ("/shipments", {"order_id": "o-1", "warehouse_id": "w-1", "carrier": "DHL"}, "ShipOrder"),
    ("/returns/r-1/receipt", {"warehouse_id": "w-1"}, "ReceiveReturn"),
    (
        "/sales-orders",
        {"customer_id": "C-1", "currency": "EUR", "lines": [{"product_id": "p-1", "quantity": 1}]},
        "PlaceSalesOrder",
    ),
]
calls: Counter[str] = Counter()
# Long enough that two requests sent together overlap in the service.
SERVICE_SECONDS = 0.08
failing: set[str] = set()


def filled(message: Message) -> Message:
    """`message` with its dates set (the gateway parses them) and an id, at every depth."""
    for field in message.DESCRIPTOR.fields:
        if field.type == field.TYPE_MESSAGE and not field.is_repeated:
            filled(getattr(message, field.name))
        elif field.type == field.TYPE_STRING and not field.is_repeated:
            if field.name.endswith(("_on", "_date", "_until")):
                setattr(message, field.name, "2026-03-01")
            elif field.name == "id":
                setattr(message, field.name, "x-1")
    return message


def counting(base: type, module: ModuleType, service: str) -> Any:
    """A fake of `service` whose effects are counted, each taking SERVICE_SECONDS."""
    methods = module.DESCRIPTOR.services_by_name[service].methods_by_name
    effects = {name for _, _, name in MOVES} & set(methods)

    def fake(name: str) -> Any:
        reply_type = getattr(module, methods[name].output_type.name)

        async def call(self: Any, request: Any, context: Any) -> Any:
            await asyncio.sleep(SERVICE_SECONDS)
            if name in failing:
                failing.discard(name)
                raise RuntimeError("the service fell over")  # INTERNAL: a 500 at the gateway
            if request.ListFields() and getattr(request, "reason", "") == "bad":
                raise InvalidArgument.of("reason", "not a reason")
            calls[name] += 1
            return filled(reply_type())

        return call

    return type(f"Counting{service}", (base,), {name: fake(name) for name in effects})()


def inventory() -> Registration:
    fake = counting(inventory_pb2_grpc.InventoryServiceServicer, inventory_pb2, "InventoryService")
    return (inventory_pb2_grpc.add_InventoryServiceServicer_to_server, fake)


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver) -> AsyncIterator[httpx.AsyncClient]:
    registrations = [
        (
            billing_pb2_grpc.add_BillingServiceServicer_to_server,
            counting(billing_pb2_grpc.BillingServiceServicer, billing_pb2, "BillingService"),
        ),
        inventory(),
        (
            orders_pb2_grpc.add_OrdersServiceServicer_to_server,
            counting(orders_pb2_grpc.OrdersServiceServicer, orders_pb2, "OrdersService"),
        ),
    ]
    settings = gateway_settings(idempotency_wait_seconds=5)
    async with gateway_over(registrations, "http://gw", settings=settings) as client:
        yield client


def as_admin(key: str, subject: str = "ada") -> dict[str, str]:
    return {**signed_in(subject, "admin"), "Idempotency-Key": key}


@pytest.mark.parametrize(("path", "body", "rpc"), MOVES)
async def test_a_retried_move_has_one_effect_and_the_first_response(
    api: httpx.AsyncClient, path: str, body: dict[str, Any], rpc: str
) -> None:
    headers = as_admin(str(uuid.uuid4()))
    before = calls[rpc]
    first = await api.post(API + path, json=body, headers=headers)
    again = await api.post(API + path, json=body, headers=headers)
    assert first.status_code < 300, first.text
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers.get("location") == first.headers.get("location")
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert calls[rpc] - before == 1


@pytest.mark.parametrize(("path", "body", "rpc"), MOVES)
async def test_a_move_sent_twice_at_once_has_one_effect_and_one_response(
    api: httpx.AsyncClient, path: str, body: dict[str, Any], rpc: str
) -> None:
    headers = as_admin(str(uuid.uuid4()))
    before = calls[rpc]
    one, two = await asyncio.gather(
        api.post(API + path, json=body, headers=headers),
        api.post(API + path, json=body, headers=headers),
    )
    assert one.status_code < 300, one.text
    assert (two.status_code, two.content) == (one.status_code, one.content)
    replayed = [r.headers.get("idempotent-replayed") for r in (one, two)]
    assert sorted(replayed, key=lambda r: r is None) == ["true", None]
    assert calls[rpc] - before == 1


async def test_the_same_key_with_another_body_is_refused_naming_the_header(
    api: httpx.AsyncClient,
) -> None:
    path, body, rpc = MOVES[6]  # a stock adjustment
    headers = as_admin(str(uuid.uuid4()))
    await api.post(API + path, json=body, headers=headers)
    before = calls[rpc]
    other = await api.post(API + path, json={**body, "quantity_delta": 500}, headers=headers)
    elsewhere = await api.post(API + "/receipts", json=MOVES[8][1], headers=headers)
    for refused in (other, elsewhere):
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["errors"][0]["field"] == "Idempotency-Key"
    assert calls[rpc] == before


async def test_keys_belong_to_their_caller(api: httpx.AsyncClient) -> None:
    path, body, rpc = MOVES[6]
    key = str(uuid.uuid4())
    before = calls[rpc]
    mine = await api.post(API + path, json=body, headers=as_admin(key, "ada"))
    theirs = await api.post(API + path, json=body, headers=as_admin(key, "bob"))
    assert "idempotent-replayed" not in theirs.headers
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert calls[rpc] - before == 2


async def test_a_failure_is_not_kept_so_the_client_may_retry(api: httpx.AsyncClient) -> None:
    path, body, rpc = MOVES[-1]
    headers = as_admin(str(uuid.uuid4()))
    failing.add(rpc)
    before = calls[rpc]
    failed = await api.post(API + path, json=body, headers=headers)
    retried = await api.post(API + path, json=body, headers=headers)
    assert failed.status_code == 500
    assert failed.headers["content-type"] == "application/problem+json"
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers
    assert calls[rpc] - before == 1


async def test_a_refusal_by_the_service_is_kept_like_any_answer(api: httpx.AsyncClient) -> None:
    path, body, _ = MOVES[6]
    headers = as_admin(str(uuid.uuid4()))
    bad = {**body, "reason": "bad"}
    first = await api.post(API + path, json=bad, headers=headers)
    again = await api.post(API + path, json=bad, headers=headers)
    assert first.status_code == 422
    assert (again.status_code, again.headers["idempotent-replayed"]) == (422, "true")
    assert again.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "naïve"])
async def test_a_malformed_key_is_refused(api: httpx.AsyncClient, key: str) -> None:
    path, body, _ = MOVES[6]
    headers: dict[str, str | bytes] = {**signed_in("ada", "admin"), "Idempotency-Key": key.encode()}
    response = await api.post(API + path, json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_a_request_waiting_too_long_for_the_first_is_told_to_retry(
    gateway_over: GatewayOver,
) -> None:
    registrations = [inventory()]
    settings = gateway_settings(idempotency_wait_seconds=SERVICE_SECONDS / 4)
    path, body, _ = MOVES[6]
    headers = as_admin(str(uuid.uuid4()))
    async with gateway_over(registrations, "http://gw", settings=settings) as api:
        first = asyncio.create_task(api.post(API + path, json=body, headers=headers))
        await asyncio.sleep(SERVICE_SECONDS / 4)
        second = await api.post(API + path, json=body, headers=headers)
        assert (await first).status_code == 201
    assert second.status_code == 409
    assert second.headers["retry-after"] == "1"
    assert second.headers["content-type"] == "application/problem+json"


async def test_records_expire(gateway_over: GatewayOver) -> None:
    registrations = [inventory()]
    settings = gateway_settings(idempotency_ttl_hours=0.1 / 3600)  # 0.1 s
    path, body, _ = MOVES[6]
    headers = as_admin(str(uuid.uuid4()))
    async with gateway_over(registrations, "http://gw", settings=settings) as api:
        await api.post(API + path, json=body, headers=headers)
        await asyncio.sleep(0.15)
        later = await api.post(API + path, json={**body, "quantity_delta": 7}, headers=headers)
    assert later.status_code == 201
    assert "idempotent-replayed" not in later.headers


async def test_without_a_key_every_post_has_its_effect(api: httpx.AsyncClient) -> None:
    path, body, rpc = MOVES[6]
    before = calls[rpc]
    for _ in range(2):
        response = await api.post(API + path, json=body, headers=signed_in("ada", "admin"))
        assert "idempotent-replayed" not in response.headers
    assert calls[rpc] - before == 2
