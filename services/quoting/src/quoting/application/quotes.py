"""Quote use cases: each write is one transaction with its event and its change-log entry, and
touches only quotes the caller may work (quoting.domain.rights)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.outbox import Outbox
from oms.events.v1 import quoting_pb2 as events
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from quoting.adapters import pdf
from quoting.adapters.catalog_client import CatalogClient
from quoting.adapters.repository import QuoteRepository
from quoting.application.customers import with_customer_defaults
from quoting.domain.content import build, check, price_requests, references
from quoting.domain.content import with_defaults as stored_form
from quoting.domain.limits import CONTENT_TEXTS, TEAM
from quoting.domain.model import Quote, Status
from servicekit.audit import AuditLog, changed
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.paging import newest_after, newest_page, page_limit
from servicekit.sales_reach import check_reach, reach_of, salesperson_for

# The change log's name for a quote.
QUOTE = "quote"


def today_utc() -> date:
    return datetime.now(UTC).date()


def _copy(content: pb.QuoteContent) -> pb.QuoteContent:
    copied = pb.QuoteContent()
    copied.CopyFrom(content)
    return copied


def _total(quote: Quote) -> Money:
    return Money(amount=quote.total, currency=quote.document.currency)


def audited(quote: Quote) -> dict[str, Any]:
    """What the change log keeps of a quote: its headline, not every line (versions keep those)."""
    return {
        "status": quote.status.value,
        "version": quote.version,
        "customer_id": quote.content.customer_id,
        "salesperson": quote.salesperson,
        "team": quote.team,
        "currency": quote.document.currency,
        "total": quote.total,
        "valid_until": quote.content.valid_until,
        "payment_terms": quote.content.payment_terms,
        "lines": sum(len(group.lines) for group in quote.document.groups),
        "converted_to": quote.converted_to,
        "converted_id": quote.converted_id,
        "rejection_reason": quote.rejection_reason,
    }


async def record_change(
    audit: AuditLog, session: AsyncSession, quote: Quote, action: str, before: dict[str, Any]
) -> None:
    """Logs what `action` changed of `quote` since `before` (an `audited` snapshot)."""
    was, now = changed(before, audited(quote))
    await audit.record(session, QUOTE, quote.id, action, before=was, after=now)


class Quotes:
    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        audit: AuditLog,
        catalog: CatalogClient,
        today: Callable[[], date] = today_utc,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
        self.catalog = catalog
        self.today = today

    async def _price(
        self, content: pb.QuoteContent, salesperson: str = ""
    ) -> tuple[pb.QuoteContent, pricing.PricedDocument]:
        """The content as stored (a template's groups first, the responsible salesperson given
        the caller and the current `salesperson`) and its priced document."""
        if content.template_id:
            content = await self._from_template(content)
        content = _copy(content)
        content.salesperson = salesperson_for(current_principal(), content.salesperson, salesperson)
        async with self.database.transaction() as session:
            await with_customer_defaults(session, content)
        today = self.today()
        check(content, today)
        content = stored_form(content, today)
        skus, ids = references(content)
        catalog = await self.catalog.items(skus, ids)
        prices = await self.catalog.prices(
            price_requests(content, catalog), content.customer_group, content.currency, today
        )
        return content, build(content, catalog, prices)

    async def _from_template(self, content: pb.QuoteContent) -> pb.QuoteContent:
        async with self.database.transaction() as session:
            found = await QuoteRepository(session).templates(content.template_id)
        if not found:
            raise InvalidArgument.of("template_id", f"no template {content.template_id}")
        merged = pb.QuoteContent()
        merged.CopyFrom(content)
        del merged.groups[:]
        merged.groups.extend([*found[0].groups, *content.groups])
        return merged

    async def create(self, content: pb.QuoteContent) -> Quote:
        caller = current_principal()
        if len(caller.team) > TEAM:
            raise InvalidArgument.of("team", f"the token's team claim is over {TEAM} characters")
        content, document = await self._price(content)
        now = datetime.now(UTC)
        quote = Quote(
            str(uuid.uuid4()), 1, 1, Status.DRAFT, content, document, now, caller.subject, now
        )
        quote.team = caller.team
        async with self.database.transaction() as session:
            await QuoteRepository(session).add(quote)
            created = events.QuoteCreated(
                quote_id=quote.id,
                customer_id=content.customer_id,
                salesperson=content.salesperson,
                total=_total(quote),
            )
            await self.outbox.add(session, created, key=quote.id)
            await self.audit.record(session, QUOTE, quote.id, "created", after=audited(quote))
        return quote

    async def get(self, quote_id: str, version: int = 0) -> Quote:
        """The quote (an earlier version when asked), if the caller may see it as it is now."""
        async with self.database.transaction() as session:
            repository = QuoteRepository(session)
            latest = await repository.get(quote_id)
            if latest is None:
                raise NotFound(f"quote {quote_id} not found")
            check_reach(current_principal(), f"quote {latest.id}", latest.salesperson, latest.team)
            if version in (0, latest.version):
                return latest
            quote = await repository.get(quote_id, version)
        if quote is None:
            raise NotFound(f"quote {quote_id} version {version} not found")
        return quote

    async def page(
        self, status: str, customer_id: str, salesperson: str, page_size: int, token: str
    ) -> tuple[list[Quote], str]:
        """The caller's visible quotes, newest first, filtered."""
        limit = page_limit(page_size)
        if status and status not in set(Status):
            raise InvalidArgument.of("status", f"one of {', '.join(Status)}")
        if len(salesperson) > CONTENT_TEXTS["salesperson"]:
            raise InvalidArgument.of("salesperson", "longer than any salesperson's name")
        after = newest_after(token)
        async with self.database.transaction() as session:
            found = await QuoteRepository(session).page(
                reach_of(current_principal()),
                (status, customer_id, salesperson),
                after,
                limit + 1,
            )
        return newest_page(found, limit)

    async def _change(
        self, quote_id: str, action: str, change: Callable[[Quote], Message | None]
    ) -> Quote:
        """Runs `change` on the locked quote, if the caller may work it; saves it, publishes the
        event `change` returns and logs `action`, all in one transaction."""
        async with self.database.transaction() as session:
            repository = QuoteRepository(session)
            quote = await repository.get(quote_id, for_update=True)
            if quote is None:
                raise NotFound(f"quote {quote_id} not found")
            check_reach(current_principal(), f"quote {quote.id}", quote.salesperson, quote.team)
            before = audited(quote)
            event = change(quote)
            quote.updated_at = datetime.now(UTC)
            await repository.save(quote, current_principal().subject)
            if event is not None:
                await self.outbox.add(session, event, key=quote.id)
            await record_change(self.audit, session, quote, action, before)
        return quote

    async def update(self, quote_id: str, content: pb.QuoteContent) -> Quote:
        current = await self.get(quote_id)
        content, document = await self._price(content, current.salesperson)
        return await self._change(
            quote_id, "updated", lambda quote: quote.update(content, document)
        )

    async def send(self, quote_id: str) -> Quote:
        def send(quote: Quote) -> Message:
            quote.send(self.today())
            return events.QuoteSent(
                quote_id=quote.id,
                version=quote.version,
                customer_id=quote.content.customer_id,
                total=_total(quote),
                valid_until=quote.content.valid_until,
            )

        return await self._change(quote_id, "sent", send)

    async def revise(self, quote_id: str, content: pb.QuoteContent | None) -> Quote:
        """A new version of `content`, or of the latest version's content repriced."""
        current = await self.get(quote_id)
        wanted = current.content if content is None else content
        content, document = await self._price(wanted, current.salesperson)

        def revise(quote: Quote) -> Message:
            previous = quote.version
            quote.revise(content, document)
            return events.QuoteRevised(
                quote_id=quote.id, version=quote.version, previous_version=previous
            )

        return await self._change(quote_id, "revised", revise)

    async def accept(self, quote_id: str, convert_to: str) -> Quote:
        def accept(quote: Quote) -> Message:
            target_id = quote.accept(convert_to, self.today())
            return events.QuoteAccepted(
                quote_id=quote.id,
                version=quote.version,
                customer_id=quote.content.customer_id,
                salesperson=quote.content.salesperson,
                convert_to=quote.converted_to,
                target_id=target_id,
                document=quote.document,
                payment_terms=quote.content.payment_terms,
                team=quote.team,
            )

        return await self._change(quote_id, "accepted", accept)

    async def reject(self, quote_id: str, reason: str) -> Quote:
        def reject(quote: Quote) -> Message:
            quote.reject(reason)
            return events.QuoteRejected(quote_id=quote.id, version=quote.version, reason=reason)

        return await self._change(quote_id, "rejected", reject)

    async def render(self, quote_id: str, version: int) -> tuple[bytes, str]:
        quote = await self.get(quote_id, version)
        return pdf.render(quote), f"quote-{quote.id[:8]}-v{quote.version}.pdf"
