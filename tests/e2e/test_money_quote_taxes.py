"""Quotes taxed by the same tax rules as direct orders: for a customer in a tax zone, a quote and
an order placed directly for the same lines come to the same total and the same taxes per rate to
the cent; an exempt customer's quote carries no tax and the reason; the taxed quote, accepted,
becomes a sales order whose document verifies, with the same total."""

from __future__ import annotations

import uuid
from typing import Any

from tests.e2e.helpers import Api, eventually


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def _product(api: Api, name: str, price: str, **fields: Any) -> dict[str, Any]:
    body = {
        "sku": _unique(name[:3].upper()),
        "name": name,
        "list_price": {"amount": price, "currency": "EUR"},
        **fields,
    }
    return await api.created("/products", body)


async def _taxed_zone(api: Api) -> str:
    """A tax zone of its own: VAT 19 % on standard goods, 7 % on reduced ones."""
    zone = _unique("QZ")
    for category, rate in (("standard", "0.19"), ("reduced", "0.07")):
        await api.created(
            "/tax-rules",
            {"tax_category": category, "tax_zone": zone, "code": "VAT", "rate": rate},
        )
    return zone


async def _customer(api: Api, **fields: str) -> str:
    body = {"name": _unique("Quote buyer"), "kind": "company", "currency": "EUR", **fields}
    return str((await api.created("/customers", body))["id"])


def _lines(widget: dict[str, Any], book: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"product_id": widget["id"], "quantity": 10, "discount": {"percent": "10"}},
        {"product_id": book["id"], "quantity": 3, "discount": {"amount": "5.00"}},
    ]


SHIPPING = [{"description": "Parcel", "amount": "10.00"}]


async def _quote(api: Api, customer: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """A quote in the customer's own currency, made once quoting's copy of the customer (its
    zone, its exemption) has arrived: before, it has no currency and is refused."""
    body = {
        "customer_id": customer,
        "salesperson": "sam",
        "currency": "",
        "groups": [{"name": "Items", "discount": {"percent": "10"}, "lines": lines}],
        "shipping": SHIPPING,
    }
    response = await eventually(
        lambda: api.post("/quotes", body), lambda r: r.status_code == 201, seconds=60
    )
    return dict(response.json())


def _taxes(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(t["code"], t["rate"], t["base"], t["amount"]) for t in document["totals"]["taxes"]]


async def test_a_quote_is_taxed_as_a_direct_order_and_becomes_an_order_that_verifies(
    admin: Api,
) -> None:
    widget = await _product(admin, "Widget", "12.50")
    book = await _product(admin, "Atlas", "20.00", tax_category="reduced")
    zone = await _taxed_zone(admin)
    customer = await _customer(admin, tax_zone=zone)

    quote = await _quote(admin, customer, _lines(widget, book))
    direct = {
        "customer_id": customer,
        "currency": "EUR",
        "lines": _lines(widget, book),
        "discount": {"percent": "10"},
        "shipping": SHIPPING,
    }
    order = await admin.created("/sales-orders", direct)
    # Widget: 10 x 12.50 = 125.00, 10 % off -> 112.50. Atlas: 3 x 20.00 = 60.00, 5.00 off ->
    # 55.00. The 10 % of 167.50 = 16.75, shared 11.25 / 5.50 -> nets 101.25 and 49.50.
    # VAT 7 % of 49.50 = 3.465 -> 3.47; VAT 19 % of 101.25 = 19.2375 -> 19.24 and of the parcel
    # 1.90: 111.25 at 19 % -> 21.14. Total: 150.75 + 10.00 + 3.47 + 21.14 = 185.36.
    assert _taxes(quote["document"]) == [
        ("VAT", "0.07", "49.50", "3.47"),
        ("VAT", "0.19", "111.25", "21.14"),
    ]
    assert quote["total"] == {"amount": "185.36", "currency": "EUR"}
    assert quote["document"]["totals"] == order["document"]["totals"]
    assert quote["total"] == order["total"]
    quoted = [line for g in quote["document"]["groups"] for line in g["lines"]]
    assert [[(t["code"], t["rate"]) for t in x["taxes"]] for x in quoted] == [
        [("VAT", "0.19")],
        [("VAT", "0.07")],
    ]
    assert [
        [(t["code"], t["rate"]) for t in c["taxes"]] for c in quote["document"]["shipping"]
    ] == [[("VAT", "0.19")]]

    sent = await admin.post(f"/quotes/{quote['id']}/send", {})
    assert sent.status_code == 200, sent.text
    accepted = await admin.post(f"/quotes/{quote['id']}/accept", {"convert_to": "sales_order"})
    assert accepted.status_code == 200, accepted.text
    order_id = accepted.json()["converted_id"]
    # the order exists only if its copy of the quote's document recomputed (verify)
    made = (
        await eventually(
            lambda: admin.get(f"/sales-orders/{order_id}"), lambda r: r.status_code == 200
        )
    ).json()
    assert (made["quote_id"], made["total"]) == (quote["id"], quote["total"])
    assert made["document"]["totals"] == quote["document"]["totals"]


async def test_an_exempt_customers_quote_shows_no_tax_and_the_reason(admin: Api) -> None:
    widget = await _product(admin, "Widget", "12.50")
    book = await _product(admin, "Atlas", "20.00", tax_category="reduced")
    zone = await _taxed_zone(admin)
    reason = "Intra-community supply, Art. 138 VAT Directive"
    exempt = await _customer(admin, tax_zone=zone, tax_exemption=reason)

    quote = await _quote(admin, exempt, _lines(widget, book))
    assert quote["document"]["tax_exemption"] == reason
    assert _taxes(quote["document"]) == []
    assert quote["total"] == {"amount": "160.75", "currency": "EUR"}  # 150.75 + 10.00
    shown = (await admin.get(f"/quotes/{quote['id']}")).json()
    assert (shown["document"]["tax_exemption"], shown["total"]) == (reason, quote["total"])
