"""The gateway's billing resources over the real billing service: bodies, roles, errors as
problem+json with the field at fault, pages, exchange rates, and retries under an
Idempotency-Key that move money once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2, procurement_pb2
from oms.types.v1.types_pb2 import Money
from services.gateway.tests.integration.conftest import GatewayOverService
from testkit.services import EventLog, ServiceProcess, publish, signed_in

API = "/api/v1"


def bearer(*roles: str) -> dict[str, str]:
    return signed_in("fiona", *roles)


@pytest.fixture
async def served(
    gateway_over_service: GatewayOverService,
) -> AsyncIterator[tuple[httpx.AsyncClient, ServiceProcess]]:
    async with gateway_over_service("billing", "http://gw") as served:
        yield served


@pytest.fixture
def api(served: tuple[httpx.AsyncClient, ServiceProcess]) -> tuple[httpx.AsyncClient, str]:
    return served[0], served[1].namespace


async def processed(database_url: str, operation: str) -> int:
    """How many request ids billing keeps for `operation`: the routes pass the key on."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.execute(
                text("SELECT count(*) FROM processed_requests WHERE operation = :operation"),
                {"operation": operation},
            )
            return int(found.scalar_one())
    finally:
        await engine.dispose()


async def an_invoice(kafka_bootstrap: str, ns: str, customer_id: str) -> str:
    line_id = str(uuid.uuid4())
    order = orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id=customer_id,
        currency="EUR",
        lines=[
            orders_pb2.SalesOrderLine(
                line_id=line_id,
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
        lines=[inventory_pb2.ShippedLine(line_id=line_id, quantity=4)],
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

    reused = {**body, "amount": {"amount": "1.00", "currency": "EUR"}}
    refused = await client.post(f"{API}/payments", json=reused, headers=bearer("finance"))
    assert (refused.status_code, [e["field"] for e in refused.json()["errors"]]) == (
        409,
        ["reference"],
    )  # the customer's transfer 7 is recorded already, and it was another payment
    body["reference"] = "transfer 8"
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
        "credits": [],
    }
    notes = await client.get(
        f"{API}/credit-notes", params={"customer_id": "C-API"}, headers=bearer("finance")
    )
    assert notes.json() == {"items": [], "next_page_token": ""}
    missing = await client.get(f"{API}/credit-notes/nope", headers=bearer("finance"))
    assert (missing.status_code, missing.headers["content-type"]) == (
        404,
        "application/problem+json",
    )
    assert (await client.get(f"{API}/payments", headers=bearer("warehouse"))).status_code == 403


def money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


async def test_receivables_reports_and_pdfs_through_the_gateway(
    api: tuple[httpx.AsyncClient, str], kafka_bootstrap: str
) -> None:
    client, ns = api
    first = await an_invoice(kafka_bootstrap, ns, "C-GW")  # 50.00
    second = await an_invoice(kafka_bootstrap, ns, "C-GW")  # 50.00
    finance, sales = bearer("finance"), bearer("sales")
    body = {
        "customer_id": "C-GW",
        "amount": money("120.00"),
        "reference": "remittance 12",
        "received_on": "2026-03-02",
        "allocations": [
            {"invoice_id": second, "amount": money("50.00")},
            {"invoice_id": first, "amount": money("50.01")},
        ],
    }
    refused = await client.post(f"{API}/payments", json=body, headers=finance)
    assert (refused.status_code, refused.json()["errors"]) == (
        422,
        [
            {
                "field": "allocations[1].amount",
                "detail": "exceeds the invoice's open amount of 50.00 EUR",
            }
        ],
    )
    both = await client.post(f"{API}/payments", json=body | {"invoice_id": first}, headers=finance)
    assert [e["field"] for e in both.json()["errors"]] == ["invoice_id"]
    body["allocations"][1]["amount"] = money("40.00")  # type: ignore[index]
    created = await client.post(f"{API}/payments", json=body, headers=finance)
    assert created.status_code == 201
    payment = created.json()
    assert (payment["kind"], payment["allocated"], payment["unapplied"]) == (
        "received",
        money("90.00"),
        money("30.00"),
    )
    assert [a["unallocated_at"] for a in payment["allocations"]] == [None, None]
    balance = (await client.get(f"{API}/customers/C-GW/balance", headers=sales)).json()
    assert (balance["balances"], balance["credits"]) == ([money("10.00")], [money("30.00")])

    applied = await client.post(
        f"{API}/customers/C-GW/credit/apply", json={"invoice_id": first}, headers=finance
    )
    assert (applied.status_code, applied.json()["kind"], applied.json()["amount"]) == (
        201,
        "credit",
        money("10.00"),
    )
    back = await client.post(
        f"{API}/payments/{payment['id']}/unallocate", json={"invoice_id": second}, headers=finance
    )
    assert back.status_code == 200
    assert [a["unallocated_at"] is not None for a in back.json()["allocations"]] == [True, False]
    missing = await client.post(f"{API}/payments/nope/unallocate", headers=finance)
    assert missing.status_code == 404

    note = await client.post(
        f"{API}/credit-notes",
        json={"customer_id": "C-GW", "amount": money("5.00"), "memo": "goodwill"},
        headers=finance,
    )
    assert note.status_code == 201
    assert (note.json()["reason"], note.json()["invoice_id"], note.json()["memo"]) == (
        "adjustment",
        "",
        "goodwill",
    )
    assert (
        await client.post(f"{API}/credit-notes", json=note.json() | {}, headers=finance)
    ).status_code == 422
    partial = await client.post(
        f"{API}/credit-notes",
        json={"invoice_id": second, "amount": money("50.01"), "memo": "too much"},
        headers=finance,
    )
    assert [e["field"] for e in partial.json()["errors"]] == ["amount"]

    aging = await client.get(f"{API}/reports/ar-aging", headers=bearer("order-desk"))
    assert aging.status_code == 200
    (line,) = aging.json()["customers"]
    assert (line["party_id"], line["buckets"]["current"], line["credit"]) == (
        "C-GW",
        money("50.00"),
        money("75.00"),
    )
    assert aging.json()["totals"][0]["buckets"]["total"] == money("50.00")
    bad = await client.get(f"{API}/reports/ar-aging", params={"as_of": "soon"}, headers=sales)
    assert bad.status_code == 422
    revenue = await client.get(
        f"{API}/reports/revenue", params={"group_by": "channel"}, headers=sales
    )
    assert [(r["channel"], r["net"]) for r in revenue.json()["totals"]] == [
        ("direct", money("100.00")),
        ("unassigned", money("-5.00")),
    ]
    assert (
        await client.get(f"{API}/reports/revenue", headers=bearer("warehouse"))
    ).status_code == 403

    pdf = await client.get(f"{API}/invoices/{first}/pdf", headers=sales)
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith('attachment; filename="invoice-INV-')
    pdf = await client.get(f"{API}/credit-notes/{note.json()['id']}/pdf", headers=sales)
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")


async def test_payables_through_the_gateway_with_their_roles(
    api: tuple[httpx.AsyncClient, str], kafka_bootstrap: str
) -> None:
    client, ns = api
    order = procurement_pb2.PurchaseOrderIssued(
        purchase_order_id=str(uuid.uuid4()),
        number="PO-2026-000009",
        supplier_id="S-GW",
        currency="EUR",
        lines=[
            procurement_pb2.PurchaseOrderLine(
                line_id="l1",
                product_id="p1",
                sku="SKU-1",
                quantity=10,
                unit_price=Money(amount="2.00", currency="EUR"),
            )
        ],
    )
    receipt = inventory_pb2.GoodsReceived(
        receipt_id=str(uuid.uuid4()),
        purchase_order_id=order.purchase_order_id,
        lines=[inventory_pb2.ReceivedLine(product_id="p1", quantity=10)],
    )
    bill = {
        "purchase_order_id": order.purchase_order_id,
        "supplier_id": "S-GW",
        "supplier_reference": "S-INV-1",
        "currency": "EUR",
        "lines": [{"product_id": "p1", "quantity": 10, "unit_price": "2.50"}],
    }
    async with EventLog(kafka_bootstrap, [events.BillRecorded], ns) as log:
        await publish(kafka_bootstrap, order, key=order.purchase_order_id, namespace=ns)
        await publish(kafka_bootstrap, receipt, key=receipt.receipt_id, namespace=ns)
        purchasing = bearer("purchasing")
        assert (await client.post(f"{API}/bills", json=bill, headers=purchasing)).status_code == 403
        # what suppliers charge is not for sales
        assert (await client.get(f"{API}/bills", headers=bearer("sales"))).status_code == 403
        for _ in range(300):
            created = await client.post(f"{API}/bills", json=bill, headers=bearer("finance"))
            if created.status_code == 201:
                break
            assert created.status_code == 422  # the order or receipt has not arrived yet
            await asyncio.sleep(0.1)
        await log.wait_for(order.purchase_order_id)
    held = created.json()
    assert (held["status"], held["lines"][0]["issue"]) == (
        "held",
        "unit price 2.5, ordered at 2 (more than 2 % off)",
    )
    assert held["released_at"] is None
    listed = await client.get(f"{API}/bills", params={"supplier_id": "S-GW"}, headers=purchasing)
    assert [b["id"] for b in listed.json()["items"]] == [held["id"]]
    released = await client.post(
        f"{API}/bills/{held['id']}/release", json={"note": "agreed"}, headers=bearer("finance")
    )
    assert (released.json()["status"], released.json()["released_at"] is not None) == (
        "open",
        True,
    )
    again = await client.post(f"{API}/bills/{held['id']}/release", headers=bearer("finance"))
    assert again.status_code == 409
    sent = await client.post(
        f"{API}/payments-sent",
        json={"supplier_id": "S-GW", "amount": money("25.00"), "paid_on": "2026-03-02"},
        headers=bearer("finance"),
    )
    assert sent.status_code == 201
    assert sent.json()["allocations"] == [
        {"bill_id": held["id"], "supplier_reference": "S-INV-1", "amount": money("25.00")}
    ]
    paid = await client.get(f"{API}/bills/{held['id']}", headers=purchasing)
    assert paid.json()["status"] == "paid"
    aging = await client.get(f"{API}/reports/ap-aging", headers=purchasing)
    assert aging.status_code == 200
    assert aging.json()["suppliers"] == []
    payments = await client.get(f"{API}/payments-sent", headers=purchasing)
    assert [p["id"] for p in payments.json()["items"]] == [sent.json()["id"]]


async def test_money_moving_posts_retried_under_an_idempotency_key_happen_once(
    served: tuple[httpx.AsyncClient, ServiceProcess], kafka_bootstrap: str
) -> None:
    client, billing = served
    invoice_id = await an_invoice(kafka_bootstrap, billing.namespace, "C-KEY")  # 50.00
    finance = bearer("finance")
    body = {"invoice_id": invoice_id, "amount": money("20.00"), "received_on": "2026-03-02"}
    retried = {**finance, "Idempotency-Key": "pay-1"}
    first = await client.post(f"{API}/payments", json=body, headers=retried)
    again = await client.post(f"{API}/payments", json=body, headers=retried)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    doubled = {**finance, "Idempotency-Key": "pay-2"}
    replies = await asyncio.gather(
        client.post(f"{API}/payments", json=body, headers=doubled),
        client.post(f"{API}/payments", json=body, headers=doubled),
    )
    # the second waits for the first (or is told to retry): never a second payment
    assert {r.json()["id"] for r in replies if r.status_code == 201} != set()
    assert len({r.json()["id"] for r in replies if r.status_code == 201}) == 1
    invoice = (await client.get(f"{API}/invoices/{invoice_id}", headers=finance)).json()
    assert invoice["amount_paid"] == money("40.00")  # two keys, two payments of 20.00
    assert await processed(billing.database_url, "record_payment") == 2

    note = {"customer_id": "C-KEY", "amount": money("5.00"), "memo": "goodwill"}
    keyed = {**finance, "Idempotency-Key": "note-1"}
    notes = await asyncio.gather(
        client.post(f"{API}/credit-notes", json=note, headers=keyed),
        client.post(f"{API}/credit-notes", json=note, headers=keyed),
    )
    assert len({r.json()["id"] for r in notes if r.status_code == 201}) == 1
    listed = await client.get(
        f"{API}/credit-notes", params={"customer_id": "C-KEY"}, headers=finance
    )
    assert len(listed.json()["items"]) == 1
    assert await processed(billing.database_url, "issue_credit_note") == 1

    sent = {"supplier_id": "S-KEY", "amount": money("3.00"), "paid_on": "2026-03-02"}
    keyed = {**finance, "Idempotency-Key": "sent-1"}
    for _ in range(2):
        assert (
            await client.post(f"{API}/payments-sent", json=sent, headers=keyed)
        ).status_code == 201
    payments = await client.get(
        f"{API}/payments-sent", params={"supplier_id": "S-KEY"}, headers=finance
    )
    assert len(payments.json()["items"]) == 1
    assert await processed(billing.database_url, "record_supplier_payment") == 1


async def test_lists_in_pages_and_out_of_range_input_through_the_gateway(
    api: tuple[httpx.AsyncClient, str], kafka_bootstrap: str
) -> None:
    client, ns = api
    finance = bearer("finance")
    made = [await an_invoice(kafka_bootstrap, ns, "C-PAGE") for _ in range(3)]
    first = await client.get(f"{API}/invoices", params={"page_size": 2}, headers=finance)
    assert [i["id"] for i in first.json()["items"]] == made[::-1][:2]  # newest first
    rest = await client.get(
        f"{API}/invoices",
        params={"page_size": 2, "page_token": first.json()["next_page_token"]},
        headers=finance,
    )
    assert ([i["id"] for i in rest.json()["items"]], rest.json()["next_page_token"]) == (
        made[:1],
        "",
    )
    for path in ("/invoices", "/payments", "/credit-notes", "/bills", "/payments-sent"):
        huge = await client.get(f"{API}{path}", params={"page_size": 10**9}, headers=finance)
        assert (huge.status_code, [e["field"] for e in huge.json()["errors"]]) == (
            422,
            ["page_size"],
        ), path
    bad_token = await client.get(f"{API}/payments", params={"page_token": "x"}, headers=finance)
    assert [e["field"] for e in bad_token.json()["errors"]] == ["page_token"]
    long_id = await client.get(f"{API}/invoices/{'x' * 12_000}", headers=finance)
    assert long_id.status_code == 422
    body = {"invoice_id": made[0], "amount": money("1" + "0" * 39), "received_on": "2026-03-02"}
    huge_payment = await client.post(f"{API}/payments", json=body, headers=finance)
    assert huge_payment.status_code == 422
    assert "amount" in huge_payment.json()["errors"][0]["field"]
    bill = {
        "purchase_order_id": "po-1",
        "supplier_id": "S-1",
        "supplier_reference": "R-1",
        "currency": "EUR",
        "lines": [{"product_id": "p1", "quantity": 10**7, "unit_price": "1.00"}],
    }
    refused = await client.post(f"{API}/bills", json=bill, headers=finance)
    assert (refused.status_code, [e["field"] for e in refused.json()["errors"]]) == (
        422,
        ["lines[0].quantity"],
    )


async def test_exchange_rates_through_the_gateway(api: tuple[httpx.AsyncClient, str]) -> None:
    client, _ = api
    finance, desk = bearer("finance"), bearer("order-desk")
    body = {
        "base_currency": "USD",
        "quote_currency": "EUR",
        "rate": "0.9200",
        "effective_from": "2026-01-01",
    }
    assert (await client.post(f"{API}/exchange-rates", json=body, headers=desk)).status_code == 403
    created = await client.post(f"{API}/exchange-rates", json=body, headers=finance)
    assert created.status_code == 201, created.text
    assert {k: created.json()[k] for k in ("rate", "effective_from", "set_by")} == {
        "rate": "0.92",
        "effective_from": "2026-01-01",
        "set_by": "fiona",
    }
    zero = await client.post(f"{API}/exchange-rates", json=body | {"rate": "0"}, headers=finance)
    assert (zero.status_code, zero.json()["errors"]) == (
        422,
        [{"field": "rate", "detail": "must be more than zero"}],
    )
    same = await client.post(
        f"{API}/exchange-rates", json=body | {"quote_currency": "USD"}, headers=finance
    )
    assert [e["field"] for e in same.json()["errors"]] == ["quote_currency"]
    lower = await client.post(
        f"{API}/exchange-rates", json=body | {"base_currency": "usd"}, headers=finance
    )
    assert lower.status_code == 422
    listed = await client.get(
        f"{API}/exchange-rates",
        params={"base_currency": "USD", "quote_currency": "EUR"},
        headers=desk,
    )
    assert (
        [(r["base_currency"], r["rate"]) for r in listed.json()["items"]],
        listed.json()["next_page_token"],
    ) == ([("USD", "0.92")], "")
    assert (await client.get(f"{API}/exchange-rates", headers=bearer("sales"))).status_code == 403
    assert (
        await client.get(f"{API}/exchange-rates", headers=bearer("warehouse"))
    ).status_code == 403
