"""/quotes against a fake quoting service (a real gRPC server in-process, fake behaviour): what
the REST body becomes on the wire, how a priced document reads, and how errors come back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.billing.schemas import Invoice
from gateway.downloads import attachment
from gateway.edge.idempotency import HEADER
from gateway.orders.schemas import SalesOrder
from oms.billing.v1 import billing_pb2
from oms.orders.v1 import orders_pb2
from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound
from services.gateway.tests.unit.conftest import GatewayOver
from services.gateway.tests.unit.fakes import memory_stores
from testkit.services import signed_in

PDF = b"%PDF-1.7\n...\n%%EOF\n"

DOCUMENT = pricing.PricedDocument(
    currency="EUR",
    policy=pricing.PricingPolicy(rounding_mode="per_line", rounding="half_up"),
    groups=[
        pricing.DocumentGroup(
            name="Hardware",
            discount=pricing.Discount(percent="10"),
            taxes=[pricing.TaxRate(code="VAT19", rate="0.19")],
            lines=[
                pricing.DocumentLine(
                    line_id="l-1",
                    product_id="p-1",
                    sku="KIT-1",
                    description="Starter kit",
                    quantity="2",
                    unit_price="50.00",
                    kind="kit",
                    price_rule="price list 'Wholesale', from 1 unit",
                    kit_parts=[pricing.KitPart(product_id="p-2", sku="PART-2", quantity=3)],
                ),
                pricing.DocumentLine(
                    line_id="l-2",
                    description="Installation",
                    quantity="1",
                    unit_price="20.00",
                    price_rule="entered",
                    discount=pricing.Discount(amount="5.00"),
                ),
            ],
        )
    ],
    shipping=[
        pricing.ShippingCharge(
            description="Courier", amount="9.90", taxes=[pricing.TaxRate(code="VAT19", rate="0.19")]
        )
    ],
    breakdown=pricing.Breakdown(
        engine_version="pricing/1",
        policy=pricing.PricingPolicy(rounding_mode="per_line", rounding="half_up"),
        lines=[
            pricing.LineFigures(
                line_id="l-1",
                extended="100.00",
                discount="10.00",
                net="90.00",
                taxes=[pricing.TaxAmount(code="VAT19", amount="17.10")],
            ),
            pricing.LineFigures(
                line_id="l-2",
                extended="20.00",
                discount="6.50",
                net="13.50",
                taxes=[pricing.TaxAmount(code="VAT19", amount="2.565")],
            ),
        ],
        subtotal="120.00",
        discounts="16.50",
        net="103.50",
        shipping="9.90",
        taxes=[pricing.TaxTotal(code="VAT19", rate="0.19", base="113.40", amount="21.55")],
        total="134.95",
        groups=[
            pricing.GroupFigures(
                name="Hardware", subtotal="120.00", discount="16.50", net="103.50", tax="19.67"
            )
        ],
        shipping_tax="1.88",
    ),
)
QUOTE = pb.Quote(
    id="q-1",
    version=2,
    latest_version=2,
    status="draft",
    customer_id="C-1",
    customer_group="wholesale",
    salesperson="sam",
    currency="EUR",
    valid_until="2026-12-31",
    payment_terms="30 days net",
    total=Money(amount="134.95", currency="EUR"),
    document=DOCUMENT,
)


class FakeQuoting(quoting_pb2_grpc.QuotingServiceServicer):
    def __init__(self) -> None:
        self.requests: list[Any] = []

    async def CreateQuote(self, request: Any, context: Any) -> pb.CreateQuoteResponse:
        self.requests.append(request)
        if request.content.customer_id == "too-many":
            raise InvalidArgument.of("groups", "between 1 and 1000 lines in all, not 1001")
        return pb.CreateQuoteResponse(quote=QUOTE)

    async def GetQuote(self, request: Any, context: Any) -> pb.GetQuoteResponse:
        self.requests.append(request)
        if request.quote_id != "q-1":
            raise NotFound(f"quote {request.quote_id} not found")
        return pb.GetQuoteResponse(quote=QUOTE)

    async def ListQuotes(self, request: Any, context: Any) -> pb.ListQuotesResponse:
        self.requests.append(request)
        return pb.ListQuotesResponse(quotes=[QUOTE, pb.Quote(id="q-0")], next_page_token="t-2")

    async def SendQuote(self, request: Any, context: Any) -> pb.SendQuoteResponse:
        raise FailedPrecondition(
            f"quote {request.quote_id} is accepted; only a draft quote can be sent",
            (FieldViolation("status", "is accepted"),),
        )

    async def ReviseQuote(self, request: Any, context: Any) -> pb.ReviseQuoteResponse:
        self.requests.append(request)
        return pb.ReviseQuoteResponse(quote=QUOTE)

    async def AcceptQuote(self, request: Any, context: Any) -> pb.AcceptQuoteResponse:
        self.requests.append(request)
        return pb.AcceptQuoteResponse(quote=QUOTE)

    async def RenderQuote(self, request: Any, context: Any) -> pb.RenderQuoteResponse:
        self.requests.append(request)
        return pb.RenderQuoteResponse(pdf=PDF, filename="quote-q-1-v2.pdf")

    async def SaveTemplate(self, request: Any, context: Any) -> pb.SaveTemplateResponse:
        self.requests.append(request)
        template = pb.Template(
            id="t-1",
            name=request.name,
            groups=[
                pb.GroupInput(
                    name="Hardware",
                    lines=[
                        pb.LineInput(sku="KIT-1", quantity=2),
                        pb.LineInput(
                            description="Installation",
                            quantity=1,
                            unit_price=Money(amount="20.00", currency="EUR"),
                        ),
                    ],
                )
            ],
        )
        return pb.SaveTemplateResponse(template=template)

    async def ListTemplates(self, request: Any, context: Any) -> pb.ListTemplatesResponse:
        self.requests.append(request)
        template = pb.Template(id="t-1", name="Starter")
        return pb.ListTemplatesResponse(templates=[template], next_page_token="t-next")


@pytest.fixture(scope="module")
async def quoting() -> FakeQuoting:
    return FakeQuoting()


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver, quoting: FakeQuoting) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over(
        [(quoting_pb2_grpc.add_QuotingServiceServicer_to_server, quoting)],
        "http://gw/api/v1",
    ) as client:
        yield client


def bearer(*roles: str) -> dict[str, str]:
    return signed_in("sam", *roles)


SALES = bearer("sales")

BODY: dict[str, Any] = {
    "customer_id": "C-1",
    "customer_group": "wholesale",
    "salesperson": "sam",
    "currency": "EUR",
    "valid_until": "2026-12-31",
    "payment_terms": "30 days net",
    "terms_and_conditions": "Our terms",
    "notes": "Call first",
    "template_id": "t-0",
    "policy": {
        "rounding_mode": "per_document",
        "rounding": "half_even",
        "prices_include_tax": True,
    },
    "groups": [
        {
            "name": "Hardware",
            "discount": {"percent": "10"},
            "taxes": [{"code": "VAT19", "rate": "0.19"}],
            "lines": [
                {"sku": "KIT-1", "quantity": 2},
                {
                    "description": "Installation",
                    "quantity": 1,
                    "unit_price": {"amount": "20.00", "currency": "EUR"},
                    "discount": {"amount": "5.00"},
                    "taxes": [{"code": "SVC", "rate": "0.05"}],
                },
            ],
        },
        {"name": "Service", "lines": [{"product_id": "p-9", "quantity": 12}]},
    ],
    "shipping": [
        {"description": "Courier", "amount": "9.90", "taxes": [{"code": "VAT19", "rate": "0.19"}]}
    ],
}


async def test_a_quote_body_becomes_the_content_of_create_quote(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    response = await api.post("/quotes", json=BODY, headers=SALES)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/api/v1/quotes/q-1"
    vat = pricing.TaxRate(code="VAT19", rate="0.19")
    expected = pb.CreateQuoteRequest(
        content=pb.QuoteContent(
            customer_id="C-1",
            customer_group="wholesale",
            salesperson="sam",
            currency="EUR",
            valid_until="2026-12-31",
            payment_terms="30 days net",
            terms_and_conditions="Our terms",
            notes="Call first",
            template_id="t-0",
            policy=pricing.PricingPolicy(
                rounding_mode="per_document", rounding="half_even", prices_include_tax=True
            ),
            groups=[
                pb.GroupInput(
                    name="Hardware",
                    discount=pricing.Discount(percent="10"),
                    taxes=[vat],
                    lines=[
                        pb.LineInput(sku="KIT-1", quantity=2),
                        pb.LineInput(
                            description="Installation",
                            quantity=1,
                            unit_price=Money(amount="20.00", currency="EUR"),
                            discount=pricing.Discount(amount="5.00"),
                            taxes=[pricing.TaxRate(code="SVC", rate="0.05")],
                        ),
                    ],
                ),
                pb.GroupInput(name="Service", lines=[pb.LineInput(product_id="p-9", quantity=12)]),
            ],
            shipping=[pricing.ShippingCharge(description="Courier", amount="9.90", taxes=[vat])],
        )
    )
    sent = quoting.requests[-1]
    assert sent == expected
    assert not sent.content.groups[0].lines[0].HasField("unit_price")
    assert not sent.content.groups[1].HasField("discount")


@pytest.mark.parametrize(
    ("path", "body"),
    [("/api/v1/quotes", BODY), ("/api/v1/quotes/q-1/template", {"name": "Starter"})],
    ids=["quote", "template"],
)
async def test_a_draft_passes_a_request_id_that_the_same_key_repeats(
    gateway_over: GatewayOver, path: str, body: dict[str, Any]
) -> None:
    quoting = FakeQuoting()
    registration = (quoting_pb2_grpc.add_QuotingServiceServicer_to_server, quoting)
    # two gateways that share no record of the first response, then one without a key
    for headers in (SALES | {HEADER: "k-1"}, SALES | {HEADER: "k-1"}, SALES):
        async with gateway_over([registration], "http://gw", stores=memory_stores()) as api:
            created = await api.post(path, json=body, headers=headers)
            assert created.status_code == 201, created.text
    first, second, plain = (r.request_id for r in quoting.requests)
    assert len(first) == 36  # derived from the caller and their key
    assert second == first  # so quoting answers the retry with what the first try made
    assert plain == ""


async def test_without_a_policy_the_service_applies_its_defaults(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    body = {k: v for k, v in BODY.items() if k != "policy"}
    assert (await api.post("/quotes", json=body, headers=SALES)).status_code == 201
    assert not quoting.requests[-1].content.HasField("policy")


async def test_the_first_versions_flat_body_still_maps_to_the_deprecated_fields(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    body = {
        "customer_id": "C-1",
        "salesperson": "sam",
        "currency": "EUR",
        "lines": [
            {
                "description": "Installation",
                "quantity": 2,
                "unit_price": {"amount": "99.995", "currency": "EUR"},
            }
        ],
    }
    response = await api.post("/quotes", json=body, headers=SALES)
    assert response.status_code == 201, response.text
    sent = quoting.requests[-1]
    assert sent == pb.CreateQuoteRequest(
        customer_id="C-1",
        salesperson="sam",
        currency="EUR",
        lines=[
            pb.QuoteLine(
                description="Installation",
                quantity=2,
                unit_price=Money(amount="99.995", currency="EUR"),
            )
        ],
    )
    assert not sent.HasField("content")


async def test_flat_lines_cannot_be_mixed_with_groups(api: httpx.AsyncClient) -> None:
    line = {"description": "x", "quantity": 1, "unit_price": {"amount": "1", "currency": "EUR"}}
    body = {**BODY, "lines": [line]}
    response = await api.post("/quotes", json=body, headers=SALES)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["lines"]


async def test_a_quote_reads_with_its_document_each_line_with_its_figures(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    response = await api.get("/quotes/q-1", params={"version": 2}, headers=bearer("finance"))
    assert response.status_code == 200, response.text
    assert quoting.requests[-1] == pb.GetQuoteRequest(quote_id="q-1", version=2)
    quote = response.json()
    assert (quote["id"], quote["version"], quote["status"], quote["total"]) == (
        "q-1",
        2,
        "draft",
        {"amount": "134.95", "currency": "EUR"},
    )
    document = quote["document"]
    assert (document["currency"], document["engine_version"]) == ("EUR", "pricing/1")
    assert document["policy"] == {
        "rounding_mode": "per_line",
        "rounding": "half_up",
        "prices_include_tax": False,
    }
    (group,) = document["groups"]
    assert (group["name"], group["discount"], group["taxes"]) == (
        "Hardware",
        {"percent": "10", "amount": ""},
        [{"code": "VAT19", "rate": "0.19"}],
    )
    kit, service = group["lines"]
    assert kit == {
        "line_id": "l-1",
        "product_id": "p-1",
        "sku": "KIT-1",
        "description": "Starter kit",
        "quantity": "2",
        "unit_price": "50.00",
        "discount": {"percent": "", "amount": ""},
        "taxes": [],
        "kind": "kit",
        "price_rule": "price list 'Wholesale', from 1 unit",
        "kit_parts": [{"product_id": "p-2", "sku": "PART-2", "quantity": 3}],
        "extended": "100.00",
        "discount_amount": "10.00",
        "net": "90.00",
        "tax_amounts": [{"code": "VAT19", "amount": "17.10"}],
    }
    assert (service["line_id"], service["discount"], service["net"], service["tax_amounts"]) == (
        "l-2",
        {"percent": "", "amount": "5.00"},
        "13.50",
        [{"code": "VAT19", "amount": "2.565"}],
    )
    assert document["shipping"] == [
        {"description": "Courier", "amount": "9.90", "taxes": [{"code": "VAT19", "rate": "0.19"}]}
    ]
    assert document["totals"] == {
        "subtotal": "120.00",
        "discounts": "16.50",
        "net": "103.50",
        "shipping": "9.90",
        "taxes": [{"code": "VAT19", "rate": "0.19", "base": "113.40", "amount": "21.55"}],
        "total": "134.95",
        "groups": [
            {
                "name": "Hardware",
                "subtotal": "120.00",
                "discount": "16.50",
                "net": "103.50",
                "tax": "19.67",
            }
        ],
        "shipping_tax": "1.88",
    }


async def test_quotes_list_a_page_at_a_time(api: httpx.AsyncClient, quoting: FakeQuoting) -> None:
    response = await api.get(
        "/quotes",
        params={"status": "sent", "salesperson": "sam", "page_size": 10, "page_token": "t-1"},
        headers=bearer("order-desk"),
    )
    assert response.status_code == 200, response.text
    assert quoting.requests[-1] == pb.ListQuotesRequest(
        status="sent", salesperson="sam", page_size=10, page_token="t-1"
    )
    page = response.json()
    assert [q["id"] for q in page["items"]] == ["q-1", "q-0"]
    assert page["items"][1]["document"] is None
    assert page["next_page_token"] == "t-2"


async def test_field_violations_from_the_service_become_422_naming_the_field(
    api: httpx.AsyncClient,
) -> None:
    response = await api.post("/quotes", json={**BODY, "customer_id": "too-many"}, headers=SALES)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": "groups", "detail": "between 1 and 1000 lines in all, not 1001"}
    ]


async def test_more_lines_than_quoting_allows_are_refused_at_the_edge(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    limit = pb.QUOTE_LIMIT_MAX_LINES  # quoting's own limit, from the contract
    sent = len(quoting.requests)
    lines = [{"sku": f"S-{i}", "quantity": 1} for i in range(limit + 1)]
    one_group = {**BODY, "groups": [{"name": "All", "lines": lines}]}
    halves = [
        {"name": "A", "lines": lines[: limit // 2 + 1]},
        {"name": "B", "lines": lines[: limit // 2]},
    ]
    for body in (one_group, {**BODY, "groups": halves}):
        response = await api.post("/quotes", json=body, headers=SALES)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["groups"]  # as quoting names it
    assert len(quoting.requests) == sent  # never reached the service
    body = {**BODY, "groups": [{"name": "All", "lines": lines[:limit]}]}
    assert (await api.post("/quotes", json=body, headers=SALES)).status_code == 201


LINE = "groups[0].lines[0]"


def line_with(**fields: Any) -> dict[str, Any]:
    line = {"sku": "S-1", "quantity": 1, **fields}
    return {**BODY, "groups": [{"name": "Main", "lines": [line]}]}


def priced_at(amount: str) -> dict[str, Any]:
    return line_with(unit_price={"amount": amount, "currency": "EUR"})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (line_with(quantity=1_000_001), f"{LINE}.quantity"),
        (line_with(quantity=0), f"{LINE}.quantity"),
        (priced_at("1" * 40), f"{LINE}.unit_price.amount"),
        (priced_at("1000000000000"), f"{LINE}.unit_price.amount"),
        (line_with(product_id="p" * 101), f"{LINE}.product_id"),
        (line_with(description="d" * 2001), f"{LINE}.description"),
        ({**BODY, "customer_id": "c" * 101}, "customer_id"),
        ({**BODY, "salesperson": "s" * 201}, "salesperson"),
        ({**BODY, "notes": "n" * 5001}, "notes"),
        ({**BODY, "payment_terms": "p" * 501}, "payment_terms"),
        ({**BODY, "shipping": [{"description": "x", "amount": "1"}] * 101}, "shipping"),
    ],
)
async def test_oversized_quote_input_is_422_naming_the_field(
    api: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await api.post("/quotes", json=body, headers=SALES)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_ids_and_pages_are_bounded_at_the_edge(api: httpx.AsyncClient) -> None:
    for path, params, field in [
        (f"/quotes/{'q' * 101}", {}, "quote_id"),
        (f"/quotes/{'q' * 12_000}/pdf", {}, "quote_id"),
        ("/quotes", {"page_size": 201}, "page_size"),
        ("/quotes", {"page_size": 0}, "page_size"),
        ("/quotes", {"customer_id": "c" * 101}, "customer_id"),
        ("/quote-templates", {"page_size": 201}, "page_size"),
    ]:
        response = await api.get(path, params=params, headers=SALES)
        assert response.status_code == 422, path
        assert [e["field"] for e in response.json()["errors"]] == [field]
    refused = await api.post(f"/quotes/{'q' * 12_000}/send", headers=SALES)
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "quote_id")


async def test_the_salesperson_comes_from_the_token_not_the_body(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    body = {k: v for k, v in BODY.items() if k != "salesperson"}
    response = await api.post("/quotes", json=body, headers=SALES)
    assert response.status_code == 201, response.text
    assert quoting.requests[-1].content.salesperson == ""  # quoting puts the caller there


async def test_templates_list_a_page_at_a_time(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    response = await api.get(
        "/quote-templates", params={"page_size": 5, "page_token": "t-1"}, headers=SALES
    )
    assert response.status_code == 200, response.text
    assert quoting.requests[-1] == pb.ListTemplatesRequest(page_size=5, page_token="t-1")
    page = response.json()
    assert ([t["name"] for t in page["items"]], page["next_page_token"]) == (["Starter"], "t-next")


async def test_a_failed_precondition_is_409(api: httpx.AsyncClient) -> None:
    response = await api.post("/quotes/q-1/send", headers=SALES)
    assert response.status_code == 409
    problem = response.json()
    assert problem["detail"] == "quote q-1 is accepted; only a draft quote can be sent"
    assert problem["errors"] == [{"field": "status", "detail": "is accepted"}]


async def test_an_unknown_quote_is_404(api: httpx.AsyncClient) -> None:
    response = await api.get("/quotes/nope", headers=SALES)
    assert response.status_code == 404


async def test_sales_and_sales_managers_write_and_the_order_desk_and_finance_read(
    api: httpx.AsyncClient,
) -> None:
    for role, status in [("sales-manager", 201), ("finance", 403), ("order-desk", 403)]:
        assert (await api.post("/quotes", json=BODY, headers=bearer(role))).status_code == status
    for role, status in [
        ("sales-manager", 200),
        ("order-desk", 200),
        ("finance", 200),
        ("warehouse", 403),
        ("purchasing", 403),
    ]:
        assert (await api.get("/quotes/q-1", headers=bearer(role))).status_code == status, role
        assert (await api.get("/quotes", headers=bearer(role))).status_code == status, role


async def test_accept_converts_to_a_sales_order_unless_told_otherwise(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    assert (await api.post("/quotes/q-1/accept", headers=SALES)).status_code == 200
    assert quoting.requests[-1].convert_to == "sales_order"
    response = await api.post("/quotes/q-1/accept", json={"convert_to": "invoice"}, headers=SALES)
    assert response.status_code == 200
    assert quoting.requests[-1].convert_to == "invoice"
    response = await api.post("/quotes/q-1/accept", json={"convert_to": "cash"}, headers=SALES)
    assert response.status_code == 422
    converted = await api.post("/quotes/q-1/convert", json={"convert_to": "invoice"}, headers=SALES)
    assert converted.status_code == 200
    assert quoting.requests[-1].convert_to == "invoice"


async def test_revise_without_a_body_sends_no_content(
    api: httpx.AsyncClient, quoting: FakeQuoting
) -> None:
    assert (await api.post("/quotes/q-1/revise", headers=SALES)).status_code == 200
    assert not quoting.requests[-1].HasField("content")
    assert (await api.post("/quotes/q-1/revise", json=BODY, headers=SALES)).status_code == 200
    assert quoting.requests[-1].content.groups[0].name == "Hardware"


async def test_the_pdf_is_an_attachment(api: httpx.AsyncClient, quoting: FakeQuoting) -> None:
    response = await api.get("/quotes/q-1/pdf", params={"version": 1}, headers=bearer("finance"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="quote-q-1-v2.pdf"'
    assert response.content == PDF
    assert quoting.requests[-1] == pb.RenderQuoteRequest(quote_id="q-1", version=1)


def test_a_filename_outside_ascii_keeps_a_safe_fallback() -> None:
    assert attachment('Angebot "Müller"\r\n.pdf') == (
        'attachment; filename="Angebot _M_ller___.pdf"; '
        "filename*=UTF-8''Angebot%20%22M%C3%BCller%22%0D%0A.pdf"
    )


async def test_a_template_shows_its_groups_as_entered(api: httpx.AsyncClient) -> None:
    response = await api.post("/quotes/q-1/template", json={"name": "Starter"}, headers=SALES)
    assert response.status_code == 201, response.text
    template = response.json()
    assert template["name"] == "Starter"
    kit, service = template["groups"][0]["lines"]
    assert (kit["sku"], kit["unit_price"]) == ("KIT-1", None)
    assert service["unit_price"] == {"amount": "20.00", "currency": "EUR"}


def test_orders_and_invoices_show_a_document_only_when_they_have_one() -> None:
    plain = SalesOrder.model_validate(orders_pb2.SalesOrder(id="o-1"))
    assert (plain.document, plain.quote_id) == (None, "")
    from_quote = SalesOrder.model_validate(
        orders_pb2.SalesOrder(id="o-2", quote_id="q-1", document=DOCUMENT)
    )
    assert from_quote.quote_id == "q-1"
    assert from_quote.document is not None
    assert from_quote.document.totals is not None
    assert from_quote.document.totals.total == "134.95"
    assert from_quote.document.groups[0].lines[1].net == "13.50"
    assert Invoice.model_validate(billing_pb2.Invoice(id="i-1")).document is None
    invoice = Invoice.model_validate(billing_pb2.Invoice(id="i-2", document=DOCUMENT))
    assert invoice.model_dump(mode="json")["document"]["engine_version"] == "pricing/1"
