"""Approving large discounts on fakes: who may decide, what is saved, announced and logged, and
how a manager finds what waits for them."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from pricing.document import Discount
from quoting.application.commands.create_quote import CreateQuote, create_quote
from quoting.application.commands.decide_quote_discount import (
    DecideQuoteDiscount,
    decide_quote_discount,
)
from quoting.application.commands.send_quote import SendQuote, send_quote
from quoting.application.commands.update_quote import UpdateQuote, update_quote
from quoting.application.ports import Ports
from quoting.application.queries.list_quotes import ListQuotes, list_quotes
from quoting.domain.approval import ApprovalStatus
from quoting.domain.content import LineInput
from quoting.domain.events import QuoteApprovalRequested, QuoteCreated, QuoteDiscountDecided
from quoting.domain.model import Quote
from servicekit.context import Principal, acting
from servicekit.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.quoting.tests.builders import content
from services.quoting.tests.unit.conftest import KIM, NINA, ODETTE, SAM, SOL
from services.quoting.tests.unit.fakes import Store

ADMIN = Principal("ada", ("admin",))


def widgets(percent: str) -> CreateQuote:
    line = LineInput(sku="W-1", quantity=2, discount=Discount(percent=percent))
    return CreateQuote(content(line, salesperson=""))


async def quote_of(ports: Ports, who: Principal, percent: str = "35") -> Quote:
    with acting(who):
        return await create_quote(ports, widgets(percent))


async def test_a_team_manager_approves_a_big_discount_and_it_is_saved_announced_and_logged(
    ports: Ports, store: Store
) -> None:
    quote = await quote_of(ports, SAM)
    assert quote.approval.status is ApprovalStatus.PENDING
    assert quote.approval.reason == ("line 1: 35% off is above the 20% that needs approval")
    with acting(SAM), pytest.raises(FailedPrecondition):
        await send_quote(ports, SendQuote(quote.id))
    with acting(NINA):
        approved = await decide_quote_discount(
            ports, DecideQuoteDiscount(quote.id, "approve", "once")
        )
    assert (approved.approval.status, approved.approval.decided_by) == (
        ApprovalStatus.APPROVED,
        "nina",
    )
    with acting(SAM):
        sent = await send_quote(ports, SendQuote(quote.id))
    assert sent.approval.note == "once"  # kept
    assert [type(e) for e in store.published[:3]] == [
        QuoteCreated,
        QuoteApprovalRequested,
        QuoteDiscountDecided,
    ]
    decided = [e for e in store.audit if e.action == "discount approved"]
    assert [(e.actor, e.before, e.after) for e in decided] == [
        (
            "nina",
            {"approval": "pending", "approval_decided_by": "", "approval_note": ""},
            {"approval": "approved", "approval_decided_by": "nina", "approval_note": "once"},
        )
    ]


@pytest.mark.parametrize(
    "who",
    [SAM, KIM, SOL, ODETTE],
    ids=["its salesperson", "another salesperson", "another team's manager", "the order desk"],
)
async def test_only_a_manager_within_reach_decides(
    ports: Ports, store: Store, who: Principal
) -> None:
    quote = await quote_of(ports, SAM)
    with acting(who), pytest.raises(PermissionDenied):
        await decide_quote_discount(ports, DecideQuoteDiscount(quote.id, "approve"))
    assert store.quotes[quote.id].head.approval.status is ApprovalStatus.PENDING


async def test_a_manager_never_decides_on_their_own_quote(ports: Ports, store: Store) -> None:
    quote = await quote_of(ports, NINA)
    with acting(NINA), pytest.raises(PermissionDenied):
        await decide_quote_discount(ports, DecideQuoteDiscount(quote.id, "approve"))
    with acting(ADMIN):
        rejected = await decide_quote_discount(ports, DecideQuoteDiscount(quote.id, "reject"))
    assert rejected.approval.status is ApprovalStatus.REJECTED


async def test_deciding_what_is_not_pending_is_refused(ports: Ports) -> None:
    quote = await quote_of(ports, SAM, percent="5")
    assert quote.approval.status is ApprovalStatus.NOT_REQUIRED
    with acting(NINA), pytest.raises(FailedPrecondition):
        await decide_quote_discount(ports, DecideQuoteDiscount(quote.id, "approve"))


async def test_a_quote_brought_under_the_threshold_needs_no_approval(ports: Ports) -> None:
    quote = await quote_of(ports, SAM)
    with acting(SAM):
        changed = await update_quote(ports, UpdateQuote(quote.id, widgets("10").content))
        await send_quote(ports, SendQuote(quote.id))
    assert changed.approval.status is ApprovalStatus.NOT_REQUIRED


async def test_the_threshold_comes_from_the_settings(ports: Ports) -> None:
    generous = replace(ports, approval_above=Decimal(50))
    quote = await quote_of(generous, SAM)
    assert quote.approval.status is ApprovalStatus.NOT_REQUIRED


async def test_a_manager_lists_what_waits_for_their_approval(ports: Ports) -> None:
    waiting = await quote_of(ports, SAM)
    await quote_of(ports, KIM, percent="5")
    elsewhere = await quote_of(ports, Principal("sue", ("sales",), team="south"))
    with acting(NINA):
        found, _ = await list_quotes(ports, ListQuotes(approval="pending"))
        assert [q.id for q in found] == [waiting.id]
        with pytest.raises(InvalidArgument):
            await list_quotes(ports, ListQuotes(approval="maybe"))
    with acting(SOL):
        found, _ = await list_quotes(ports, ListQuotes(approval="pending"))
        assert [q.id for q in found] == [elsewhere.id]
