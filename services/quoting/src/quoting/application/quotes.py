"""Quote use cases: each write is one transaction with its event."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from google.protobuf.message import Message
from sqlalchemy.exc import SQLAlchemyError

from messaging.outbox import Outbox
from oms.events.v1 import quoting_pb2 as events
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from quoting.adapters import pdf
from quoting.adapters.catalog_client import CatalogClient
from quoting.adapters.repository import QuoteRepository
from quoting.application.customers import with_customer_defaults
from quoting.domain.model import Quote, Status, build, check, price_requests, references
from quoting.domain.model import with_defaults as stored_form
from servicekit.context import Principal, acting, current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.paging import newest_page, page_after, page_limit

log = logging.getLogger(__name__)
EXPIRY_BATCH = 100


def _today() -> date:
    return datetime.now(UTC).date()


def _copy(content: pb.QuoteContent) -> pb.QuoteContent:
    copied = pb.QuoteContent()
    copied.CopyFrom(content)
    return copied


def _total(quote: Quote) -> Money:
    return Money(amount=quote.total, currency=quote.document.currency)


class Quotes:
    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        catalog: CatalogClient,
        today: Callable[[], date] = _today,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.catalog = catalog
        self.today = today

    async def _price(
        self, content: pb.QuoteContent
    ) -> tuple[pb.QuoteContent, pricing.PricedDocument]:
        """The content as stored (a template's groups first) and its priced document."""
        if content.template_id:
            content = await self._from_template(content)
        content = _copy(content)
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
        content, document = await self._price(content)
        now, actor = datetime.now(UTC), current_principal().subject
        quote = Quote(str(uuid.uuid4()), 1, 1, Status.DRAFT, content, document, now, actor, now)
        async with self.database.transaction() as session:
            await QuoteRepository(session).add(quote)
            created = events.QuoteCreated(
                quote_id=quote.id,
                customer_id=content.customer_id,
                salesperson=content.salesperson,
                total=_total(quote),
            )
            await self.outbox.add(session, created, key=quote.id)
        return quote

    async def get(self, quote_id: str, version: int = 0) -> Quote:
        async with self.database.transaction() as session:
            quote = await QuoteRepository(session).get(quote_id, version)
        if quote is None:
            raise NotFound(f"quote {quote_id}{f' version {version}' if version else ''} not found")
        return quote

    async def page(
        self, status: str, customer_id: str, salesperson: str, page_size: int, token: str
    ) -> tuple[list[Quote], str]:
        limit = page_limit(page_size)
        if status and status not in set(Status):
            raise InvalidArgument.of("status", f"one of {', '.join(Status)}")
        async with self.database.transaction() as session:
            found = await QuoteRepository(session).page(
                status, customer_id, salesperson, page_after(token, 2), limit + 1
            )
        return newest_page(found, limit)

    async def _change(self, quote_id: str, change: Callable[[Quote], Message | None]) -> Quote:
        """Runs `change` on the locked quote, saves it and publishes the event `change` returns,
        all in one transaction."""
        async with self.database.transaction() as session:
            repository = QuoteRepository(session)
            quote = await repository.get(quote_id, for_update=True)
            if quote is None:
                raise NotFound(f"quote {quote_id} not found")
            event = change(quote)
            quote.updated_at = datetime.now(UTC)
            await repository.save(quote, current_principal().subject)
            if event is not None:
                await self.outbox.add(session, event, key=quote.id)
        return quote

    async def update(self, quote_id: str, content: pb.QuoteContent) -> Quote:
        content, document = await self._price(content)
        return await self._change(quote_id, lambda quote: quote.update(content, document))

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

        return await self._change(quote_id, send)

    async def revise(self, quote_id: str, content: pb.QuoteContent | None) -> Quote:
        if content is None:
            content = (await self.get(quote_id)).content
        content, document = await self._price(content)

        def revise(quote: Quote) -> Message:
            previous = quote.version
            quote.revise(content, document)
            return events.QuoteRevised(
                quote_id=quote.id, version=quote.version, previous_version=previous
            )

        return await self._change(quote_id, revise)

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
            )

        return await self._change(quote_id, accept)

    async def reject(self, quote_id: str, reason: str) -> Quote:
        def reject(quote: Quote) -> Message:
            quote.reject(reason)
            return events.QuoteRejected(quote_id=quote.id, version=quote.version, reason=reason)

        return await self._change(quote_id, reject)

    async def expire_due(self) -> int:
        """Expires open quotes past their validity date; how many it expired."""
        today, expired = self.today(), 0
        async with self.database.transaction() as session:
            repository = QuoteRepository(session)
            for quote_id in await repository.open_past_validity(today, EXPIRY_BATCH):
                quote = await repository.get(quote_id)
                if quote is None or not quote.expire(today):
                    continue
                quote.updated_at = datetime.now(UTC)
                await repository.save(quote, "system:expiry")
                event = events.QuoteExpired(
                    quote_id=quote.id, version=quote.version, valid_until=quote.content.valid_until
                )
                await self.outbox.add(session, event, key=quote.id)
                expired += 1
        return expired

    async def expire_forever(self, interval_seconds: float) -> None:
        """The expiry loop: quotes expire by themselves once their validity date passes."""
        while True:
            try:
                with acting(Principal("system:expiry", ("system",))):
                    if expired := await self.expire_due():
                        log.info("expired %d quotes", expired)
            except SQLAlchemyError:
                log.exception("expiring quotes failed; retrying")
            await asyncio.sleep(interval_seconds)

    async def save_template(self, quote_id: str, name: str) -> pb.Template:
        if not name.strip() or len(name) > 200:
            raise InvalidArgument.of("name", "1-200 characters")
        quote = await self.get(quote_id)
        template_id, now = str(uuid.uuid4()), datetime.now(UTC)
        async with self.database.transaction() as session:
            repository = QuoteRepository(session)
            await repository.add_template(
                template_id,
                name.strip(),
                list(quote.content.groups),
                now,
                current_principal().subject,
            )
            (template,) = await repository.templates(template_id)
        return template

    async def templates(self) -> list[pb.Template]:
        async with self.database.transaction() as session:
            return await QuoteRepository(session).templates()

    async def render(self, quote_id: str, version: int) -> tuple[bytes, str]:
        quote = await self.get(quote_id, version)
        return pdf.render(quote), f"quote-{quote.id[:8]}-v{quote.version}.pdf"
