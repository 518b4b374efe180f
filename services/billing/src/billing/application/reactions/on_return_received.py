"""ReturnReceived: the units returned credited at the order's prices, once per return (a return
received again, even with a new event id, credits nothing more); one whose invoice is not issued
yet waits for it."""

from __future__ import annotations

from billing.application.crediting import credit_return
from billing.application.ports import UnitOfWork
from billing.domain.returns import Return


async def on_return_received(uow: UnitOfWork, back: Return) -> None:
    """Raises CannotCredit for a return that can never match its order."""
    if not await uow.returns.claim(back):
        return
    await credit_return(uow, back, retrying=False)
