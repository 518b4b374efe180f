"""Documents a finance department can send, end to end through the gateway: an order placed
directly with two tax rates, shipped in two parts, becomes two invoices that add up to the order
per rate, each naming seller and buyer, terms, due date and its tax breakdown; a return credits
what the customer paid, tax included, with a line mirroring the invoice's; the PDFs of invoice,
credit note and quote print "€", their numbers, the names and "Page 1 of"; a quote holding
stocked goods is not accepted straight into an invoice."""

from __future__ import annotations

import io
import os
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from pypdf import PdfReader

from tests.e2e.helpers import Api, eventually

# Billing's and quoting's seller, read by the stack when it starts (the session's first e2e test).
SELLER = "Łukasz & Müller Handel GmbH"
os.environ.setdefault("BILLING_SELLER_NAME", SELLER)
os.environ.setdefault("BILLING_SELLER_ADDRESS", "Hauptstraße 5|10115 Berlin|DE")
os.environ.setdefault("BILLING_SELLER_TAX_ID", "DE811111111")
os.environ.setdefault("BILLING_SELLER_REGISTRATION", "Amtsgericht Berlin HRB 4711")
os.environ.setdefault("BILLING_SELLER_PAYMENT_INSTRUCTIONS", "IBAN DE02 1001 0010 0006 8201 01")
os.environ.setdefault("QUOTING_SELLER_NAME", SELLER)
os.environ.setdefault("QUOTING_SELLER_ADDRESS", "Hauptstraße 5|10115 Berlin|DE")
BUYER = "Жуков Łódź Sp. z o.o."


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def _pdf(api: Api, path: str) -> str:
    response = await api.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return pdf_text(response.content)


async def _stocked(api: Api, warehouse_id: str, price: str, tax_category: str) -> dict[str, Any]:
    product = await api.created(
        "/products",
        {
            "sku": f"D-{uuid.uuid4().hex[:8]}",
            "name": f"Goods {tax_category}",
            "list_price": {"amount": price, "currency": "EUR"},
            "tax_category": tax_category,
        },
    )
    adjusted = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse_id,
            "product_id": product["id"],
            "quantity_delta": 20,
            "reason": "initial count",
        },
    )
    assert adjusted.status_code in (200, 201), adjusted.text
    return product


async def _customer(api: Api, zone: str) -> str:
    body = {
        "name": BUYER,
        "kind": "company",
        "currency": "EUR",
        "tax_id": "PL5260001246",
        "payment_terms": "net 14",
        "tax_zone": zone,
        "billing_address": {
            "line1": "ul. Żółta 5",
            "city": "Łódź",
            "postal_code": "90-001",
            "country": "PL",
        },
    }
    return str((await api.created("/customers", body))["id"])


