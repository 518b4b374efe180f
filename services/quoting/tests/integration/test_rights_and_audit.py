"""Who may call quoting and which quotes each person works, on the real service; and the change
log every change of a quote or template leaves."""

import asyncio
import json
import uuid

import grpc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from services.quoting.tests.integration.conftest import Catalog, Quoting, one_line, refusal
from testkit.security import session_security
from testkit.services import as_user

SAM = as_user("sam", "sales", team="north")
KIM = as_user("kim", "sales", team="north")
NORTH_MANAGER = as_user("nina", "sales-manager", team="north")
SOUTH_MANAGER = as_user("sol", "sales-manager", team="south")
DENIED = grpc.StatusCode.PERMISSION_DENIED


def line(c: Catalog) -> pb.LineInput:
    return pb.LineInput(sku=c.widget, quantity=1)


async def test_the_access_table_lets_in_only_who_works_or_reads_quotes(
    quoting: Quoting, products: Catalog
) -> None:
    stub = quoting.stub
    create = one_line(line(products))
    for role in ("warehouse", "purchasing", "order-desk", "finance"):
        call = stub.CreateQuote(create, metadata=as_user("x", role))
        assert (await refusal(call))[0] == DENIED, role
    quote = (await stub.CreateQuote(create, metadata=SAM)).quote
    for role in ("order-desk", "finance"):
        reader = as_user("x", role)
        read = await stub.GetQuote(pb.GetQuoteRequest(quote_id=quote.id), metadata=reader)
        assert read.quote.id == quote.id
        sent = stub.SendQuote(pb.SendQuoteRequest(quote_id=quote.id), metadata=reader)
        assert (await refusal(sent))[0] == DENIED
    for role in ("warehouse", "purchasing"):
        listed = stub.ListQuotes(pb.ListQuotesRequest(), metadata=as_user("x", role))
        assert (await refusal(listed))[0] == DENIED
    security = session_security()
    async with security.channel(quoting.target, token="") as bare:
        anonymous = quoting_pb2_grpc.QuotingServiceStub(bare)
        forged = anonymous.ListQuotes(pb.ListQuotesRequest(), metadata=(("x-oms-roles", "admin"),))
        assert (await refusal(forged))[0] == DENIED  # the gateway itself may not read quotes
        unsigned = (("authorization", "Bearer forged.token.here"),)
        invalid = anonymous.ListQuotes(pb.ListQuotesRequest(), metadata=unsigned)
        assert (await refusal(invalid))[0] == grpc.StatusCode.UNAUTHENTICATED


async def test_an_internal_client_reads_quotes_with_its_scope_and_nothing_more(
    quoting: Quoting, products: Catalog
) -> None:
    quote = (await quoting.stub.CreateQuote(one_line(line(products)), metadata=SAM)).quote
    security = session_security()
    reader, outsider = f"quote-reports-{uuid.uuid4().hex[:6]}", f"other-{uuid.uuid4().hex[:6]}"
    security.pki.register_client(reader, ["quoting:read"])
    security.pki.register_client(outsider, ["orders:read"])
    async with security.channel(quoting.target, as_name=reader, token="") as channel:
        client = quoting_pb2_grpc.QuotingServiceStub(channel)
        listed = await client.ListQuotes(pb.ListQuotesRequest())
        assert quote.id in [q.id for q in listed.quotes]  # every quote: it is no salesperson
        send = client.SendQuote(pb.SendQuoteRequest(quote_id=quote.id))
        assert (await refusal(send))[0] == DENIED
    async with security.channel(quoting.target, as_name=outsider, token="") as channel:
        other = quoting_pb2_grpc.QuotingServiceStub(channel)
        assert (await refusal(other.ListQuotes(pb.ListQuotesRequest())))[0] == DENIED


