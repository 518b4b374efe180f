"""ReturnAuthorized: a copy of the return orders authorised, for ReceiveReturn."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from inventory.application.ports import UnitOfWork
from inventory.domain.events import ShippedLine
from inventory.domain.returns import Return

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReturnAuthorized:
    return_id: str
    order_id: str
    reason: str
    lines: Sequence[ShippedLine]
    authorized_at: datetime


async def on_return_authorized(uow: UnitOfWork, authorized: ReturnAuthorized) -> None:
    a = authorized
    copy = Return.authorize(a.return_id, a.order_id, a.reason, a.lines, a.authorized_at)
    if not await uow.returns.add(copy):
        log.info("return %s is known already", a.return_id)
