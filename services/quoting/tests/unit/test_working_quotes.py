"""Working quotes on fakes: each transition saved with its event and its change-log entry, only
by who may work the quote, or refused with nothing changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quoting.application.commands.accept_quote import AcceptQuote, accept_quote
from quoting.application.commands.create_quote import CreateQuote, create_quote
from quoting.application.commands.reject_quote import RejectQuote, reject_quote
from quoting.application.commands.revise_quote import ReviseQuote, revise_quote
from quoting.application.commands.send_quote import SendQuote, send_quote
from quoting.application.commands.update_quote import UpdateQuote, update_quote
from quoting.application.ports import Ports
from quoting.application.reactions.on_sales_order_stalled import on_sales_order_stalled
from quoting.domain.content import LineInput
from quoting.domain.events import QuoteAccepted, QuoteRejected, QuoteRevised, QuoteSent
from quoting.domain.model import Quote, Status
from servicekit.context import acting
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from services.quoting.tests.builders import content
from services.quoting.tests.unit.conftest import KIM, NINA, SAM, SOL
from services.quoting.tests.unit.fakes import FakeClock, Store


def widgets(quantity: int = 1) -> CreateQuote:
    return CreateQuote(content(LineInput(sku="W-1", quantity=quantity), salesperson=""))


async def sams_quote(ports: Ports) -> Quote:
    with acting(SAM):
        return await create_quote(ports, widgets())


async def test_every_change_of_a_quote_is_saved_announced_and_logged(
    ports: Ports, store: Store
) -> None:
    quote_id = (await sams_quote(ports)).id
    with acting(SAM):
        updated = await update_quote(ports, UpdateQuote(quote_id, widgets(3).content))
        await send_quote(ports, SendQuote(quote_id))
        await reject_quote(ports, RejectQuote(quote_id, " dear "))
    with acting(NINA):
        revised = await revise_quote(ports, ReviseQuote(quote_id))
    with acting(SAM):
        await send_quote(ports, SendQuote(quote_id))
        accepted = await accept_quote(ports, AcceptQuote(quote_id))
    assert [(e.action, e.actor) for e in store.audit] == [
        ("created", "sam"),
        ("updated", "sam"),
        ("sent", "sam"),
        ("rejected", "sam"),
        ("revised", "nina"),
        ("sent", "sam"),
        ("accepted", "sam"),
    ]
    _, changed, sent, rejected, revision, _, acceptance = store.audit
    assert (changed.before, changed.after) == ({"total": "10.00"}, {"total": "30.00"})
    assert (sent.before, sent.after) == ({"status": "draft"}, {"status": "sent"})
    assert rejected.after == {"status": "rejected", "rejection_reason": "dear"}
    assert revision.after == {"status": "draft", "version": 2, "rejection_reason": ""}
    assert acceptance.after is not None
    assert acceptance.after["converted_to"] == "sales_order"
    assert [type(e).__name__ for e in store.published] == [
        "QuoteCreated",
        "QuoteSent",
        "QuoteRejected",
        "QuoteRevised",
        "QuoteSent",
        "QuoteAccepted",
    ]
    assert store.published[2] == QuoteRejected(quote_id, 1, " dear ")  # as the customer said
    assert store.published[3] == QuoteRevised(quote_id, 2, 1)
    event = store.published[-1]
    assert isinstance(event, QuoteAccepted)
    assert (event.version, event.convert_to, event.target_id, event.team) == (
        2,
        "sales_order",
        accepted.converted_id,
        "north",
    )
    assert event.document == revised.document
    assert revised.total == updated.total
    assert store.quotes[quote_id].head == accepted


async def test_a_revision_keeps_every_version(ports: Ports, store: Store) -> None:
    quote = await sams_quote(ports)
    with acting(SAM):
        await send_quote(ports, SendQuote(quote.id))
        revised = await revise_quote(ports, ReviseQuote(quote.id, widgets(2).content))
    assert (revised.version, revised.latest_version, revised.status) == (2, 2, Status.DRAFT)
    assert revised.total.amount == 20
    assert store.quotes[quote.id].versions[1][1] == quote.document


async def test_a_sent_quote_is_announced_with_its_validity(ports: Ports, store: Store) -> None:
    quote = await sams_quote(ports)
    with acting(SAM):
        await send_quote(ports, SendQuote(quote.id))
    assert store.published[-1] == QuoteSent(
        quote.id, 1, "C-1", quote.total, date.fromisoformat(quote.content.valid_until)
    )


async def test_a_refused_transition_changes_nothing(ports: Ports, store: Store) -> None:
    quote = await sams_quote(ports)
    with acting(SAM):
        for refused in (
            accept_quote(ports, AcceptQuote(quote.id)),
            reject_quote(ports, RejectQuote(quote.id)),
            revise_quote(ports, ReviseQuote(quote.id)),
        ):
            with pytest.raises(FailedPrecondition):
                await refused
        with pytest.raises(InvalidArgument):
            await accept_quote(ports, AcceptQuote(quote.id, "gift"))
    assert store.quotes[quote.id].head == quote
    assert [e.action for e in store.audit] == ["created"]
    assert len(store.published) == 1


async def test_an_expired_quote_cannot_be_sent_or_accepted(
    ports: Ports, store: Store, clock: FakeClock
) -> None:
    quote = await sams_quote(ports)
    with acting(SAM):
        await send_quote(ports, SendQuote(quote.id))
        clock.advance(timedelta(days=31))
        with pytest.raises(FailedPrecondition) as refused:
            await accept_quote(ports, AcceptQuote(quote.id))
    assert [v.field for v in refused.value.violations] == ["valid_until"]
    assert store.quotes[quote.id].head.status is Status.SENT


async def test_a_salesperson_works_only_their_own_quotes_a_manager_the_teams(
    ports: Ports, store: Store
) -> None:
    quote = await sams_quote(ports)
    with acting(KIM):
        for call in (
            update_quote(ports, UpdateQuote(quote.id, widgets(2).content)),
            send_quote(ports, SendQuote(quote.id)),
            accept_quote(ports, AcceptQuote(quote.id)),
        ):
            with pytest.raises(PermissionDenied):
                await call
    with acting(SOL), pytest.raises(PermissionDenied):
        await send_quote(ports, SendQuote(quote.id))
    with acting(NINA):
        sent = await send_quote(ports, SendQuote(quote.id))
    assert sent.status is Status.SENT
    with acting(SAM), pytest.raises(NotFound):
        await send_quote(ports, SendQuote("no-such-quote"))


async def test_an_update_keeps_the_salesperson_a_manager_gave(ports: Ports) -> None:
    with acting(NINA):
        quote = await create_quote(ports, CreateQuote(content(LineInput(sku="W-1", quantity=1))))
        assert quote.salesperson == "sam"
        updated = await update_quote(ports, UpdateQuote(quote.id, widgets(2).content))
    assert updated.salesperson == "sam"


async def test_an_accepted_quote_shows_why_its_order_stalled_until_it_clears(
    ports: Ports, store: Store
) -> None:
    quote_id = (await sams_quote(ports)).id
    with acting(SAM):
        await send_quote(ports, SendQuote(quote_id))
        await accept_quote(ports, AcceptQuote(quote_id))
    reason = "oms.quoting.QuoteAccepted.v1: customer unknown"
    for told in (reason, reason, ""):
        async with ports.uow() as uow:
            await on_sales_order_stalled(uow, quote_id, told)
            await on_sales_order_stalled(uow, "", told)  # an order not made from a quote
        async with ports.uow() as uow:
            found = await uow.quotes.get(quote_id)
        assert found is not None
        assert (found.order_stalled, found.status) == (told, Status.ACCEPTED)
