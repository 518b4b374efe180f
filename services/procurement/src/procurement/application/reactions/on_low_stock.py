"""inventory's stock of a product in a warehouse ran low: when a reorder rule covers it and
stock is at or below the rule's minimum, the preferred supplier's newest draft for that
warehouse orders up to the maximum (the line added, or raised but never lowered), or a new
draft does. Alerts for one supplier take turns (the supplier is locked), so two never make two
drafts; an alert at a level already ordered for finds the line large enough."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from procurement.application.changes import PURCHASE_ORDER, order_fields
from procurement.application.order_changes import add_order
from procurement.application.order_pricing import prices_agreed
from procurement.application.ports import Clock, UnitOfWork, UnusableEvent
from procurement.domain.contracts import AgreedPrice
from procurement.domain.order_content import OrderContent, replenishment_document
from procurement.domain.purchase_orders import PurchaseOrder, Source
from procurement.domain.reorder import ReorderRule
from servicekit.changes import changed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LowStock:
    product_id: str
    warehouse_id: str
    available: int


async def on_low_stock(uow: UnitOfWork, clock: Clock, event: LowStock) -> None:
    rule = await uow.reorder_rules.get(event.product_id, event.warehouse_id)
    if rule is None:
        log.info("no reorder rule for %s in %s", event.product_id, event.warehouse_id)
        return
    quantity = rule.quantity_for(event.available)
    if quantity <= 0:
        return
    # Locking the supplier lets one alert at a time find (or make) its open draft.
    supplier = await uow.suppliers.get(rule.supplier_id, for_update=True)
    if supplier is None:
        raise UnusableEvent(f"the reorder rule names an unknown supplier {rule.supplier_id}")
    now = clock.now()
    agreed = await prices_agreed(uow, supplier.id, supplier.currency, now.date())
    price = agreed.get(rule.product_id) or AgreedPrice(rule.unit_price, rule.price_rule)
    draft = await uow.purchase_orders.open_draft(supplier.id, rule.warehouse_id, supplier.currency)
    if draft is not None:
        await _extend(uow, draft, rule, quantity, price, now)
        return
    content = OrderContent(
        supplier_id=supplier.id,
        warehouse_id=rule.warehouse_id,
        currency=supplier.currency,
        expected_on=(now.date() + timedelta(days=rule.lead_time_days)).isoformat(),
        payment_terms=supplier.payment_terms,
        notes="drafted by a reorder rule when stock ran low",
    )
    document = replenishment_document(supplier.currency, rule.product_id, rule.sku, quantity, price)
    await add_order(uow, content, document, Source.REORDER, now)


async def _extend(
    uow: UnitOfWork,
    draft: PurchaseOrder,
    rule: ReorderRule,
    quantity: int,
    price: AgreedPrice,
    now: datetime,
) -> None:
    """Orders `quantity` of the rule's product on the supplier's open draft."""
    before = order_fields(draft)
    if draft.replenish(rule.product_id, rule.sku, quantity, price):
        draft.updated_at = now
        await uow.purchase_orders.save(draft)
        old, new = changed(before, order_fields(draft))
        await uow.changes.record(PURCHASE_ORDER, draft.id, "replenished", before=old, after=new)
