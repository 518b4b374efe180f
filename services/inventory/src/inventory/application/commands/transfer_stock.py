"""TransferStock: units moved from one warehouse to another, never those reserved there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from inventory.application.known import require_products, require_warehouses
from inventory.application.ports import Catalog, ClientRequest, UnitOfWork
from inventory.application.queries.stock import StockPosition, read_level
from inventory.application.stock_book import StockBook
from inventory.domain.checks import check_transfer


@dataclass(frozen=True)
class TransferStock:
    source: str
    target: str
    product_id: str
    quantity: int
    reason: str = ""
    request: ClientRequest | None = None


@dataclass(frozen=True)
class Transfer:
    id: str
    source: StockPosition
    target: StockPosition


async def transfer_stock(uow: UnitOfWork, catalog: Catalog, command: TransferStock) -> Transfer:
    """The transfer and both levels after it (for a retry: the first transfer, levels now)."""
    c = command
    check_transfer(c.source, c.target, c.product_id, c.quantity, c.reason)
    await require_products(catalog, {"product_id": c.product_id})
    async with uow:
        transfer_id = await uow.requests.claim("transfer_stock", c.request)
        if transfer_id is None:
            transfer_id = str(uuid.uuid4())
            await _move(uow, transfer_id, c)
            await uow.requests.complete("transfer_stock", c.request, transfer_id)
        return Transfer(
            transfer_id,
            await read_level(uow, c.source, c.product_id),
            await read_level(uow, c.target, c.product_id),
        )


async def _move(uow: UnitOfWork, transfer_id: str, c: TransferStock) -> None:
    why = c.reason.strip() or "transfer"
    await require_warehouses(uow, c.source, c.target)
    await uow.lock_products([c.product_id])
    book = StockBook(uow)
    taken = await book.put(
        c.source,
        c.product_id,
        -c.quantity,
        kind="transfer_out",
        reason=why,
        reference=transfer_id,
        refusal=f"moving {c.quantity} units would leave warehouse {c.source} with less on "
        "hand than it has reserved",
    )
    given = await book.put(
        c.target, c.product_id, c.quantity, kind="transfer_in", reason=why, reference=transfer_id
    )
    await book.settle()
    await uow.audit.record(
        "stock",
        c.product_id,
        "transferred",
        before={
            "from": {"warehouse_id": c.source, "on_hand": taken.on_hand + c.quantity},
            "to": {"warehouse_id": c.target, "on_hand": given.on_hand - c.quantity},
        },
        after={
            "from": {"warehouse_id": c.source, "on_hand": taken.on_hand},
            "to": {"warehouse_id": c.target, "on_hand": given.on_hand},
            "quantity": c.quantity,
            "reason": why,
            "transfer_id": transfer_id,
        },
    )
