"""Credit notes as callers read them: one, or a page newest (highest number) first."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from billing.application.reading import credit_note_of
from billing.domain.credit_notes import CreditNote
from servicekit.paging import keyed_page, page_start


async def get_credit_note(uow: UnitOfWork, credit_note_id: str) -> CreditNote:
    async with uow:
        return await credit_note_of(uow, credit_note_id)


async def list_credit_notes(
    uow: UnitOfWork, order_id: str, customer_id: str, page_size: int, page_token: str
) -> tuple[list[CreditNote], str]:
    limit, before = page_start(page_size, page_token)
    async with uow:
        found = await uow.credit_notes.page(order_id, customer_id, before, limit + 1)
    return keyed_page(found, limit, lambda note: (note.number,))
