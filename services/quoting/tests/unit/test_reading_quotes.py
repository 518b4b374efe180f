"""Reading quotes on fakes: one (or an earlier version), a page of those the caller may see, and
the printable quote."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quoting.application.commands.create_quote import CreateQuote, create_quote
from quoting.application.commands.revise_quote import ReviseQuote, revise_quote
from quoting.application.commands.send_quote import SendQuote, send_quote
from quoting.application.ports import Ports
from quoting.application.queries.get_quote import GetQuote, get_quote
from quoting.application.queries.list_quotes import ListQuotes, list_quotes
from quoting.application.queries.render_quote import RenderQuote, render_quote
from quoting.domain.content import LineInput
from quoting.domain.model import Quote
from servicekit.context import Principal, acting
from servicekit.errors import InvalidArgument, NotFound, PermissionDenied
from services.quoting.tests.builders import content
from services.quoting.tests.unit.conftest import KIM, NINA, ODETTE, SAM, SOL
from services.quoting.tests.unit.fakes import FakeClock


async def made_by(ports: Ports, who: Principal, clock: FakeClock, customer: str = "C-1") -> Quote:
    clock.advance(timedelta(seconds=1))  # one after the other, newest last
    with acting(who):
        wanted = content(LineInput(sku="W-1", quantity=1), salesperson="", customer_id=customer)
        return await create_quote(ports, CreateQuote(wanted))


async def test_a_quote_and_its_earlier_versions_are_read_by_who_may_see_it(
    ports: Ports, clock: FakeClock
) -> None:
    quote = await made_by(ports, SAM, clock)
    with acting(SAM):
        await send_quote(ports, SendQuote(quote.id))
        revised = await revise_quote(ports, ReviseQuote(quote.id))
        assert await get_quote(ports, GetQuote(quote.id)) == revised
        assert await get_quote(ports, GetQuote(quote.id, 2)) == revised
        first = await get_quote(ports, GetQuote(quote.id, 1))
        with pytest.raises(NotFound):
            await get_quote(ports, GetQuote(quote.id, 3))
        with pytest.raises(NotFound):
            await get_quote(ports, GetQuote("no-such-quote"))
    assert (first.version, first.latest_version, first.document) == (1, 2, quote.document)
    for reader in (ODETTE, NINA):
        with acting(reader):
            assert (await get_quote(ports, GetQuote(quote.id))).id == quote.id
    for outsider in (KIM, SOL):
        with acting(outsider), pytest.raises(PermissionDenied):
            await get_quote(ports, GetQuote(quote.id, 1))


async def test_lists_hold_what_the_caller_may_see_newest_first_a_page_at_a_time(
    ports: Ports, clock: FakeClock
) -> None:
    sams = await made_by(ports, SAM, clock)
    kims = await made_by(ports, KIM, clock, "C-2")
    souths = await made_by(ports, SOL, clock)

    async def listed(who: Principal, **query: str | int) -> list[str]:
        with acting(who):
            found, _ = await list_quotes(ports, ListQuotes(**query))  # type: ignore[arg-type]
        return [q.id for q in found]

    assert await listed(KIM) == [kims.id]
    assert await listed(KIM, salesperson="sam") == []
    assert await listed(NINA) == [kims.id, sams.id]
    assert await listed(SOL) == [souths.id]
    assert await listed(ODETTE) == [souths.id, kims.id, sams.id]
    assert await listed(ODETTE, customer_id="C-2") == [kims.id]
    assert await listed(ODETTE, status="sent") == []
    seen, token = [], ""
    while True:
        with acting(ODETTE):
            page, token = await list_quotes(ports, ListQuotes(page_size=2, page_token=token))
        seen += [q.id for q in page]
        if not token:
            break
    assert seen == [souths.id, kims.id, sams.id]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (ListQuotes(page_size=201), "page_size"),
        (ListQuotes(page_token="not-a-token"), "page_token"),
        (ListQuotes(status="lost"), "status"),
        (ListQuotes(salesperson="s" * 201), "salesperson"),
    ],
)
async def test_list_queries_are_bounded(ports: Ports, query: ListQuotes, field: str) -> None:
    with acting(ODETTE), pytest.raises(InvalidArgument) as refused:
        await list_quotes(ports, query)
    assert [v.field for v in refused.value.violations] == [field]


async def test_a_quote_renders_under_its_number_and_version(ports: Ports, clock: FakeClock) -> None:
    quote = await made_by(ports, SAM, clock)
    again = await made_by(ports, SAM, clock)
    year = quote.created_at.year
    # Numbered without gaps per year, as they were made.
    assert (quote.number, again.number) == (f"Q-{year}-000001", f"Q-{year}-000002")
    with acting(SAM):
        rendered = await render_quote(ports, RenderQuote(quote.id))
    assert rendered.pdf.startswith(b"%PDF-")
    assert rendered.filename == f"quote-{quote.number}-v1.pdf"
    with acting(KIM), pytest.raises(PermissionDenied):
        await render_quote(ports, RenderQuote(quote.id))
