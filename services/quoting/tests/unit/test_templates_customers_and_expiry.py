"""Templates, the customer copy and expiry on fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quoting.application.commands.create_quote import CreateQuote, create_quote
from quoting.application.commands.expire_quotes import expire_quotes
from quoting.application.commands.save_template import SaveTemplate, save_template
from quoting.application.commands.send_quote import SendQuote, send_quote
from quoting.application.ports import Ports
from quoting.application.queries.list_templates import ListTemplates, list_templates
from quoting.application.reactions.on_customer_changed import on_customer_changed
from quoting.application.reactions.on_customer_registered import on_customer_registered
from quoting.domain.content import LineInput
from quoting.domain.customer import Customer
from quoting.domain.events import QuoteExpired
from quoting.domain.model import Quote, Status
from servicekit.context import acting
from servicekit.errors import InvalidArgument, PermissionDenied
from services.quoting.tests.builders import content, rich_content
from services.quoting.tests.unit.conftest import EXPIRY, KIM, SAM
from services.quoting.tests.unit.fakes import FakeClock, FakeUnitOfWork, Store


async def sams_quote(ports: Ports) -> Quote:
    with acting(SAM):
        wanted = rich_content(salesperson="", valid_until="")
        return await create_quote(ports, CreateQuote(wanted))


async def test_a_template_keeps_a_quotes_groups_under_a_name(ports: Ports, store: Store) -> None:
    quote = await sams_quote(ports)
    with acting(SAM):
        template = await save_template(ports, SaveTemplate(quote.id, " Starter bundle "))
    assert (template.name, template.groups, template.created_by) == (
        "Starter bundle",
        quote.content.groups,
        "sam",
    )
    assert store.templates[template.id] == template
    (_, entry) = store.audit
    assert (entry.entity_type, entry.entity_id, entry.action, entry.actor) == (
        "quote_template",
        template.id,
        "created",
        "sam",
    )
    assert entry.after == {
        "name": "Starter bundle",
        "quote_id": quote.id,
        "quote_version": 1,
        "groups": ["Hardware", "Services"],
    }


async def test_a_template_needs_a_name_and_a_quote_the_caller_may_see(
    ports: Ports, store: Store
) -> None:
    quote = await sams_quote(ports)
    for name in (" ", "n" * 201):
        with acting(SAM), pytest.raises(InvalidArgument) as refused:
            await save_template(ports, SaveTemplate(quote.id, name))
        assert [v.field for v in refused.value.violations] == ["name"]
    with acting(KIM), pytest.raises(PermissionDenied):
        await save_template(ports, SaveTemplate(quote.id, "Mine now"))
    assert store.templates == {}


async def test_templates_are_listed_by_name_a_page_at_a_time(ports: Ports) -> None:
    quote = await sams_quote(ports)
    with acting(SAM):
        for name in ("Zebra bundle", "Starter bundle", "Another bundle"):
            await save_template(ports, SaveTemplate(quote.id, name))
    names, token = [], ""
    while True:
        with acting(KIM):  # everyone who works quotes shares them
            page, token = await list_templates(ports, ListTemplates(2, token))
        names += [t.name for t in page]
        if not token:
            break
    assert names == ["Another bundle", "Starter bundle", "Zebra bundle"]
    with pytest.raises(InvalidArgument) as refused:
        await list_templates(ports, ListTemplates(page_token="bm90IGEgdG9rZW4="))
    assert [v.field for v in refused.value.violations] == ["page_token"]


async def test_open_quotes_expire_by_themselves_once_past_their_validity(
    ports: Ports, store: Store, clock: FakeClock
) -> None:
    sent, draft = await sams_quote(ports), await sams_quote(ports)
    with acting(SAM):
        await send_quote(ports, SendQuote(sent.id))
    with acting(EXPIRY):
        assert await expire_quotes(ports) == 0  # valid for 30 days from today
        clock.advance(timedelta(days=31))
        assert await expire_quotes(ports) == 2
        assert await expire_quotes(ports) == 0
    for quote in (sent, draft):
        assert store.quotes[quote.id].head.status is Status.EXPIRED
    expired = [e for e in store.published if isinstance(e, QuoteExpired)]
    assert expired == [QuoteExpired(q.id, 1, q.valid_until) for q in (sent, draft)]
    entries = [e for e in store.audit if e.action == "expired"]
    assert [(e.actor, e.after) for e in entries] == [("system:expiry", {"status": "expired"})] * 2


async def test_the_customer_copy_follows_orders_events(ports: Ports, store: Store) -> None:
    account = Customer("C-7", "Bolt & Co", "wholesale", "EUR", "14 days net")
    async with FakeUnitOfWork(store) as uow:
        await on_customer_changed(uow, account)  # a change may come first
    assert store.customers["C-7"] == account
    async with FakeUnitOfWork(store) as uow:
        await on_customer_registered(uow, Customer("C-7", "Bolt & Co", "", "USD", ""))
    with acting(SAM):
        wanted = content(LineInput(sku="W-1", quantity=1), customer_id="C-7", currency="")
        quote = await create_quote(ports, CreateQuote(wanted))
    assert quote.content.currency == "USD"
