"""Orders placed directly (POST /sales-orders, the web shop's path) priced as quotes are: the
customer's price list and quantity break, a line and an order discount, two VAT rates from the
tax rules of the customer's zone, shipping -- totals checked by hand; an exempt customer; a
discount larger than its line refused with the field; a product's cost, category and tax
category changed with the audit trail; the cost variance and category filter of a quote-made kit
order."""

from __future__ import annotations

import uuid
from typing import Any

from tests.e2e.helpers import Api, eventually, new_customer


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
    zone = _unique("DE")
    for category, rate in (("standard", "0.19"), ("reduced", "0.07")):
        rule = await api.created(
            "/tax-rules",
            {"tax_category": category, "tax_zone": zone, "code": "VAT", "rate": rate},
        )
        assert (rule["tax_zone"], rule["rate"]) == (zone, rate)
    listed = (await api.get("/tax-rules", tax_zone=zone)).json()["items"]
    assert [(r["tax_category"], r["rate"]) for r in listed] == [
        ("reduced", "0.07"),
        ("standard", "0.19"),
    ]
    return zone


async def _customer(api: Api, **fields: str) -> str:
    body = {"name": _unique("Shop buyer"), "kind": "company", "currency": "EUR", **fields}
    return str((await api.created("/customers", body))["id"])


def _sale(customer: str, widget: dict[str, Any], book: dict[str, Any]) -> dict[str, Any]:
    return {
        "customer_id": customer,
        "currency": "EUR",
        "channel": "webshop",
        "lines": [
            {"product_id": widget["id"], "quantity": 10, "discount": {"percent": "10"}},
            {"product_id": book["id"], "quantity": 2, "discount": {"amount": "5.00"}},
        ],
        "discount": {"percent": "10"},
        "shipping": [{"description": "Parcel", "amount": "10.00"}],
    }


async def test_a_direct_order_is_priced_like_a_quote_and_an_exempt_customer_pays_no_tax(
    admin: Api,
) -> None:
    widget = await _product(admin, "Widget", "12.50", cost="7.00")
    book = await _product(admin, "Atlas", "20.00", cost="8.00", tax_category="reduced")
    group = _unique("trade")
    await admin.created(
        "/price-lists",
        {
            "name": group,
            "currency": "EUR",
            "customer_group": group,
            "breaks": [{"product_id": widget["id"], "min_quantity": 10, "unit_price": "11.00"}],
        },
    )
    zone = await _taxed_zone(admin)
    customer = await _customer(admin, customer_group=group, tax_zone=zone)

    placed = await admin.created("/sales-orders", _sale(customer, widget, book))
    # Widget: 10 x 11.00 (the trade price from 10 units) = 110.00, 10 % off -> 99.00.
    # Atlas: 2 x 20.00 = 40.00, 5.00 off -> 35.00. The order's 10 % of 134.00 = 13.40, shared
    # 9.90 / 3.50 -> nets 89.10 and 31.50. VAT 7 % of 31.50 = 2.205 -> 2.21; VAT 19 % of 89.10 =
    # 16.929 -> 16.93, and of the 10.00 parcel 1.90: 99.10 at 19 % -> 18.83.
    # Total: 120.60 + 10.00 + 2.21 + 18.83 = 151.64.
    totals = placed["document"]["totals"]
    assert (totals["subtotal"], totals["discounts"], totals["net"]) == (
        "150.00",
        "29.40",
        "120.60",
    )
    assert (totals["shipping"], totals["shipping_tax"], totals["total"]) == (
        "10.00",
        "1.90",
        "151.64",
    )
    assert [(t["code"], t["rate"], t["base"], t["amount"]) for t in totals["taxes"]] == [
        ("VAT", "0.07", "31.50", "2.21"),
        ("VAT", "0.19", "99.10", "18.83"),
    ]
    (items,) = totals["groups"]
    assert (items["subtotal"], items["discount"], items["net"], items["tax"]) == (
        "150.00",
        "29.40",
        "120.60",
        "19.14",
    )
    lines = [line for g in placed["document"]["groups"] for line in g["lines"]]
    assert [(x["unit_price"], x["net"]) for x in lines] == [("11.00", "89.10"), ("20.00", "31.50")]
    assert lines[0]["price_rule"].startswith(f"price list '{group}'")

    order = (await admin.get(f"/sales-orders/{placed['id']}")).json()
    assert order["total"] == {"amount": "151.64", "currency": "EUR"}
    assert order["document"]["totals"] == totals
    assert order["document"]["tax_exemption"] == ""

    reason = "Intra-community supply, Art. 138 VAT Directive"
    exempt = await _customer(admin, customer_group=group, tax_zone=zone, tax_exemption=reason)
    untaxed = await admin.created("/sales-orders", _sale(exempt, widget, book))
    assert untaxed["document"]["tax_exemption"] == reason
    assert untaxed["document"]["totals"]["taxes"] == []
    assert untaxed["total"] == {"amount": "130.60", "currency": "EUR"}  # 120.60 + 10.00