def _per_rate(invoices: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    found: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for invoice in invoices:
        for tax in invoice["taxes"]:
            key = (tax["code"], str(Decimal(tax["rate"]).normalize()))
            base, amount = found.get(key, (Decimal(0), Decimal(0)))
            found[key] = (
                base + Decimal(tax["base"]["amount"]),
                amount + Decimal(tax["amount"]["amount"]),
            )
    return found


async def test_a_taxed_order_shipped_in_two_parts_is_invoiced_per_rate_and_credited_gross(
    admin: Api,
) -> None:
    zone = f"Z{uuid.uuid4().hex[:6].upper()}"
    for category, rate in (("standard", "0.19"), ("reduced", "0.07")):
        await admin.created(
            "/tax-rules", {"tax_category": category, "tax_zone": zone, "code": "VAT", "rate": rate}
        )
    warehouse = await admin.created(
        "/warehouses", {"code": f"D{uuid.uuid4().hex[:6]}", "name": "Documents"}
    )
    full = await _stocked(admin, warehouse["id"], "19.99", "standard")
    reduced = await _stocked(admin, warehouse["id"], "2.49", "reduced")
    customer_id = await _customer(admin, zone)
    order = await admin.created(
        "/sales-orders",
        {
            "customer_id": customer_id,
            "currency": "EUR",
            "lines": [
                {"product_id": full["id"], "quantity": 3},
                {"product_id": reduced["id"], "quantity": 4},
            ],
        },
    )
    # 59.97 at 19 % (11.39) and 9.96 at 7 % (0.70): the order's total, tax included.
    assert order["total"] == {"amount": "82.02", "currency": "EUR"}
    await eventually(
        lambda: admin.get(f"/sales-orders/{order['id']}"),
        lambda r: r.json()["stock_status"] == "reserved",
    )
    line_of = {line["product_id"]: line["id"] for line in order["lines"]}
    for parts in ([(full, 1), (reduced, 4)], [(full, 2)]):
        await admin.created(
            "/shipments",
            {
                "order_id": order["id"],
                "warehouse_id": warehouse["id"],
                "carrier": "DHL",
                "lines": [{"line_id": line_of[p["id"]], "quantity": q} for p, q in parts],
            },
        )
    listed = await eventually(
        lambda: admin.get("/invoices", order_id=order["id"]),
        lambda r: r.status_code == 200 and len(r.json()["items"]) == 2,
    )
    ids = [i["id"] for i in sorted(listed.json()["items"], key=lambda i: i["number"])]
    invoices = [(await admin.get(f"/invoices/{i}")).json() for i in ids]
    assert sum(Decimal(i["total"]["amount"]) for i in invoices) == Decimal("82.02")
    assert _per_rate(invoices) == {
        ("VAT", "0.07"): (Decimal("9.96"), Decimal("0.70")),
        ("VAT", "0.19"): (Decimal("59.97"), Decimal("11.39")),
    }
    for invoice in invoices:
        assert invoice["seller"]["name"] == SELLER
        assert invoice["seller"]["tax_id"] == "DE811111111"
        assert invoice["seller"]["registration"] == "Amtsgericht Berlin HRB 4711"
        assert invoice["buyer"]["name"] == BUYER
        assert invoice["buyer"]["tax_id"] == "PL5260001246"
        assert invoice["buyer"]["address"] == ["ul. Żółta 5", "90-001 Łódź", "PL"]
        assert invoice["payment_terms"] == "net 14"
        assert invoice["payment_instructions"] == "IBAN DE02 1001 0010 0006 8201 01"
        issued = date.fromisoformat(invoice["issued_at"][:10])
        assert (date.fromisoformat(invoice["due_date"]) - issued).days == 14
        for line in invoice["lines"]:
            taxes = sum(Decimal(t["amount"]["amount"]) for t in line["taxes"])
            assert Decimal(line["gross"]["amount"]) == Decimal(line["line_total"]["amount"]) + taxes
    first = invoices[0]
    (one_full,) = [x for x in first["lines"] if x["order_line_id"] == line_of[full["id"]]]
    assert one_full["taxes"] == [
        {"code": "VAT", "rate": "0.19", "amount": {"amount": "3.80", "currency": "EUR"}}
    ]

    # One unit of the 19 % goods back: credited as the first invoice billed it, tax included.
    authorised = await admin.created(
        f"/sales-orders/{order['id']}/returns",
        {"lines": [{"line_id": line_of[full["id"]], "quantity": 1}], "reason": "broken"},
    )
    received = await eventually(
        lambda: admin.post(
            f"/returns/{authorised['return_id']}/receipt", {"warehouse_id": warehouse["id"]}
        ),
        lambda r: r.status_code != 404,
    )
    assert received.status_code in (200, 201), received.text
    notes = await eventually(
        lambda: admin.get("/credit-notes", order_id=order["id"]),
        lambda r: r.status_code == 200 and len(r.json()["items"]) == 1,
        seconds=60,
    )
    (note,) = notes.json()["items"]
    note = (await admin.get(f"/credit-notes/{note['id']}")).json()
    assert note["total"] == {"amount": "23.79", "currency": "EUR"}  # 19.99 + 3.80 VAT
    (credited,) = note["lines"]
    assert credited["net"] == {"amount": "19.99", "currency": "EUR"}
    assert credited["taxes"] == one_full["taxes"]
    assert note["taxes"] == [
        {
            "code": "VAT",
            "rate": "0.19",
            "base": {"amount": "19.99", "currency": "EUR"},
            "amount": {"amount": "3.80", "currency": "EUR"},
        }
    ]
    assert (note["seller"]["name"], note["buyer"]["name"]) == (SELLER, BUYER)

    printed = await _pdf(admin, f"/invoices/{first['id']}/pdf")
    for shown in (first["number"], SELLER, BUYER, "90-001 Łódź", "€", "Page 1 of", "net 14"):
        assert shown in printed, shown
    assert "VAT 19 % on 19.99 EUR" in printed
    printed = await _pdf(admin, f"/credit-notes/{note['id']}/pdf")
    for shown in (note["number"], SELLER, BUYER, "€", "Page 1 of", "23.79 EUR"):
        assert shown in printed, shown


async def test_the_quote_pdf_is_numbered_addressed_and_a_quote_of_goods_is_not_invoiced_straight(
    admin: Api,
) -> None:
    customer_id = await _customer(admin, "ZNONE")
    product = await admin.created(
        "/products",
        {
            "sku": f"Q-{uuid.uuid4().hex[:8]}",
            "name": "Widget",
            "list_price": {"amount": "12.50", "currency": "EUR"},
        },
    )
    await eventually(  # quoting's copy of the customer master fills in the address
        lambda: admin.post(
            "/quotes",
            {
                "customer_id": customer_id,
                "currency": "EUR",
                "groups": [
                    {
                        "name": "Goods",
                        "taxes": [{"code": "VAT", "rate": "0.19"}],
                        "lines": [{"sku": product["sku"], "quantity": 2}],
                    }
                ],
            },
        ),
        lambda r: r.status_code == 201,
    )
    quotes = (await admin.get("/quotes", customer_id=customer_id)).json()["items"]
    quote = quotes[0]
    assert quote["number"].startswith("Q-")
    printed = await eventually(
        lambda: _pdf(admin, f"/quotes/{quote['id']}/pdf"), lambda text: BUYER in text
    )
    for shown in (quote["number"], SELLER, BUYER, "ul. Żółta 5", "€", "Page 1 of", "29.75 EUR"):
        assert shown in printed, shown
    for hidden in ("draft", "engine", "rounding"):
        assert hidden not in printed, hidden

    sent = await admin.post(f"/quotes/{quote['id']}/send", {})
    assert sent.status_code == 200, sent.text
    refused = await admin.post(f"/quotes/{quote['id']}/accept", {"convert_to": "invoice"})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "convert_to" in str(problem)
    assert product["sku"] in str(problem)
    assert (await admin.get(f"/quotes/{quote['id']}")).json()["status"] == "sent"