async def test_a_salesperson_works_only_their_own_quotes(
    quoting: Quoting, products: Catalog
) -> None:
    stub = quoting.stub
    sams = (await stub.CreateQuote(one_line(line(products)), metadata=SAM)).quote
    assert (sams.salesperson, sams.team, sams.created_by) == ("sam", "north", "sam")
    for_kim = stub.CreateQuote(one_line(line(products), salesperson="kim"), metadata=SAM)
    assert await refusal(for_kim) == (DENIED, ["salesperson"])
    kims = (await stub.CreateQuote(one_line(line(products)), metadata=KIM)).quote
    content = one_line(line(products)).content
    calls = [
        stub.GetQuote(pb.GetQuoteRequest(quote_id=sams.id), metadata=KIM),
        stub.RenderQuote(pb.RenderQuoteRequest(quote_id=sams.id), metadata=KIM),
        stub.UpdateQuote(pb.UpdateQuoteRequest(quote_id=sams.id, content=content), metadata=KIM),
        stub.SendQuote(pb.SendQuoteRequest(quote_id=sams.id), metadata=KIM),
        stub.SaveTemplate(pb.SaveTemplateRequest(quote_id=sams.id, name="x"), metadata=KIM),
    ]
    for call in calls:
        assert (await refusal(call))[0] == DENIED
    await stub.SendQuote(pb.SendQuoteRequest(quote_id=sams.id), metadata=SAM)
    for call in [
        stub.ReviseQuote(pb.ReviseQuoteRequest(quote_id=sams.id), metadata=KIM),
        stub.AcceptQuote(pb.AcceptQuoteRequest(quote_id=sams.id), metadata=KIM),
        stub.RejectQuote(pb.RejectQuoteRequest(quote_id=sams.id), metadata=KIM),
    ]:
        assert (await refusal(call))[0] == DENIED
    for asked in ("", "sam"):
        listed = await stub.ListQuotes(pb.ListQuotesRequest(salesperson=asked), metadata=KIM)
        assert [q.id for q in listed.quotes] == ([kims.id] if not asked else [])
    accepted = await stub.AcceptQuote(pb.AcceptQuoteRequest(quote_id=sams.id), metadata=SAM)
    assert accepted.quote.status == "accepted"


async def test_a_sales_manager_works_the_teams_quotes_and_assigns_them(
    quoting: Quoting, products: Catalog
) -> None:
    stub = quoting.stub
    sams = (await stub.CreateQuote(one_line(line(products)), metadata=SAM)).quote
    assigned = one_line(line(products), salesperson="kim")
    kims = (await stub.CreateQuote(assigned, metadata=NORTH_MANAGER)).quote
    assert (kims.salesperson, kims.team, kims.created_by) == ("kim", "north", "nina")
    await stub.SendQuote(pb.SendQuoteRequest(quote_id=kims.id), metadata=KIM)  # kim's now
    await stub.SendQuote(pb.SendQuoteRequest(quote_id=sams.id), metadata=NORTH_MANAGER)
    south = (await stub.CreateQuote(one_line(line(products)), metadata=SOUTH_MANAGER)).quote
    southern = stub.GetQuote(pb.GetQuoteRequest(quote_id=sams.id), metadata=SOUTH_MANAGER)
    assert (await refusal(southern))[0] == DENIED
    reject = stub.RejectQuote(pb.RejectQuoteRequest(quote_id=south.id), metadata=NORTH_MANAGER)
    assert (await refusal(reject))[0] == DENIED

    async def listed(metadata: tuple[tuple[str, str], ...]) -> set[str]:
        page = await stub.ListQuotes(pb.ListQuotesRequest(), metadata=metadata)
        return {q.id for q in page.quotes}

    assert await listed(NORTH_MANAGER) == {sams.id, kims.id}
    assert await listed(SOUTH_MANAGER) == {south.id}
    everyone = {sams.id, kims.id, south.id}
    assert await listed(as_user("max", "sales-manager")) == everyone  # no team: every quote
    assert await listed(as_user("odette", "order-desk")) == everyone


