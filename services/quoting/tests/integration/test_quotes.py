"""Quoting against the real broker and database, pricing from a real catalog process: pricing,
the lifecycle, expiry, templates, paging and the customer copy."""

import asyncio
import uuid

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.events.v1 import orders_pb2
from oms.events.v1 import quoting_pb2 as events
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.wire import verify
from servicekit.grpc import violations_of
from services.quoting.tests.integration.conftest import (
    SALES,
    VAT7,
    VAT19,
    Catalog,
    Quoting,
    one_line,
    refusal,
)
from testkit.services import EventLog, as_user, publish


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
    quoting: Quoting,
    products: Catalog,
    kafka_bootstrap: str,
) -> None:
    stub, ns = quoting.stub, quoting.ns
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
    quoting: Quoting,
    products: Catalog,
    kafka_bootstrap: str,
) -> None:
    stub, ns = quoting.stub, quoting.ns
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
    quoting: Quoting,
    products: Catalog,
    kafka_bootstrap: str,
) -> None:
    stub, ns, url = quoting.stub, quoting.ns, quoting.url
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


def free_text(amount: str, quantity: int = 1) -> pb.LineInput:
    return pb.LineInput(
        description="fee", quantity=quantity, unit_price=Money(amount=amount, currency="EUR")
    )


async def test_bad_or_oversized_input_names_the_field_and_stores_nothing(
    quoting: Quoting, products: Catalog
) -> None:
    at = "groups[0].lines[0]"
    cases = [
        (one_line(pb.LineInput(sku="NO-SUCH-SKU", quantity=1), "C-3"), f"{at}.sku"),
        (one_line(pb.LineInput(sku=products.widget, quantity=-2), "C-3"), f"{at}.quantity"),
        (one_line(pb.LineInput(sku=products.widget, quantity=10**6 + 1), "C-3"), f"{at}.quantity"),
        (one_line(pb.LineInput(sku=products.dollar, quantity=1), "C-3"), f"{at}.sku"),
        (one_line(free_text("1" * 40), "C-3"), f"{at}.unit_price.amount"),
        (one_line(free_text("1000000000000"), "C-3"), f"{at}.unit_price.amount"),
        (one_line(free_text("0.1234567"), "C-3"), f"{at}.unit_price.amount"),
        (one_line(free_text("999999999999", 1_000_000), "C-3"), "groups"),  # the total overflows
        (one_line(free_text("5"), "C-3", salesperson="s" * 201), "salesperson"),
    ]
    wrong_currency = one_line(free_text("5"), "C-3")
    wrong_currency.content.groups[0].lines[0].unit_price.currency = "USD"
    cases.append((wrong_currency, f"{at}.unit_price.currency"))
    long_notes = one_line(free_text("5"), "C-3")
    long_notes.content.notes = "n" * 5001
    cases.append((long_notes, "notes"))
    too_many = one_line(pb.LineInput(sku=products.widget, quantity=1), "C-3")
    too_many.content.groups[0].lines.extend([too_many.content.groups[0].lines[0]] * 1000)
    cases.append((too_many, "groups"))
    admin = as_user("root", "admin")  # may name any salesperson: only the length is at fault
    for request, field in cases:
        code, fields = await refusal(quoting.stub.CreateQuote(request, metadata=admin))
        assert (code, field in fields) == (grpc.StatusCode.INVALID_ARGUMENT, True), field
    listed = await quoting.stub.ListQuotes(pb.ListQuotesRequest(customer_id="C-3"))
    assert list(listed.quotes) == []


async def test_lists_and_ids_are_bounded(quoting: Quoting) -> None:
    stub = quoting.stub
    for request, field in [
        (pb.ListQuotesRequest(page_size=201), "page_size"),
        (pb.ListQuotesRequest(page_token="not-a-token"), "page_token"),
        (pb.ListQuotesRequest(salesperson="s" * 201), "salesperson"),
        (pb.ListTemplatesRequest(page_size=201), "page_size"),
        (pb.ListTemplatesRequest(page_token="bm90IGEgdG9rZW4="), "page_token"),
    ]:
        call = (
            stub.ListQuotes(request)
            if isinstance(request, pb.ListQuotesRequest)
            else stub.ListTemplates(request)
        )
        assert await refusal(call) == (grpc.StatusCode.INVALID_ARGUMENT, [field])
    long_id = await refusal(stub.GetQuote(pb.GetQuoteRequest(quote_id="q" * 12_000)))
    assert long_id == (grpc.StatusCode.INVALID_ARGUMENT, ["quote_id"])


