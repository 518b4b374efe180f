"""ReceiveGoods: goods arrive in a warehouse (against a purchase order when it names one): on
hand, counted against the purchase order, announced, and given to backorders first."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from inventory.application.known import require_products, require_warehouses
from inventory.application.ports import Catalog, ClientRequest, UnitOfWork
from inventory.application.stock_book import StockBook
from inventory.domain.checks import check_receipt
from inventory.domain.events import ReceivedLine
from inventory.domain.receipt import Receipt, refused_units
from servicekit.context import current_principal
from servicekit.errors import FailedPrecondition, FieldViolation


@dataclass(frozen=True)
class ReceiveGoods:
    warehouse_id: str
    purchase_order_id: str
    # (product id, units)
    lines: Sequence[tuple[str, int]]
    # The receipt's own id; empty: a new one.
    receipt_id: str = ""
    request: ClientRequest | None = None


def products_of(lines: Sequence[tuple[str, int]]) -> dict[str, str]:
    """Field -> product id, to name the lines whose product the catalog does not have."""
    return {f"lines[{i}].product_id": product_id for i, (product_id, _) in enumerate(lines)}


async def receive_goods(uow: UnitOfWork, catalog: Catalog, command: ReceiveGoods) -> Receipt:
    """The receipt (for a retry, or a receipt id received already: the first one)."""
    c = command
    check_receipt(c.warehouse_id, c.lines, c.purchase_order_id, c.receipt_id)
    await require_products(catalog, products_of(c.lines))
    receipt = Receipt(
        c.receipt_id.strip() or str(uuid.uuid4()),
        c.warehouse_id,
        c.purchase_order_id.strip(),
        [ReceivedLine(p, q) for p, q in c.lines],
        datetime.now(UTC),
        current_principal().subject,
    )
    async with uow:
        done = await uow.requests.claim("receive_goods", c.request)
        if done is None:
            await require_warehouses(uow, c.warehouse_id)
            await uow.lock_products(p for p, _ in c.lines)
            await _refuse_cancelled(uow, receipt)
            if await uow.receipts.add(receipt):
                await _put_away(uow, receipt)
                await uow.requests.complete("receive_goods", c.request, receipt.id)
                return receipt
        found = await uow.receipts.get(done or receipt.id)
        assert found is not None
        return found


async def _refuse_cancelled(uow: UnitOfWork, receipt: Receipt) -> None:
    """FailedPrecondition, by line, for units of a purchase order's line it cancelled."""
    if not receipt.purchase_order_id:
        return
    expected = await uow.expected_goods.lines_of(receipt.purchase_order_id)
    problems = []
    for i, line in enumerate(receipt.lines):
        units = expected.get(line.product_id)
        if units is None:
            continue
        why = refused_units(receipt.purchase_order_id, line.product_id, line.quantity, units)
        if why:
            problems.append(FieldViolation(f"lines[{i}].quantity", why))
    if problems:
        raise FailedPrecondition(problems[0].description, tuple(problems))


async def _put_away(uow: UnitOfWork, receipt: Receipt) -> None:
    """The receipt's goods on hand, counted against its purchase order, announced, logged."""
    book = StockBook(uow)
    order = receipt.purchase_order_id
    for line in receipt.lines:
        await book.put(
            receipt.warehouse_id,
            line.product_id,
            line.quantity,
            kind="receipt",
            reason=receipt.reason,
            reference=receipt.id,
        )
        if order:
            await uow.expected_goods.count_received(
                order, receipt.warehouse_id, line.product_id, line.quantity
            )
    await uow.publish(receipt.received())
    await book.settle()
    await uow.audit.record(
        "receipt",
        receipt.id,
        "received",
        after={
            "warehouse_id": receipt.warehouse_id,
            "purchase_order_id": order,
            "lines": [{"product_id": x.product_id, "quantity": x.quantity} for x in receipt.lines],
        },
    )