async def test_every_change_of_a_quote_is_in_its_change_log(
    quoting: Quoting, products: Catalog
) -> None:
    stub = quoting.stub
    quote_id = (await stub.CreateQuote(one_line(line(products)), metadata=SAM)).quote.id
    bigger = one_line(pb.LineInput(sku=products.widget, quantity=3)).content
    await stub.UpdateQuote(pb.UpdateQuoteRequest(quote_id=quote_id, content=bigger), metadata=SAM)
    await stub.SendQuote(pb.SendQuoteRequest(quote_id=quote_id), metadata=SAM)
    rejection = pb.RejectQuoteRequest(quote_id=quote_id, reason="dear")
    await stub.RejectQuote(rejection, metadata=SAM)
    await stub.ReviseQuote(pb.ReviseQuoteRequest(quote_id=quote_id), metadata=NORTH_MANAGER)
    await stub.SendQuote(pb.SendQuoteRequest(quote_id=quote_id), metadata=SAM)
    await stub.AcceptQuote(pb.AcceptQuoteRequest(quote_id=quote_id), metadata=SAM)
    entries = await quoting.entries("quote", quote_id)
    assert [(e.action, e.actor) for e in entries] == [
        ("created", "sam"),
        ("updated", "sam"),
        ("sent", "sam"),
        ("rejected", "sam"),
        ("revised", "nina"),
        ("sent", "sam"),
        ("accepted", "sam"),
    ]
    created, updated, sent, rejected, revised, _, accepted = entries
    after = json.loads(created.after_json)
    assert (created.before_json, after["status"], after["salesperson"], after["total"]) == (
        "",
        "draft",
        "sam",
        "10.00",
    )
    assert after["team"] == "north"
    assert (json.loads(updated.before_json), json.loads(updated.after_json)) == (
        {"total": "10.00"},
        {"total": "30.00"},
    )
    assert (json.loads(sent.before_json), json.loads(sent.after_json)) == (
        {"status": "draft"},
        {"status": "sent"},
    )
    assert json.loads(rejected.after_json) == {"status": "rejected", "rejection_reason": "dear"}
    assert json.loads(revised.after_json) == {
        "status": "draft",
        "version": 2,
        "rejection_reason": "",
    }
    assert json.loads(accepted.after_json)["converted_to"] == "sales_order"
    assert created.actor_roles == ["sales"]


async def test_expiry_and_templates_are_in_the_change_log(
    quoting: Quoting, products: Catalog
) -> None:
    stub = quoting.stub
    quote_id = (await stub.CreateQuote(one_line(line(products)), metadata=SAM)).quote.id
    template = await stub.SaveTemplate(
        pb.SaveTemplateRequest(quote_id=quote_id, name="Basics"), metadata=SAM
    )
    (saved,) = await quoting.entries("quote_template", template.template.id)
    assert (saved.action, saved.actor) == ("created", "sam")
    assert json.loads(saved.after_json) == {
        "name": "Basics",
        "quote_id": quote_id,
        "quote_version": 1,
        "groups": ["Main"],
    }
    engine = create_async_engine(quoting.url)
    async with engine.begin() as connection:  # as if its validity date were yesterday
        await connection.execute(
            text("UPDATE quotes SET valid_until = current_date - 1 WHERE id = :id"),
            {"id": quote_id},
        )
        await connection.execute(
            text(
                "UPDATE quote_versions SET content = jsonb_set(content, '{validUntil}', "
                "to_jsonb((current_date - 1)::text)) WHERE quote_id = :id"
            ),
            {"id": quote_id},
        )
    await engine.dispose()
    for _ in range(100):
        entries = await quoting.entries("quote", quote_id)
        if entries[-1].action == "expired":
            break
        await asyncio.sleep(0.1)
    expired = entries[-1]
    assert (expired.action, expired.actor, list(expired.actor_roles)) == (
        "expired",
        "system:expiry",
        ["system"],
    )
    assert json.loads(expired.after_json) == {"status": "expired"}


async def test_a_rejection_reason_longer_than_kept_is_refused(
    quoting: Quoting, products: Catalog
) -> None:
    stub = quoting.stub
    quote_id = (await stub.CreateQuote(one_line(line(products)), metadata=SAM)).quote.id
    await stub.SendQuote(pb.SendQuoteRequest(quote_id=quote_id), metadata=SAM)
    too_long = pb.RejectQuoteRequest(quote_id=quote_id, reason="r" * 2001)
    assert await refusal(stub.RejectQuote(too_long, metadata=SAM)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["reason"],
    )
