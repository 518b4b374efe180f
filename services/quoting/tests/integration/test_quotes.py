"""Quoting against the real broker and database, pricing from a real catalog process."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.catalog.v1 import catalog_pb2 as catalog
from oms.catalog.v1 import catalog_pb2_grpc
from oms.events.v1 import orders_pb2
from oms.events.v1 import quoting_pb2 as events
from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.documents import verify
from quoting.bootstrap import SPEC
from quoting.config import Settings
from servicekit.grpc import violations_of
from testkit.services import EventLog, as_user, free_port, namespace, publish, running

SALES = as_user("sam", "sales")
VAT19 = pricing.TaxRate(code="VAT19", rate="0.19")
VAT7 = pricing.TaxRate(code="VAT7", rate="0.07")


@dataclass
class Catalog:
    widget: str
    bolt: str
    kit: str
    loose_kit: str
    service: str
    dollar: str


async def product(
    stub: catalog_pb2_grpc.CatalogServiceStub, price: str, currency: str = "EUR", **fields: object
) -> str:
    request = catalog.CreateProductRequest(
        sku=f"S-{uuid.uuid4().hex[:8]}",
        name=str(fields.pop("name", "Widget")),
        list_price=Money(amount=price, currency=currency),
        **fields,  # type: ignore[arg-type]
    )
    return str((await stub.CreateProduct(request)).product.sku)


@pytest.fixture(scope="module")
async def products(catalog_process: str) -> AsyncIterator[Catalog]:
    async with grpc.aio.insecure_channel(catalog_process) as channel:
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        widget = await product(stub, "10.00", name="Widget")
        bolt = await product(stub, "0.50", name="Bolt")
        ids = {
            p.sku: p.id
            for p in (
                await stub.SearchProducts(catalog.SearchProductsRequest(page_size=10))
            ).products
        }
        parts = [
            catalog.KitComponent(product_id=ids[widget], quantity=1),
            catalog.KitComponent(product_id=ids[bolt], quantity=4),
        ]
        kit = await product(stub, "11.00", name="Starter kit", kind="kit", components=parts)
        loose = await product(
            stub, "0", name="Loose kit", kind="kit", components=parts, kit_pricing="components"
        )
        service = await product(stub, "80.00", name="Installation", kind="service")
        dollar = await product(stub, "5.00", "USD", name="Imported")
        await stub.CreatePriceList(
            catalog.CreatePriceListRequest(
                name="Wholesale",
                currency="EUR",
                customer_group="wholesale",
                breaks=[
                    catalog.PriceBreak(product_id=ids[widget], min_quantity=10, unit_price="9.00")
                ],
            )
        )
        yield Catalog(widget, bolt, kit, loose, service, dollar)


@pytest.fixture
async def env(
    catalog_process: str, fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[tuple[quoting_pb2_grpc.QuotingServiceStub, str, str]]:
    ns, url = namespace(), await fresh_database("quoting")
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
        catalog_target=catalog_process,
        expiry_interval_seconds=0.2,
    )
    async with running(SPEC, settings) as channel:
        yield quoting_pb2_grpc.QuotingServiceStub(channel), ns, url


def full_content(c: Catalog) -> pb.QuoteContent:
    return pb.QuoteContent(
        customer_id="C-1",
        customer_group="wholesale",
        salesperson="sam",
        currency="EUR",
        payment_terms="30 days net",
        groups=[
            pb.GroupInput(
                name="Hardware",
                discount=pricing.Discount(percent="5"),
                taxes=[VAT19],
                lines=[
                    pb.LineInput(sku=c.widget, quantity=12),
                    pb.LineInput(sku=c.kit, quantity=2),
                    pb.LineInput(sku=c.loose_kit, quantity=1),
                ],
            ),
            pb.GroupInput(
                name="Services",
                taxes=[VAT7],
                lines=[
                    pb.LineInput(sku=c.service, quantity=2),
                    pb.LineInput(
                        description="Setup fee",
                        quantity=1,
                        unit_price=Money(amount="25", currency="EUR"),
                    ),
                ],
            ),
        ],
        shipping=[pricing.ShippingCharge(description="Freight", amount="9.90", taxes=[VAT19])],
    )


async def test_a_quote_is_priced_from_price_lists_and_kits_and_its_figures_verify(
    env: tuple[quoting_pb2_grpc.QuotingServiceStub, str, str],
    products: Catalog,
    kafka_bootstrap: str,
) -> None:
    stub, ns, _ = env
    async with EventLog(kafka_bootstrap, [events.QuoteCreated], ns) as log:
        request = pb.CreateQuoteRequest(content=full_content(products))
        quote = (await stub.CreateQuote(request, metadata=SALES)).quote
        ((_, created),) = await log.wait_for(quote.id)
    hardware, services = quote.document.groups
    assert [(x.sku, x.quantity, x.unit_price) for x in hardware.lines] == [
        (products.widget, "12", "9.00"),  # the wholesale break from 10 units
        (products.kit, "2", "11.00"),  # one line, its parts listed
        (products.widget, "1", "10.00"),  # the loose kit's components, each priced
        (products.bolt, "4", "0.50"),
    ]
    assert "Wholesale" in hardware.lines[0].price_rule
    assert [p.quantity for p in hardware.lines[1].kit_parts] == [1, 4]
    assert [(x.kind, x.unit_price) for x in services.lines] == [("service", "80.00"), ("", "25")]
    # Hardware 108 + 22 + 10 + 2 = 142.00, 5 % off -> 134.90, VAT19 25.63; shipping 9.90, VAT 1.88;
    # services 160 + 25 = 185.00, VAT7 12.95. Total 134.90 + 185 + 9.90 + 27.51 + 12.95 = 370.26
    figures = quote.document.breakdown
    assert (figures.subtotal, figures.net, figures.shipping) == ("327.00", "319.90", "9.90")
    assert [(t.code, t.amount) for t in figures.taxes] == [("VAT19", "27.51"), ("VAT7", "12.95")]
    assert figures.total == quote.total.amount == created.total.amount == "370.26"
    verify(quote.document)
    assert (await stub.GetQuote(pb.GetQuoteRequest(quote_id=quote.id))).quote == quote


async def test_sent_revised_and_accepted_with_every_version_kept(
    env: tuple[quoting_pb2_grpc.QuotingServiceStub, str, str],
    products: Catalog,
    kafka_bootstrap: str,
) -> None:
    stub, ns, _ = env
    kinds = [events.QuoteSent, events.QuoteRevised, events.QuoteAccepted]
    async with EventLog(kafka_bootstrap, kinds, ns) as log:
        content = full_content(products)
        quote = (
            await stub.CreateQuote(pb.CreateQuoteRequest(content=content), metadata=SALES)
        ).quote
        await stub.SendQuote(pb.SendQuoteRequest(quote_id=quote.id), metadata=SALES)
        del content.groups[1:]
        revised = (
            await stub.ReviseQuote(
                pb.ReviseQuoteRequest(quote_id=quote.id, content=content), metadata=SALES
            )
        ).quote
        assert (revised.version, revised.status, len(revised.document.groups)) == (2, "draft", 1)
        first = (await stub.GetQuote(pb.GetQuoteRequest(quote_id=quote.id, version=1))).quote
        assert (first.version, first.latest_version, first.total) == (1, 2, quote.total)
        await stub.SendQuote(pb.SendQuoteRequest(quote_id=quote.id), metadata=SALES)
        accepted = (
            await stub.AcceptQuote(pb.AcceptQuoteRequest(quote_id=quote.id), metadata=SALES)
        ).quote
        found = await log.wait_for(quote.id, count=5)  # every event of the quote's topic
    assert [type(event).__name__ for _, event in found] == [
        "QuoteCreated",
        "QuoteSent",
        "QuoteRevised",
        "QuoteSent",
        "QuoteAccepted",
    ]
    event = found[-1][1]
    assert isinstance(event, events.QuoteAccepted)
    assert (accepted.status, accepted.converted_to) == ("accepted", "sales_order")
    assert (event.convert_to, event.target_id, event.version) == (
        "sales_order",
        accepted.converted_id,
        2,
    )
    assert event.document == revised.document
    with pytest.raises(grpc.aio.AioRpcError) as again:
        await stub.AcceptQuote(pb.AcceptQuoteRequest(quote_id=quote.id), metadata=SALES)
    assert again.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_a_quote_expires_by_itself_and_cannot_then_be_accepted(
    env: tuple[quoting_pb2_grpc.QuotingServiceStub, str, str],
    products: Catalog,
    kafka_bootstrap: str,
) -> None:
    stub, ns, url = env
    content = pb.QuoteContent(
        customer_id="C-2",
        salesperson="sam",
        currency="EUR",
        groups=[pb.GroupInput(name="Main", lines=[pb.LineInput(sku=products.widget, quantity=1)])],
    )
    async with EventLog(kafka_bootstrap, [events.QuoteExpired], ns) as log:
        quote = (
            await stub.CreateQuote(pb.CreateQuoteRequest(content=content), metadata=SALES)
        ).quote
        await stub.SendQuote(pb.SendQuoteRequest(quote_id=quote.id), metadata=SALES)
        engine = create_async_engine(url)
        async with engine.begin() as connection:  # as if its validity date were yesterday
            for statement in (
                "UPDATE quotes SET valid_until = current_date - 1 WHERE id = :id",
                "UPDATE quote_versions SET content = jsonb_set(content, '{validUntil}', "
                "to_jsonb((current_date - 1)::text)) WHERE quote_id = :id",
            ):
                await connection.execute(text(statement), {"id": quote.id})
        await engine.dispose()
        *_, (_, expired) = await log.wait_for(quote.id, count=3)  # created, sent, expired
    assert isinstance(expired, events.QuoteExpired)
    assert expired.version == 1
    found = (await stub.GetQuote(pb.GetQuoteRequest(quote_id=quote.id))).quote
    assert found.status == "expired"
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.AcceptQuote(pb.AcceptQuoteRequest(quote_id=quote.id), metadata=SALES)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert [v.field for v in violations_of(refused.value)] == ["status"]


async def test_bad_input_names_the_field_and_stores_nothing(
    env: tuple[quoting_pb2_grpc.QuotingServiceStub, str, str], products: Catalog
) -> None:
    stub, _, _ = env

    def one_line(line: pb.LineInput) -> pb.CreateQuoteRequest:
        group = pb.GroupInput(name="Main", lines=[line])
        return pb.CreateQuoteRequest(
            content=pb.QuoteContent(
                customer_id="C-3", salesperson="sam", currency="EUR", groups=[group]
            )
        )

    cases = [
        (one_line(pb.LineInput(sku="NO-SUCH-SKU", quantity=1)), "groups[0].lines[0].sku"),
        (one_line(pb.LineInput(sku=products.widget, quantity=-2)), "groups[0].lines[0].quantity"),
        (one_line(pb.LineInput(sku=products.dollar, quantity=1)), "groups[0].lines[0].sku"),
        (
            one_line(
                pb.LineInput(
                    description="fee", quantity=1, unit_price=Money(amount="5", currency="USD")
                )
            ),
            "groups[0].lines[0].unit_price.currency",
        ),
    ]
    huge = one_line(pb.LineInput(sku=products.widget, quantity=1))
    huge.content.groups[0].lines.extend([pb.LineInput(sku=products.widget, quantity=1)] * 9_999)
    cases.append((huge, "groups"))
    for request, field in cases:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.CreateQuote(request, metadata=SALES)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field in [v.field for v in violations_of(refused.value)]
    listed = await stub.ListQuotes(pb.ListQuotesRequest(customer_id="C-3"))
    assert list(listed.quotes) == []


async def test_templates_filters_pages_and_the_pdf(
    env: tuple[quoting_pb2_grpc.QuotingServiceStub, str, str], products: Catalog
) -> None:
    stub, _, _ = env
    first = (
        await stub.CreateQuote(
            pb.CreateQuoteRequest(content=full_content(products)), metadata=SALES
        )
    ).quote
    template = (
        await stub.SaveTemplate(
            pb.SaveTemplateRequest(quote_id=first.id, name="Starter bundle"), metadata=SALES
        )
    ).template
    assert [g.name for g in template.groups] == ["Hardware", "Services"]
    started = pb.QuoteContent(
        customer_id="C-4",
        customer_group="wholesale",
        salesperson="kim",
        currency="EUR",
        template_id=template.id,
        shipping=full_content(products).shipping,
    )
    second = (await stub.CreateQuote(pb.CreateQuoteRequest(content=started), metadata=SALES)).quote
    assert second.total == first.total  # the same groups, priced the same today
    await asyncio.gather(
        *(
            stub.CreateQuote(pb.CreateQuoteRequest(content=started), metadata=SALES)
            for _ in range(3)
        )
    )
    seen, token = [], ""
    while True:
        page = await stub.ListQuotes(
            pb.ListQuotesRequest(salesperson="kim", page_size=2, page_token=token)
        )
        seen += [q.id for q in page.quotes]
        token = page.next_page_token
        if not token:
            break
    assert len(seen) == len(set(seen)) == 4
    assert second.id in seen
    assert first.id not in seen
    rendered = await stub.RenderQuote(pb.RenderQuoteRequest(quote_id=first.id))
    assert rendered.pdf.startswith(b"%PDF-")
    assert rendered.filename.endswith("-v1.pdf")


async def test_a_known_customer_brings_its_price_list_group_and_payment_terms(
    env: tuple[quoting_pb2_grpc.QuotingServiceStub, str, str],
    products: Catalog,
    kafka_bootstrap: str,
) -> None:
    stub, ns, _ = env
    customer_id = str(uuid.uuid4())
    account = orders_pb2.CustomerAccount(
        customer_id=customer_id,
        name="Bolt & Co",
        customer_group="wholesale",
        currency="EUR",
        payment_terms="14 days net",
    )
    await publish(kafka_bootstrap, orders_pb2.CustomerRegistered(customer=account), customer_id, ns)
    content = pb.QuoteContent(
        customer_id=customer_id,
        salesperson="sam",
        groups=[pb.GroupInput(name="Main", lines=[pb.LineInput(sku=products.widget, quantity=10)])],
    )
    quote = None
    for _ in range(50):  # until the account's copy has arrived (no currency before: refused)
        try:
            request = pb.CreateQuoteRequest(content=content)
            quote = (await stub.CreateQuote(request, metadata=SALES)).quote
            break
        except grpc.aio.AioRpcError:
            await asyncio.sleep(0.2)
    assert quote is not None
    assert (quote.customer_group, quote.payment_terms, quote.currency) == (
        "wholesale",
        "14 days net",
        "EUR",
    )
    assert quote.document.groups[0].lines[0].unit_price == "9.00"