async def test_a_discount_larger_than_its_line_is_refused_with_the_field(admin: Api) -> None:
    widget = await _product(admin, "Widget", "12.50")
    customer = await new_customer(admin, "Greedy")
    two = {"product_id": widget["id"], "quantity": 2}  # 2 x 12.50 = 25.00
    body = {"customer_id": customer, "currency": "EUR", "lines": [two]}
    for refused, field in (
        ({**body, "lines": [{**two, "discount": {"amount": "25.01"}}]}, "lines[0].discount"),
        ({**body, "discount": {"percent": "100", "amount": "0.01"}}, "discount"),
    ):
        response = await admin.post("/sales-orders", refused)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await admin.get("/sales-orders", customer_id=customer)).json()["items"] == []
    whole = await admin.created("/sales-orders", {**body, "discount": {"amount": "25.00"}})
    assert whole["total"] == {"amount": "0.00", "currency": "EUR"}  # all of it, and no more


async def test_a_products_cost_category_and_tax_category_change_with_the_audit_trail(
    admin: Api,
) -> None:
    lamp = await _product(admin, "Lamp", "30.00", cost="10.00")
    lamps = await admin.created("/categories", {"name": _unique("Lamps")})
    response = await admin.client.patch(
        f"/products/{lamp['id']}",
        json={"cost": "12.50", "category_id": lamps["id"], "tax_category": "reduced"},
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["name"], changed["cost"], changed["category_id"]) == (
        "Lamp",
        "12.50",
        lamps["id"],
    )
    assert changed["tax_category"] == "reduced"
    entries = (await admin.get("/audit", entity_type="product", entity_id=lamp["id"])).json()
    (last, *_) = entries["items"]
    assert last["action"] == "changed"
    assert last["before"] == {"cost": "10.00 EUR", "category_id": None, "tax_category": "standard"}
    assert last["after"] == {
        "cost": "12.50 EUR",
        "category_id": lamps["id"],
        "tax_category": "reduced",
    }
    refused = await admin.client.patch(f"/products/{lamp['id']}", json={"tax_category": "luxury"})
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["tax_category"]


async def test_a_quote_made_kit_order_has_a_cost_variance_and_matches_its_category(
    admin: Api,
) -> None:
    parts = await admin.created("/categories", {"name": _unique("Parts")})
    widget = await _product(admin, "Widget", "10.00", cost="6.00", category_id=parts["id"])
    bolt = await _product(admin, "Bolt", "0.50", cost="0.10", category_id=parts["id"])
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
    quote = await admin.created(
        "/quotes",
        {
            "customer_id": await new_customer(admin, "Kit buyer"),
            "salesperson": "sam",
            "currency": "EUR",
            "groups": [{"name": "Kits", "lines": [{"sku": kit["sku"], "quantity": 3}]}],
        },
    )
    await admin.post(f"/quotes/{quote['id']}/send", {})
    accepted = await admin.post(f"/quotes/{quote['id']}/accept", {"convert_to": "sales_order"})
    assert accepted.status_code == 200, accepted.text
    order_id = accepted.json()["converted_id"]
    order = (
        await eventually(
            lambda: admin.get(f"/sales-orders/{order_id}"),
            lambda r: r.status_code == 200 and r.json()["estimated_cost"] != "",
        )
    ).json()
    # the kit's parts at their cost: 3 x (1 x 6.00 + 4 x 0.10) = 19.20
    assert order["estimated_cost"] == "19.20"
    assert sorted((x["sku"], x["category_id"]) for x in order["lines"]) == sorted(
        [(widget["sku"], parts["id"]), (bolt["sku"], parts["id"])]
    )
    listed = (await admin.get("/sales-orders", category_id=parts["id"])).json()["items"]
    assert [o["id"] for o in listed] == [order_id]

    await admin.created(
        f"/sales-orders/{order_id}/costs",
        {"kind": "goods", "amount": "20.00", "description": "bought in"},
    )
    report = (await admin.get("/reports/order-costs", order_id=order_id)).json()["items"]
    (costs,) = report
    assert (costs["estimated"], costs["actual"], costs["variance"]) == ("19.20", "20.00", "0.80")
