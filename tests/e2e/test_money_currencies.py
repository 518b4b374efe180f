"""Currencies and dunning end to end, through the gateway: rates set by finance and imported from
a CSV file (a bad row refused with its line and field, nothing stored); AR ageing, revenue and
the forecast per currency with a total in the reporting currency that shows each rate (and a
currency without one); an overdue invoice dunned once per level with a reminder PDF, and the
credit hold that holds the customer's next order until the invoice is paid."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import Api, eventually

# Billing's settings for this flow, read by the stack when it starts (the session's first e2e
# test): customers overdue more than 30 days are held; the overdue loop (which releases holds
# once the invoices are paid) looks every half second.
os.environ.setdefault("BILLING_CREDIT_HOLD_AFTER_DAYS", "30")
os.environ.setdefault("BILLING_OVERDUE_INTERVAL_SECONDS", "0.5")

TODAY = datetime.now(UTC).date()
CENT = Decimal("0.01")


@pytest.fixture
async def clerk(gateway_url: str) -> AsyncIterator[Api]:
    roles = ("finance", "order-desk", "sales", "warehouse", "purchasing")
    api = Api(gateway_url, "e2e-money-clerk", *roles)
    yield api
    await api.aclose()


async def _customer(api: Api, terms: str = "") -> str:
    body = {"name": f"Money {uuid.uuid4().hex[:6]}", "kind": "company", "currency": "EUR"}
    if terms:
        body["payment_terms"] = terms
    return str((await api.created("/customers", body))["id"])


async def _stocked(api: Api, currency: str, price: str) -> tuple[str, str]:
    product = await api.created(
        "/products",
        {
            "sku": f"M-{uuid.uuid4().hex[:8]}",
            "name": "Coin",
            "list_price": {"amount": price, "currency": currency},
        },
    )
    warehouse = await api.created("/warehouses", {"code": f"M{uuid.uuid4().hex[:6]}", "name": "M"})
    adjusted = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse["id"],
            "product_id": product["id"],
            "quantity_delta": 50,
            "reason": "count",
        },
    )
    assert adjusted.status_code in (200, 201), adjusted.text
    return product["id"], warehouse["id"]


async def _order(api: Api, customer: str, product: str, currency: str) -> dict[str, Any]:
    return await api.created(
        "/sales-orders",
        {
            "customer_id": customer,
            "currency": currency,
            "lines": [{"product_id": product, "quantity": 2}],
        },
    )


async def _invoiced(api: Api, customer: str, currency: str, price: str) -> dict[str, Any]:
    product, warehouse = await _stocked(api, currency, price)
    order = await _order(api, customer, product, currency)
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
    invoice: dict[str, Any] = invoices.json()["items"][0]
    return invoice


async def _import(api: Api, text: str, content_type: str = "text/csv") -> httpx.Response:
    return await api.client.post(
        "/exchange-rates/import",
        params={"base_currency": "EUR"},
        content=text.encode(),
        headers={"content-type": content_type},
    )


async def _usd_rate(api: Api) -> None:
    """EUR/USD 1.25 from today (so USD -> EUR converts at 0.8), from a CSV file."""
    imported = await _import(api, f"date,currency,rate\n{TODAY},USD,1.25\n")
    assert imported.status_code == 200, imported.text


def _converted(amount: str, rate: str) -> str:
    return str((Decimal(amount) * Decimal(rate)).quantize(CENT, ROUND_HALF_UP))


def _adds_up(total: dict[str, Any]) -> None:
    """The reporting total is the sum of the converted amounts shown, each the amount at the
    rate shown, rounded once to the cent."""
    converted = [c for c in total["conversions"] if c["converted"] is not None]
    for c in converted:
        if c["rate"]:
            assert c["converted"]["amount"] == _converted(c["amount"]["amount"], c["rate"])
    shown = sum((Decimal(c["converted"]["amount"]) for c in converted), Decimal(0))
    assert Decimal(total["total"]["amount"]) == shown
    assert total["complete"] == all(c["converted"] is not None for c in total["conversions"])


async def test_rates_by_api_and_csv_all_or_nothing(clerk: Api) -> None:
    set_by_hand = await clerk.created(
        "/exchange-rates",
        {
            "base_currency": "GBP",
            "quote_currency": "EUR",
            "rate": "1.17",
            "effective_from": "2001-02-01",
        },
    )
    assert set_by_hand["rate"] == "1.17"
    bad = await _import(
        clerk,
        "date,currency,rate\n"
        "2001-01-01,CHF,0.95\n"  # good, but the file is refused as a whole
        "2001-01-01,XYZ,1\n"
        "2001-13-01,JPY,160\n"
        "2001-01-01,SEK,-3\n",
    )
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in bad.json()["errors"]] == [
        "lines[3].currency",
        "lines[4].date",
        "lines[5].rate",
    ]
    chf = (await clerk.get("/exchange-rates", base_currency="EUR", quote_currency="CHF")).json()
    assert [r for r in chf["items"] if r["effective_from"] == "2001-01-01"] == []
    not_csv = await _import(clerk, "{}", content_type="application/json")
    assert not_csv.status_code == 422
    assert [e["field"] for e in not_csv.json()["errors"]] == ["content-type"]

    good = await _import(clerk, "date,currency,rate\n2001-01-01,CHF,0.95\n2001-01-02,CHF,0.96\n")
    assert good.json() == {"set": 2, "unchanged": 0}
    again = await _import(clerk, "date,currency,rate\n2001-01-01,CHF,0.95\n")
    assert again.json() == {"set": 0, "unchanged": 1}
    chf = (await clerk.get("/exchange-rates", base_currency="EUR", quote_currency="CHF")).json()
    assert {(r["effective_from"], r["rate"]) for r in chf["items"]} >= {
        ("2001-01-01", "0.95"),
        ("2001-01-02", "0.96"),
    }


async def test_reports_per_currency_with_a_total_in_eur_and_the_rate_used(clerk: Api) -> None:
    await _usd_rate(clerk)
    customer = await _customer(clerk)
    in_eur = await _invoiced(clerk, customer, "EUR", "10.00")
    in_usd = await _invoiced(clerk, customer, "USD", "12.35")
    assert (in_eur["total"]["amount"], in_usd["total"]["amount"]) == ("20.00", "24.70")

    aging = (await clerk.get("/reports/ar-aging", customer_id=customer)).json()
    assert {t["currency"]: t["buckets"]["total"]["amount"] for t in aging["totals"]} == {
        "EUR": in_eur["balance"]["amount"],
        "USD": in_usd["balance"]["amount"],
    }
    total = aging["reporting_total"]
    assert (total["currency"], total["complete"], total["rates_on"]) == ("EUR", True, str(TODAY))
    eur, usd = total["conversions"]
    assert (eur["amount"]["currency"], eur["converted"]["amount"], eur["rate"]) == (
        "EUR",
        "20.00",
        "",
    )
    assert (usd["rate_pair"], usd["rate"], usd["rate_effective_from"]) == (
        "EUR/USD",
        "0.8",
        str(TODAY),
    )
    assert usd["converted"] == {"amount": "19.76", "currency": "EUR"}  # 24.70 / 1.25
    assert total["total"] == {"amount": "39.76", "currency": "EUR"}
    _adds_up(total)

    # a currency without any rate is listed with the reason, and the total says it is partial
    other = await _customer(clerk)
    await _invoiced(clerk, other, "JPY", "1500")
    partial = (await clerk.get("/reports/ar-aging", customer_id=other)).json()["reporting_total"]
    (jpy,) = partial["conversions"]
    assert (jpy["converted"], jpy["missing"], partial["complete"]) == (
        None,
        f"no exchange rate JPY->EUR on {TODAY}",
        False,
    )
    assert partial["total"]["amount"] in ("0", "0.00")

    revenue = (await clerk.get("/reports/revenue", from_date=str(TODAY), to_date=str(TODAY))).json()
    for row in revenue["totals"]:  # net revenue and tax apart, adding up to what was billed
        money = {k: Decimal(row[k]["amount"]) for k in ("invoiced_net", "invoiced_tax", "invoiced")}
        assert money["invoiced_net"] + money["invoiced_tax"] == money["invoiced"]
        assert Decimal(row["net_revenue"]["amount"]) + Decimal(row["tax"]["amount"]) == Decimal(
            row["net"]["amount"]
        )
    in_total = {c["amount"]["currency"]: c for c in revenue["reporting_total"]["conversions"]}
    assert in_total["USD"]["rate_pair"] == "EUR/USD"
    assert "JPY->EUR" in in_total["JPY"]["missing"]
    _adds_up(revenue["reporting_total"])

    ap = (await clerk.get("/reports/ap-aging")).json()
    assert ap["reporting_total"]["currency"] == "EUR"
    _adds_up(ap["reporting_total"])


async def test_the_forecast_totals_open_orders_in_eur(clerk: Api) -> None:
    await _usd_rate(clerk)
    customer = await _customer(clerk)
    product, _ = await _stocked(clerk, "USD", "40.00")
    await _order(clerk, customer, product, "USD")
    forecast = (await clerk.get("/reports/sales-forecast")).json()
    total = forecast["reporting_total"]
    assert total["currency"] == "EUR"
    usd = {c["amount"]["currency"]: c for c in total["conversions"]}["USD"]
    expected_usd = sum(
        (
            Decimal(m["expected"]["amount"])
            for m in forecast["items"]
            if m["expected"]["currency"] == "USD"
        ),
        Decimal(0),
    )
    assert Decimal(usd["amount"]["amount"]) == expected_usd
    assert (usd["rate_pair"], usd["rate"]) == ("EUR/USD", "0.8")
    _adds_up(total)


async def test_an_overdue_invoice_is_dunned_once_per_level_and_holds_new_orders_until_paid(
    clerk: Api,
) -> None:
    customer = await _customer(clerk, terms="due on receipt")
    invoice = await _invoiced(clerk, customer, "EUR", "15.00")
    assert invoice["due_date"] == str(TODAY)
    as_of = str(TODAY + timedelta(days=40))

    overdue = (await clerk.get("/dunning", as_of=as_of, customer_id=customer)).json()
    ((mine,),) = [c["invoices"] for c in overdue["customers"]]
    assert (mine["invoice_id"], mine["days_overdue"], mine["level_due"], mine["level_sent"]) == (
        invoice["id"],
        40,
        3,
        0,
    )
    run = await clerk.created("/dunning/runs", {"as_of": as_of})
    (reminder,) = [r for r in run["reminders"] if r["customer_id"] == customer]
    assert reminder["level"] == 3
    assert [
        (i["number"], i["open"]["amount"], i["days_overdue"]) for i in reminder["invoices"]
    ] == [(invoice["number"], "30.00", 40)]
    pdf = await clerk.client.get(f"/dunning/reminders/{reminder['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    again = await clerk.created("/dunning/runs", {"as_of": as_of})
    assert [r for r in again["reminders"] if r["customer_id"] == customer] == []
    listed = (await clerk.get("/dunning/reminders", customer_id=customer)).json()
    assert [r["id"] for r in listed["items"]] == [reminder["id"]]
    held = (await clerk.get("/dunning", as_of=as_of, customer_id=customer)).json()["customers"][0]
    assert held["credit_hold"]
    assert held["invoices"][0]["level_sent"] == 3

    # 40 days overdue > BILLING_CREDIT_HOLD_AFTER_DAYS: the customer's next order waits
    product, _ = await _stocked(clerk, "EUR", "5.00")

    async def next_order_status() -> dict[str, Any]:
        """A new order, as it stands once credit control has seen it (one a second)."""
        await asyncio.sleep(1)
        order = await _order(clerk, customer, product, "EUR")
        return (await clerk.get(f"/sales-orders/{order['id']}")).json()

    waiting = await eventually(next_order_status, lambda o: o["status"] == "approval")
    assert "billing holds the customer's credit" in waiting["credit_hold"]
    assert invoice["number"] in waiting["credit_hold"]

    paid = await clerk.post(
        "/payments",
        {
            "invoice_id": invoice["id"],
            "amount": {"amount": "30.00", "currency": "EUR"},
            "received_on": str(TODAY),
        },
    )
    assert paid.status_code == 201, paid.text
    released = await eventually(next_order_status, lambda o: o["status"] == "execution")
    assert released["credit_hold"] == ""