async def test_templates_filters_pages_and_the_pdf(quoting: Quoting, products: Catalog) -> None:
    stub = quoting.stub
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
        currency="EUR",
        template_id=template.id,
        shipping=full_content(products).shipping,
    )
    kim = as_user("kim", "sales")
    second = (await stub.CreateQuote(pb.CreateQuoteRequest(content=started), metadata=kim)).quote
    assert second.total == first.total  # the same groups, priced the same today
    assert second.salesperson == "kim"  # the caller, as the content names nobody
    await asyncio.gather(
        *(stub.CreateQuote(pb.CreateQuoteRequest(content=started), metadata=kim) for _ in range(3))
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
    another = pb.SaveTemplateRequest(quote_id=first.id, name="Another bundle")
    await stub.SaveTemplate(another, metadata=SALES)
    # a retried save, racing and then once more, saves one template and answers it each time
    zebra = pb.SaveTemplateRequest(quote_id=first.id, name="Zebra bundle", request_id="zebra")
    raced = await asyncio.gather(*(stub.SaveTemplate(zebra, metadata=SALES) for _ in range(3)))
    again = await stub.SaveTemplate(zebra, metadata=SALES)
    assert {r.template.id for r in (*raced, again)} == {again.template.id}
    renamed = pb.SaveTemplateRequest(quote_id=first.id, name="Yak bundle", request_id="zebra")
    assert await refusal(stub.SaveTemplate(renamed, metadata=SALES)) == (
        grpc.StatusCode.ALREADY_EXISTS,
        ["request_id"],
    )
    names, token = [], ""
    while True:
        listed = await stub.ListTemplates(pb.ListTemplatesRequest(page_size=2, page_token=token))
        names += [t.name for t in listed.templates]
        token = listed.next_page_token
        if not token:
            break
    assert names == ["Another bundle", "Starter bundle", "Zebra bundle"]


async def test_a_known_customer_brings_its_price_list_group_and_payment_terms(
    quoting: Quoting,
    products: Catalog,
    kafka_bootstrap: str,
) -> None:
    stub, ns = quoting.stub, quoting.ns
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


async def test_a_retried_draft_drafts_one_quote_even_when_the_retries_race(
    quoting: Quoting, products: Catalog
) -> None:
    stub = quoting.stub
    customer = f"C-{uuid.uuid4().hex[:8]}"
    content = one_line(pb.LineInput(sku=products.widget, quantity=3), customer).content
    once = pb.CreateQuoteRequest(content=content, request_id=f"draft-{customer}")
    first = (await stub.CreateQuote(once, metadata=SALES)).quote
    answers = await asyncio.gather(
        stub.CreateQuote(once, metadata=SALES), stub.CreateQuote(once, metadata=SALES)
    )
    assert {a.quote.id for a in answers} == {first.id}
    assert {a.quote.number for a in answers} == {first.number}
    listed = await stub.ListQuotes(pb.ListQuotesRequest(customer_id=customer), metadata=SALES)
    assert [q.id for q in listed.quotes] == [first.id]
    # both twins racing from the start: one drafts, the other waits for it and answers it
    twin = pb.CreateQuoteRequest(content=content, request_id=f"twin-{customer}")
    raced = await asyncio.gather(*(stub.CreateQuote(twin, metadata=SALES) for _ in range(3)))
    assert len({r.quote.id for r in raced}) == 1
    listed = await stub.ListQuotes(pb.ListQuotesRequest(customer_id=customer), metadata=SALES)
    assert len(listed.quotes) == 2
    other = pb.CreateQuoteRequest(content=content, request_id=once.request_id)
    other.content.notes = "something else"
    assert await refusal(stub.CreateQuote(other, metadata=SALES)) == (
        grpc.StatusCode.ALREADY_EXISTS,
        ["request_id"],
    )
    # another salesperson repeating the id and content is not shown sam's quote
    kim = as_user("kim", "sales")
    assert (await refusal(stub.CreateQuote(once, metadata=kim)))[0] == (
        grpc.StatusCode.PERMISSION_DENIED
    )
