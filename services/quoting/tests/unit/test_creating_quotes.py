"""Drafting quotes on fakes: priced from the catalog, for whom, from what, or refused whole."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from pricing.document import Discount
from pricing.money import Money
from quoting.application.commands.create_quote import CreateQuote, create_quote
from quoting.application.ports import Ports
from quoting.domain.content import LineInput, UnitPrice
from quoting.domain.customer import Customer
from quoting.domain.events import QuoteCreated
from quoting.domain.model import Status
from quoting.domain.template import Template
from servicekit.context import Principal, acting
from servicekit.errors import InvalidArgument, PermissionDenied
from services.quoting.tests.builders import NOW, content, rich_content
from services.quoting.tests.unit.conftest import NINA, SAM
from services.quoting.tests.unit.fakes import AuditEntry, FakeCatalog, Store

WIDGETS = content(LineInput(sku="W-1", quantity=3), salesperson="")


async def test_a_quote_is_priced_stored_announced_and_logged(ports: Ports, store: Store) -> None:
    with acting(SAM):
        quote = await create_quote(ports, CreateQuote(WIDGETS))
    assert (quote.status, quote.version, quote.salesperson, quote.team) == (
        Status.DRAFT,
        1,
        "sam",
        "north",
    )
    assert (quote.created_by, quote.created_at, quote.content.valid_until) == (
        "sam",
        NOW,
        "2026-12-25",  # 30 days from today, as nothing was asked
    )
    assert quote.total == Money(Decimal("30.00"), "EUR")
    assert store.quotes[quote.id].head == quote
    assert store.published == [QuoteCreated(quote.id, "C-1", "sam", quote.total)]
    (entry,) = store.audit
    assert (entry.entity_type, entry.action, entry.actor, entry.before) == (
        "quote",
        "created",
        "sam",
        None,
    )
    assert entry.after is not None
    assert (entry.after["status"], entry.after["total"], entry.after["team"]) == (
        "draft",
        "30.00",
        "north",
    )


async def test_a_manager_names_the_salesperson_a_salesperson_only_themselves(
    ports: Ports, store: Store
) -> None:
    for_kim = replace(WIDGETS, salesperson=" kim ")
    with acting(NINA):
        assigned = await create_quote(ports, CreateQuote(for_kim))
    assert (assigned.salesperson, assigned.created_by, assigned.team) == ("kim", "nina", "north")
    with acting(SAM), pytest.raises(PermissionDenied) as refused:
        await create_quote(ports, CreateQuote(for_kim))
    assert [v.field for v in refused.value.violations] == ["salesperson"]
    assert len(store.quotes) == 1


async def test_a_team_claim_longer_than_kept_is_refused(ports: Ports, store: Store) -> None:
    with acting(Principal("sam", ("sales",), team="t" * 101)), pytest.raises(InvalidArgument):
        await create_quote(ports, CreateQuote(WIDGETS))
    assert store.quotes == {}


async def test_bad_content_is_refused_before_the_catalog_is_asked(
    ports: Ports, store: Store, catalog: FakeCatalog
) -> None:
    wanted = content(
        LineInput(sku="W-1", quantity=0),
        LineInput(description="fee", quantity=1, unit_price=UnitPrice("5", "USD")),
    )
    with acting(SAM), pytest.raises(InvalidArgument) as refused:
        await create_quote(ports, CreateQuote(wanted))
    assert [v.field for v in refused.value.violations] == [
        "groups[0].lines[0].quantity",
        "groups[0].lines[1].unit_price.currency",
    ]
    assert (catalog.asked, store.quotes, store.published, store.audit) == ([], {}, [], [])


async def test_lines_the_catalog_cannot_price_are_named_and_nothing_is_stored(
    ports: Ports, store: Store
) -> None:
    wanted = content(LineInput(sku="NOPE", quantity=1), LineInput(sku="O-1", quantity=1))
    with acting(SAM), pytest.raises(InvalidArgument) as refused:
        await create_quote(ports, CreateQuote(wanted))
    assert [v.field for v in refused.value.violations] == [
        "groups[0].lines[0].sku",
        "groups[0].lines[1].sku",
    ]
    assert (store.quotes, store.published) == ({}, [])


async def test_a_known_customer_brings_its_group_currency_and_payment_terms(
    ports: Ports, store: Store, catalog: FakeCatalog
) -> None:
    store.customers["C-9"] = Customer("C-9", "Bolt & Co", "wholesale", "EUR", "14 days net")
    wanted = content(LineInput(sku="W-1", quantity=10), customer_id=" C-9 ", currency="")
    with acting(SAM):
        quote = await create_quote(ports, CreateQuote(wanted))
    assert (quote.content.customer_group, quote.content.payment_terms, quote.content.currency) == (
        "wholesale",
        "14 days net",
        "EUR",
    )
    assert catalog.asked[-1] == ("prices", ({("p-w", 10)}, "wholesale", "EUR", NOW.date()))
    explicit = replace(wanted, payment_terms="cash", customer_group="retail")
    with acting(SAM):
        kept = await create_quote(ports, CreateQuote(explicit))
    assert (kept.content.customer_group, kept.content.payment_terms) == ("retail", "cash")


async def test_a_template_gives_its_groups_first(ports: Ports, store: Store) -> None:
    groups = rich_content().groups
    store.templates["t-1"] = Template("t-1", "Starter", groups, NOW, "sam")
    wanted = replace(WIDGETS, template_id="t-1")
    with acting(SAM):
        quote = await create_quote(ports, CreateQuote(wanted))
    assert [g.name for g in quote.content.groups] == ["Hardware", "Services", "Main"]
    assert quote.content.template_id == ""
    with acting(SAM), pytest.raises(InvalidArgument) as refused:
        await create_quote(ports, CreateQuote(replace(WIDGETS, template_id="t-2")))
    assert [v.field for v in refused.value.violations] == ["template_id"]


async def test_the_change_log_names_who_created_it(ports: Ports, store: Store) -> None:
    with acting(NINA):
        quote = await create_quote(ports, CreateQuote(replace(WIDGETS, salesperson="kim")))
    assert [(e.action, e.actor) for e in store.audit] == [("created", "nina")]
    assert isinstance(store.audit[0], AuditEntry)
    assert store.audit[0].entity_id == quote.id


async def test_a_discount_larger_than_its_line_is_refused_naming_it_not_clamped(
    ports: Ports, store: Store
) -> None:
    greedy = content(LineInput(sku="W-1", quantity=3, discount=Discount(amount="30.01")))
    with acting(SAM), pytest.raises(InvalidArgument) as refused:
        await create_quote(ports, CreateQuote(greedy))
    assert [v.field for v in refused.value.violations] == ["groups[0].lines[0].discount"]
    assert store.quotes == {}
    whole = content(LineInput(sku="W-1", quantity=3, discount=Discount(amount="30.00")))
    with acting(SAM):
        quote = await create_quote(ports, CreateQuote(whole))
    assert quote.total == Money(Decimal("0.00"), "EUR")
