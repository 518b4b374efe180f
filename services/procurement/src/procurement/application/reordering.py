"""Reorder rules, and what a low-stock alert from inventory does with them: a draft purchase
order for the preferred supplier, or the supplier's open draft for that warehouse extended."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from oms.events.v1 import inventory_pb2
from oms.procurement.v1 import procurement_pb2 as pb
from procurement.adapters.purchase_orders import PurchaseOrderRepository
from procurement.adapters.repository import RuleRepository, SupplierRepository
from procurement.application.changes import PURCHASE_ORDER, REORDER_RULE, order_fields, rule_change
from procurement.application.contracts import prices_agreed
from procurement.application.purchase_orders import add_order
from procurement.application.suppliers import utc_now
from procurement.domain.contracts import AgreedPrice
from procurement.domain.order_content import replenishment_document
from procurement.domain.purchase_orders import PurchaseOrder, Source
from procurement.domain.reorder import ReorderRule, new_rule
from servicekit.audit import AuditLog, changed
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.paging import keyed_page, page_after, page_limit

log = logging.getLogger(__name__)


class Reordering:
    def __init__(
        self, database: Database, audit: AuditLog, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.database = database
        self.audit = audit
        self.clock = clock

    async def set_rule(self, request: pb.SetReorderRuleRequest) -> ReorderRule:
        async with self.database.transaction() as session:
            supplier = await SupplierRepository(session).get(request.supplier_id)
            rule = new_rule(request, supplier, self.clock(), current_principal().subject)
            repository = RuleRepository(session)
            earlier = await repository.get(rule.product_id, rule.warehouse_id, for_update=True)
            await repository.put(rule)
            recorded = rule_change(earlier, rule)
            if recorded is not None:
                before, after = recorded
                await self.audit.record(
                    session, REORDER_RULE, rule.product_id, "set", before=before, after=after
                )
        return rule

    async def page(self, request: pb.ListReorderRulesRequest) -> tuple[list[ReorderRule], str]:
        """By warehouse and product, a page at a time."""
        limit = page_limit(request.page_size)
        key = page_after(request.page_token, 2)
        filters = {
            "warehouse_id": request.warehouse_id,
            "product_id": request.product_id,
            "supplier_id": request.supplier_id,
        }
        async with self.database.transaction() as session:
            found = await RuleRepository(session).page(
                filters, (key[0], key[1]) if key else None, limit + 1
            )
        return keyed_page(found, limit, lambda rule: (rule.warehouse_id, rule.product_id))

    async def on_low_stock(
        self, session: AsyncSession, event: inventory_pb2.LowStock, envelope: Envelope
    ) -> None:
        rule = await RuleRepository(session).get(event.product_id, event.warehouse_id)
        if rule is None:
            log.info("no reorder rule for %s in %s", event.product_id, event.warehouse_id)
            return
        quantity = rule.quantity_for(event.available)
        if quantity <= 0:
            return
        # Locking the supplier lets one alert at a time find (or make) its open draft.
        supplier = await SupplierRepository(session).get(rule.supplier_id, for_update=True)
        if supplier is None:
            raise PoisonEvent(f"the reorder rule names an unknown supplier {rule.supplier_id}")
        now = self.clock()
        agreed = await prices_agreed(session, supplier.id, supplier.currency, now.date())
        price = agreed.get(rule.product_id) or AgreedPrice(rule.unit_price, rule.price_rule)
        orders = PurchaseOrderRepository(session)
        draft = await orders.open_draft(supplier.id, rule.warehouse_id, supplier.currency)
        if draft is not None:
            await self._extend(session, draft, rule, quantity, price, now)
            return
        content = pb.PurchaseOrderContent(
            supplier_id=supplier.id,
            warehouse_id=rule.warehouse_id,
            currency=supplier.currency,
            expected_on=(now.date() + timedelta(days=rule.lead_time_days)).isoformat(),
            payment_terms=supplier.payment_terms,
            notes="drafted by a reorder rule when stock ran low",
        )
        document = replenishment_document(
            supplier.currency, rule.product_id, rule.sku, quantity, price
        )
        await add_order(session, self.audit, content, document, Source.REORDER, now)

    async def _extend(
        self,
        session: AsyncSession,
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
            await PurchaseOrderRepository(session).save(draft)
            old, new = changed(before, order_fields(draft))
            await self.audit.record(
                session, PURCHASE_ORDER, draft.id, "replenished", before=old, after=new
            )
