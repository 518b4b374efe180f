"""The order desk's saved views: a named filter set per user."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from servicekit.errors import NotFound
from web.application.ports import UnitsOfWork
from web.domain.users import UserId
from web.domain.views import SavedView, ViewId, check_view, clean_filters


async def save_view(
    units: UnitsOfWork, user_id: UserId, name: str, filters: dict[str, str]
) -> SavedView:
    kept = clean_filters(filters)
    check_view(name, kept)
    view = SavedView(ViewId(str(uuid.uuid4())), user_id, name.strip(), kept)
    async with units() as uow:
        await uow.views.add(view)
    return view


async def views_of(units: UnitsOfWork, user_id: UserId) -> Sequence[SavedView]:
    async with units() as uow:
        return await uow.views.of_user(user_id)


async def delete_view(units: UnitsOfWork, user_id: UserId, view_id: ViewId) -> None:
    """Only the user's own view; NotFound otherwise."""
    async with units() as uow:
        if not await uow.views.delete(user_id, view_id):
            raise NotFound(f"no saved view {view_id}")
