"""The gateway's billing resources over the real billing service: bodies, roles, and errors as
problem+json with the field at fault."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from billing.bootstrap import SPEC
from billing.config import Settings
from gateway.app import create_app
from gateway.clients import SERVICES, Clients
from gateway.config import Settings as GatewaySettings
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2
from oms.types.v1.types_pb2 import Money
from servicekit.auth import issue_token
from servicekit.grpc import open_channel
from testkit.services import EventLog, free_port, namespace, publish, running

SECRET = "a-secret-for-billing-api-tests-of-32-or-more-bytes"
API = "/api/v1"


def bearer(*roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(SECRET, 'fiona', roles)}"}


@pytest.fixture
async def api(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    ns, url = namespace(), await fresh_database("billing")
    port = free_port()
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=port,
        topic_namespace=ns,
    )
    async with running(SPEC, settings):
        clients = Clients({name: open_channel(f"127.0.0.1:{port}") for name in SERVICES})
        app = create_app(GatewaySettings(jwt_secret=SECRET), clients)
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://gw"
            ) as client:
                yield client, ns
        finally:
            await clients.close()


async def an_invoice(kafka_bootstrap: str, ns: str, customer_id: str) -> str:
    order = orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id=customer_id,
        currency="EUR",
        lines=[
            orders_pb2.SalesOrderLine(
                line_id="l-1",
                product_id="p-1",
                sku="SKU-1",
                quantity=10,
                unit_price=Money(amount="12.50", currency="EUR"),
            )
        ],
    )
    shipment = inventory_pb2.ShipmentDispatched(
        shipment_id=str(uuid.uuid4()),
        order_id=order.order_id,
        lines=[inventory_pb2.ShippedLine(line_id="l-1", quantity=4)],
    )
    async with EventLog(kafka_bootstrap, [events.InvoiceIssued], ns) as log:
        await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        await publish(kafka_bootstrap, shipment, key=order.order_id, namespace=ns)
        ((_, issued),) = await log.wait_for(order.order_id)
    assert isinstance(issued, events.InvoiceIssued)
    return issued.invoice_id


async def test_payments_credit_notes_and_balances_through_the_gateway(
    api: tuple[httpx.AsyncClient, str], kafka_bootstrap: str
) -> None:
    client, ns = api
    invoice_id = await an_invoice(kafka_bootstrap, ns, "C-API")
    invoice = (await client.get(f"{API}/invoices/{invoice_id}", headers=bearer("sales"))).json()
    assert (invoice["status"], invoice["balance"], invoice["due_date"] is not None) == (
        "open",
        {"amount": "50.00", "currency": "EUR"},
        True,
    )
    body = {
        "invoice_id": invoice_id,
        "amount": {"amount": "20.00", "currency": "EUR"},
        "reference": "transfer 7",
        "received_on": "2026-03-02",
    }
    assert (
        await client.post(f"{API}/payments", json=body, headers=bearer("sales"))
    ).status_code == 403
    created = await client.post(f"{API}/payments", json=body, headers=bearer("finance"))
    assert created.status_code == 201
    payment = created.json()
    assert created.headers["location"] == f"{API}/payments/{payment['id']}"
    assert (payment["amount"], payment["received_on"], payment["recorded_by"]) == (
        {"amount": "20.00", "currency": "EUR"},
        "2026-03-02",
        "fiona",
    )
    fetched = await client.get(created.headers["location"], headers=bearer("order-desk"))
    assert fetched.json() == payment

    too_much = {**body, "amount": {"amount": "30.01", "currency": "EUR"}}
    refused = await client.post(f"{API}/payments", json=too_much, headers=bearer("finance"))
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"] == [
        {"field": "amount", "detail": "exceeds the invoice's balance of 30.00 EUR"}
    ]
    dollars = {**body, "amount": {"amount": "1.00", "currency": "USD"}}
    refused = await client.post(f"{API}/payments", json=dollars, headers=bearer("finance"))
    assert [e["field"] for e in refused.json()["errors"]] == ["amount.currency"]
    undated = {k: v for k, v in body.items() if k != "received_on"} | {"paid": True}
    refused = await client.post(f"{API}/payments", json=undated, headers=bearer("finance"))
    assert {e["field"] for e in refused.json()["errors"]} == {"received_on", "paid"}

    listed = await client.get(
        f"{API}/payments", params={"customer_id": "C-API"}, headers=bearer("sales")
    )
    assert [p["id"] for p in listed.json()["items"]] == [payment["id"]]
    balance = await client.get(f"{API}/customers/C-API/balance", headers=bearer("sales"))
    assert balance.json() == {
        "customer_id": "C-API",
        "balances": [{"amount": "30.00", "currency": "EUR"}],
    }
    notes = await client.get(
        f"{API}/credit-notes", params={"customer_id": "C-API"}, headers=bearer("finance")
    )
    assert notes.json() == {"items": []}
    missing = await client.get(f"{API}/credit-notes/nope", headers=bearer("finance"))
    assert (missing.status_code, missing.headers["content-type"]) == (
        404,
        "application/problem+json",
    )
    assert (await client.get(f"{API}/payments", headers=bearer("warehouse"))).status_code == 403
