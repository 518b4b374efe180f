"""A quote through the REST API -- catalog products on a price list, a kit, a group discount, two
tax rates and shipping -- sent, accepted, and become a sales order and then an invoice with the
same lines and the same figures. Bad quotes are refused with the field at fault."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devstack.supervisor import Stack
from devstack.topology import database_name
from tests.e2e.helpers import Api, eventually, new_customer

VAT19 = {"code": "VAT19", "rate": "0.19"}
VAT7 = {"code": "VAT7", "rate": "0.07"}


async def _product(api: Api, name: str, price: str, **fields: Any) -> dict[str, Any]:
    body = {
        "sku": f"{name[:3].upper()}-{uuid.uuid4().hex[:8]}",
        "name": name,
        "list_price": {"amount": price, "currency": "EUR"},
        **fields,
    }
    return await api.created("/products", body)


async def _stock(api: Api, warehouse_id: str, product_id: str, units: int) -> None:
    response = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse_id,
            "product_id": product_id,
            "quantity_delta": units,
            "reason": "initial count",
        },
    )
    assert response.status_code in (200, 201), response.text


def _figures(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (line["sku"], line["description"], line["quantity"], line["unit_price"], line["net"])
        for group in document["groups"]
        for line in group["lines"]
    ]


async def test_an_accepted_quote_becomes_an_order_and_an_invoice_with_the_same_figures(
    admin: Api,
) -> None:
    widget = await _product(admin, "Widget", "10.00")
    bolt = await _product(admin, "Bolt", "0.50")
    kit = await _product(
        admin,
        "Starter kit",
        "11.00",
        kind="kit",
        components=[
            {"product_id": widget["id"], "quantity": 1},
            {"product_id": bolt["id"], "quantity": 4},
        ],
    )
    service = await _product(admin, "Installation", "80.00", kind="service")
    warehouse = await admin.created(
        "/warehouses", {"code": f"Q{uuid.uuid4().hex[:6]}", "name": "Quotes"}
    )
    await _stock(admin, warehouse["id"], widget["id"], 50)
    await _stock(admin, warehouse["id"], bolt["id"], 100)
    availability = (await admin.get(f"/products/{kit['id']}/availability")).json()
    assert availability["total"] == 25  # 100 bolts make 25 kits; 50 widgets would make 50
    await admin.created(
        "/price-lists",
        {
            "name": "Wholesale",
            "currency": "EUR",
            "customer_group": "wholesale",
            "breaks": [{"product_id": widget["id"], "min_quantity": 10, "unit_price": "9.00"}],
        },
    )

    quote = await admin.created(
        "/quotes",
        {
            "customer_id": await new_customer(admin, "Quote buyer"),
            "customer_group": "wholesale",
            "salesperson": "sam",
            "currency": "EUR",
            "payment_terms": "30 days net",
            "groups": [
                {
                    "name": "Hardware",
                    "discount": {"percent": "5"},
                    "taxes": [VAT19],
                    "lines": [
                        {"sku": widget["sku"], "quantity": 12},
                        {"sku": kit["sku"], "quantity": 2},
                    ],
                },
                {
                    "name": "Services",
                    "taxes": [VAT7],
                    "lines": [
                        {"sku": service["sku"], "quantity": 2},
                        {
                            "description": "Setup fee",
                            "quantity": 1,
                            "unit_price": {"amount": "25.00", "currency": "EUR"},
                        },
                    ],
                },
            ],
            "shipping": [{"description": "Freight", "amount": "9.90", "taxes": [VAT19]}],
        },
    )
    # Hardware: 12 x 9.00 (wholesale) + 2 x 11.00 = 130.00, 5 % off (5.40 + 1.10) = 123.50;
    # VAT19 per line 19.494 -> 19.49 and 3.971 -> 3.97. Services: 160.00 + 25.00 = 185.00,
    # VAT7 11.20 + 1.75. Freight 9.90, VAT19 1.881 -> 1.88.
    # The total is 356.69: 123.50 + 185.00 + 9.90 + 25.34 + 12.95.
    totals = quote["document"]["totals"]
    assert (totals["subtotal"], totals["net"], totals["total"]) == ("315.00", "308.50", "356.69")
    assert [(t["code"], t["amount"]) for t in totals["taxes"]] == [
        ("VAT19", "25.34"),
        ("VAT7", "12.95"),
    ]
    assert quote["total"] == {"amount": "356.69", "currency": "EUR"}

    pdf = await admin.client.get(f"/quotes/{quote['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")

    sent = await admin.post(f"/quotes/{quote['id']}/send", {})
    assert sent.status_code == 200, sent.text
    accepted = await admin.post(f"/quotes/{quote['id']}/accept", {"convert_to": "sales_order"})
    assert accepted.status_code == 200, accepted.text
    order_id = accepted.json()["converted_id"]

    order = (
        await eventually(
            lambda: admin.get(f"/sales-orders/{order_id}"),
            lambda r: r.status_code == 200 and r.json()["stock_status"] == "reserved",
        )
    ).json()
    assert order["quote_id"] == quote["id"]
    assert order["total"] == quote["total"]
    assert order["document"]["totals"] == quote["document"]["totals"]
    assert _figures(order["document"]) == _figures(quote["document"])
    # picked: the widgets, and the kit by its parts; the service and the fee are not picked
    picked = sorted((line["sku"], line["quantity"]) for line in order["lines"])
    assert picked == sorted([(widget["sku"], 12), (widget["sku"], 2), (bolt["sku"], 8)])

    await admin.created(
        "/shipments",
        {
            "order_id": order_id,
            "warehouse_id": warehouse["id"],
            "carrier": "DHL",
            "tracking_number": "1Z1",
        },
    )
    summary = (
        await eventually(
            lambda: admin.get(f"/sales-orders/{order_id}/summary"),
            lambda r: r.status_code == 200 and r.json()["order"]["status"] == "invoiced",
        )
    ).json()
    (invoice,) = summary["invoices"]
    assert invoice["total"] == quote["total"]
    assert invoice["document"]["totals"] == quote["document"]["totals"]


async def test_a_quote_accepted_for_invoicing_is_invoiced_with_its_figures(admin: Api) -> None:
    service = await _product(admin, "Consulting", "120.00", kind="service")
    quote = await admin.created(
        "/quotes",
        {
            "customer_id": await new_customer(admin, "Direct buyer"),
            "salesperson": "sam",
            "currency": "EUR",
            "policy": {"prices_include_tax": True},
            "groups": [
                {
                    "name": "Work",
                    "taxes": [VAT19],
                    "lines": [{"sku": service["sku"], "quantity": 3}],
                }
            ],
        },
    )
    assert quote["total"]["amount"] == "360.00"  # shelf prices include the tax
    await admin.post(f"/quotes/{quote['id']}/send", {})
    accepted = (await admin.post(f"/quotes/{quote['id']}/accept", {"convert_to": "invoice"})).json()
    invoice = (
        await eventually(
            lambda: admin.get(f"/invoices/{accepted['converted_id']}"),
            lambda r: r.status_code == 200,
        )
    ).json()
    assert (invoice["quote_id"], invoice["total"]) == (quote["id"], quote["total"])
    assert invoice["document"]["totals"]["taxes"] == quote["document"]["totals"]["taxes"]


def _quote(*lines: dict[str, Any], currency: str = "EUR") -> dict[str, Any]:
    return {
        "customer_id": "C-BAD",
        "salesperson": "sam",
        "currency": currency,
        "groups": [{"name": "Main", "lines": list(lines)}],
    }


async def test_bad_quotes_name_the_field_at_fault_and_change_nothing(
    admin: Api, e2e_stack: Stack
) -> None:
    widget = await _product(admin, "Widget", "10.00")
    before = (await admin.get("/quotes", customer_id="C-BAD")).json()["items"]
    cases = [
        (_quote({"sku": "NO-SUCH-SKU", "quantity": 1}), "groups[0].lines[0].sku"),
        (_quote({"sku": widget["sku"], "quantity": -3}), "groups[0].lines[0].quantity"),
        (_quote({"sku": widget["sku"], "quantity": 1}, currency="USD"), "groups[0].lines[0].sku"),
        (
            _quote(
                {
                    "description": "fee",
                    "quantity": 1,
                    "unit_price": {"amount": "5", "currency": "USD"},
                }
            ),
            "groups[0].lines[0].unit_price.currency",
        ),
        (_quote(*[{"sku": widget["sku"], "quantity": 1}] * 10_000), "groups"),
    ]
    for body, field in cases:
        response = await admin.post("/quotes", body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert (await admin.get("/quotes", customer_id="C-BAD")).json()["items"] == before

    # a quote past its validity date cannot be accepted, and stays as it was
    quote = await admin.created("/quotes", _quote({"sku": widget["sku"], "quantity": 1}))
    await admin.post(f"/quotes/{quote['id']}/send", {})
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date()
    engine = create_async_engine(e2e_stack.postgres.url(database_name("quoting")))
    async with engine.begin() as connection:  # as if it had been sent long ago
        await connection.execute(
            text(
                "UPDATE quote_versions SET content = jsonb_set(content, '{validUntil}', "
                "to_jsonb(CAST(:day AS text))) WHERE quote_id = :id"
            ),
            {"id": quote["id"], "day": yesterday.isoformat()},
        )
    await engine.dispose()
    refused = await admin.post(f"/quotes/{quote['id']}/accept", {})
    assert refused.status_code == 409, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["valid_until"]
    assert (await admin.get(f"/quotes/{quote['id']}")).json()["status"] in ("sent", "expired")
