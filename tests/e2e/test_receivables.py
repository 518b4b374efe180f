"""Receivables end to end, through the gateway: a customer payment split across three invoices,
its overpayment kept as credit and used later, aging that adds up to the open documents, bad
allocations refused, and invoice numbers without gaps while shipments are invoiced at once."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import Api, eventually, new_customer

TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture
async def clerk(gateway_url: str) -> AsyncIterator[Api]:
    roles = ("finance", "order-desk", "sales", "warehouse", "purchasing")
    api = Api(gateway_url, "e2e-clerk", *roles)
    yield api
    await api.aclose()


async def _stocked(api: Api, units: int, price: str = "10.00") -> tuple[str, str]:
    product = await api.created(
        "/products",
        {
            "sku": f"R-{uuid.uuid4().hex[:8]}",
            "name": "Rope",
            "list_price": {"amount": price, "currency": "EUR"},
        },
    )
    warehouse = await api.created("/warehouses", {"code": f"R{uuid.uuid4().hex[:6]}", "name": "R"})
    adjusted = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse["id"],
            "product_id": product["id"],
            "quantity_delta": units,
            "reason": "count",
        },
    )
    assert adjusted.status_code in (200, 201), adjusted.text
    return product["id"], warehouse["id"]


async def _invoiced_order(api: Api, customer: str, product: str, warehouse: str, units: int) -> Any:
    order = await api.created(
        "/sales-orders",
        {
            "customer_id": customer,
            "currency": "EUR",
            "lines": [{"product_id": product, "quantity": units}],
        },
    )
    await eventually(
        lambda: api.get(f"/sales-orders/{order['id']}"),
        lambda r: r.json()["stock_status"] == "reserved",
    )
    await api.created(
        "/shipments", {"order_id": order["id"], "warehouse_id": warehouse, "carrier": "DHL"}
    )
    invoices = await eventually(
        lambda: api.get("/invoices", order_id=order["id"]),
        lambda r: len(r.json()["items"]) == 1,
        seconds=60,
    )
    return invoices.json()["items"][0]


def _money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


async def test_one_payment_pays_three_invoices_and_its_overpayment_pays_a_later_one(
    clerk: Api,
) -> None:
    customer = await new_customer(clerk, "Rope buyer")
    product, warehouse = await _stocked(clerk, 20)
    invoices = [
        await _invoiced_order(clerk, customer, product, warehouse, units) for units in (1, 2, 3)
    ]
    assert [i["total"]["amount"] for i in invoices] == ["10.00", "20.00", "30.00"]

    too_much = await clerk.post(
        "/payments",
        {
            "customer_id": customer,
            "amount": _money("60.00"),
            "received_on": TODAY,
            "allocations": [{"invoice_id": invoices[0]["id"], "amount": _money("15.00")}],
        },
    )
    assert too_much.status_code == 422, too_much.text
    assert [e["field"] for e in too_much.json()["errors"]] == ["allocations[0].amount"]
    assert (await clerk.get("/payments", customer_id=customer)).json()["items"] == []

    paid = await clerk.created(
        "/payments",
        {
            "customer_id": customer,
            "amount": _money("65.00"),
            "reference": "bank 2026-11",
            "received_on": TODAY,
            "allocations": [{"invoice_id": i["id"], "amount": i["total"]} for i in invoices],
        },
    )
    assert (paid["allocated"], paid["unapplied"]) == (_money("60.00"), _money("5.00"))
    for invoice in invoices:
        found = (await clerk.get(f"/invoices/{invoice['id']}")).json()
        assert (found["status"], found["balance"]["amount"]) == ("paid", "0.00")

    later = await _invoiced_order(clerk, customer, product, warehouse, 1)
    applied = await clerk.post(f"/customers/{customer}/credit/apply", {"invoice_id": later["id"]})
    assert applied.status_code in (200, 201), applied.text
    found = (await clerk.get(f"/invoices/{later['id']}")).json()
    assert found["balance"] == _money("5.00")

    aging = (await clerk.get("/reports/ar-aging", customer_id=customer)).json()
    (line,) = [x for x in aging["customers"] if x["party_id"] == customer]
    assert line["buckets"]["total"] == _money("5.00")  # the one open document's balance
    assert line["documents"] == 1
    assert line["credit"]["amount"] in ("0.00", "0")


async def test_aging_totals_equal_the_sum_of_open_documents(clerk: Api) -> None:
    customer = await new_customer(clerk, "Rope buyer")
    product, warehouse = await _stocked(clerk, 10)
    for units in (1, 4):
        await _invoiced_order(clerk, customer, product, warehouse, units)
    aging = (await clerk.get("/reports/ar-aging")).json()
    invoices = (await clerk.get("/invoices")).json()["items"]
    open_total = sum(
        (Decimal(i["balance"]["amount"]) for i in invoices if i["balance"]["currency"] == "EUR"),
        Decimal(0),
    )
    (eur,) = [t for t in aging["totals"] if t["currency"] == "EUR"]
    assert Decimal(eur["buckets"]["total"]["amount"]) == open_total
    buckets = eur["buckets"]
    parts = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")
    assert sum(Decimal(buckets[b]["amount"]) for b in parts) == open_total


async def test_invoice_numbers_have_no_gaps_when_shipments_are_invoiced_at_once(
    clerk: Api,
) -> None:
    product, warehouse = await _stocked(clerk, 30)
    customer = await new_customer(clerk, "Rope buyer")
    orders = []
    for _ in range(12):
        orders.append(
            await clerk.created(
                "/sales-orders",
                {
                    "customer_id": customer,
                    "currency": "EUR",
                    "lines": [{"product_id": product, "quantity": 1}],
                },
            )
        )
    for order in orders:
        await eventually(
            lambda o=order: clerk.get(f"/sales-orders/{o['id']}"),
            lambda r: r.json()["stock_status"] == "reserved",
        )
    await asyncio.gather(
        *(
            clerk.created(
                "/shipments", {"order_id": o["id"], "warehouse_id": warehouse, "carrier": "DHL"}
            )
            for o in orders
        )
    )
    for order in orders:
        await eventually(
            lambda o=order: clerk.get("/invoices", order_id=o["id"]),
            lambda r: len(r.json()["items"]) == 1,
            seconds=60,
        )
    numbers = [i["number"] for i in (await clerk.get("/invoices")).json()["items"]]
    year = datetime.now(UTC).year
    sequence = sorted(int(re.fullmatch(rf"INV-{year}-(\d{{6}})", n).group(1)) for n in numbers)  # type: ignore[union-attr]
    assert sequence == list(range(1, len(sequence) + 1))  # every number once, none skipped
