"""Procurement's aggregates in PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy import Row, Table, and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms.types.v1 import pricing_pb2 as pricing
from pricing.money import parse_amount
from procurement.adapters.tables import (
    contract_prices,
    purchase_order_history,
    purchase_order_lines,
    purchase_order_receipts,
    purchase_order_sequences,
    purchase_orders,
    reorder_rules,
    rfq_proposals,
    rfqs,
    supplier_contracts,
    suppliers,
)
from procurement.domain.contracts import ContractPrice, SupplierContract
from procurement.domain.model import Contact, Supplier
from procurement.domain.purchase_orders import (
    PurchaseOrder,
    ReceiptLine,
    Source,
    Status,
    StatusChange,
)
from procurement.domain.reorder import ReorderRule
from procurement.domain.rfqs import Proposal, Rfq, RfqLine, RfqStatus


async def next_number(
    session: AsyncSession, year: int, table: Table = purchase_order_sequences
) -> int:
    """The year's next number; the row stays locked until this transaction ends, so a rollback
    gives the number back and concurrent orders take turns."""
    statement = (
        insert(table)
        .values(year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=["year"], set_={"last_number": table.c.last_number + 1}
        )
        .returning(table.c.last_number)
    )
    return int((await session.execute(statement)).scalar_one())


def _after(
    table: Table, after: Sequence[str]
) -> Any:  # (created_at, id) of the previous page's last row
    at, last_id = datetime.fromisoformat(after[0]), after[1]
    return or_(table.c.created_at < at, and_(table.c.created_at == at, table.c.id < last_id))


# Suppliers


def _supplier(row: Row[Any]) -> Supplier:
    return Supplier(
        row.id,
        row.name,
        row.email,
        row.currency,
        row.created_at,
        row.created_by,
        tuple(Contact(**c) for c in row.contacts),
        row.payment_terms,
        row.rating,
        row.updated_at,
    )


class SupplierRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, supplier: Supplier) -> bool:
        """False when the name is taken."""
        added = await self.session.execute(
            insert(suppliers)
            .values(
                id=supplier.id,
                name=supplier.name,
                created_at=supplier.created_at,
                created_by=supplier.created_by,
                currency=supplier.currency,
                **self._details(supplier),
            )
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(suppliers.c.id)
        )
        return added.first() is not None

    def _details(self, supplier: Supplier) -> dict[str, Any]:
        return {
            "email": supplier.email,
            "contacts": [asdict(c) for c in supplier.contacts],
            "payment_terms": supplier.payment_terms,
            "rating": supplier.rating,
            "updated_at": supplier.updated_at,
        }

    async def save(self, supplier: Supplier) -> None:
        await self.session.execute(
            suppliers.update()
            .where(suppliers.c.id == supplier.id)
            .values(**self._details(supplier))
        )

    async def find(self, supplier_ids: Iterable[str] | None = None) -> list[Supplier]:
        query = select(suppliers).order_by(suppliers.c.name)
        if supplier_ids is not None:
            query = query.where(suppliers.c.id.in_(list(supplier_ids)))
        return [_supplier(row) for row in await self.session.execute(query)]

    async def get(self, supplier_id: str, for_update: bool = False) -> Supplier | None:
        if not supplier_id:
            return None
        query = select(suppliers).where(suppliers.c.id == supplier_id)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return None if row is None else _supplier(row)


# RFQs


def _proposal(row: Row[Any]) -> Proposal:
    return Proposal(
        row.supplier_id,
        {product: parse_amount(amount) for product, amount in row.prices.items()},
        row.lead_time_days,
        row.terms,
        row.valid_until,
        row.recorded_at,
        row.recorded_by,
    )


def _rfq(row: Row[Any], proposals: Iterable[Proposal]) -> Rfq:
    return Rfq(
        id=row.id,
        title=row.title,
        currency=row.currency,
        warehouse_id=row.warehouse_id,
        deadline=row.deadline,
        supplier_ids=tuple(row.supplier_ids),
        lines=tuple(RfqLine(**line) for line in row.lines),
        status=RfqStatus(row.status),
        notes=row.notes,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        proposals={p.supplier_id: p for p in proposals},
        awarded_supplier_id=row.awarded_supplier_id,
        purchase_order_id=row.purchase_order_id,
    )


class RfqRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, rfq: Rfq) -> None:
        await self.session.execute(
            rfqs.insert().values(
                id=rfq.id,
                title=rfq.title,
                currency=rfq.currency,
                warehouse_id=rfq.warehouse_id,
                deadline=rfq.deadline,
                supplier_ids=list(rfq.supplier_ids),
                lines=[asdict(line) for line in rfq.lines],
                notes=rfq.notes,
                created_at=rfq.created_at,
                created_by=rfq.created_by,
                **self._state(rfq),
            )
        )

    def _state(self, rfq: Rfq) -> dict[str, Any]:
        return {
            "status": rfq.status.value,
            "awarded_supplier_id": rfq.awarded_supplier_id,
            "purchase_order_id": rfq.purchase_order_id,
            "updated_at": rfq.updated_at,
        }

    async def save(self, rfq: Rfq, proposal: Proposal | None = None) -> None:
        await self.session.execute(
            rfqs.update().where(rfqs.c.id == rfq.id).values(**self._state(rfq))
        )
        if proposal is not None:
            values = {
                "prices": {product: str(amount) for product, amount in proposal.prices.items()},
                "lead_time_days": proposal.lead_time_days,
                "terms": proposal.terms,
                "valid_until": proposal.valid_until,
                "recorded_at": proposal.recorded_at,
                "recorded_by": proposal.recorded_by,
            }
            await self.session.execute(
                insert(rfq_proposals)
                .values(rfq_id=rfq.id, supplier_id=proposal.supplier_id, **values)
                .on_conflict_do_update(index_elements=["rfq_id", "supplier_id"], set_=values)
            )

    async def _with_proposals(self, rows: Sequence[Row[Any]]) -> list[Rfq]:
        ids = [row.id for row in rows]
        proposals: dict[str, list[Proposal]] = {i: [] for i in ids}
        if ids:
            query = select(rfq_proposals).where(rfq_proposals.c.rfq_id.in_(ids))
            for row in await self.session.execute(query):
                proposals[row.rfq_id].append(_proposal(row))
        return [_rfq(row, proposals[row.id]) for row in rows]

    async def get(self, rfq_id: str, for_update: bool = False) -> Rfq | None:
        query = select(rfqs).where(rfqs.c.id == rfq_id)
        rows = (await self.session.execute(query.with_for_update() if for_update else query)).all()
        found = await self._with_proposals(rows)
        return found[0] if found else None

    async def page(self, status: str, after: Sequence[str], limit: int) -> list[Rfq]:
        """Newest first; `after` is the (created_at, id) of the previous page's last RFQ."""
        query = select(rfqs)
        if status:
            query = query.where(rfqs.c.status == status)
        if after:
            query = query.where(_after(rfqs, after))
        query = query.order_by(rfqs.c.created_at.desc(), rfqs.c.id.desc()).limit(limit)
        return await self._with_proposals((await self.session.execute(query)).all())


# Contracts


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, contract: SupplierContract) -> None:
        await self.session.execute(
            supplier_contracts.insert().values(
                id=contract.id,
                supplier_id=contract.supplier_id,
                reference=contract.reference,
                currency=contract.currency,
                valid_from=contract.valid_from,
                valid_to=contract.valid_to,
                created_at=contract.created_at,
                created_by=contract.created_by,
            )
        )
        await self.session.execute(
            contract_prices.insert(),
            [
                {
                    "contract_id": contract.id,
                    "product_id": p.product_id,
                    "sku": p.sku,
                    "unit_price": p.unit_price,
                }
                for p in contract.prices
            ],
        )

    async def find(
        self, supplier_id: str = "", product_id: str = "", active_on: date | None = None
    ) -> list[SupplierContract]:
        """Contracts, newest period first; with `product_id`, those pricing that product."""
        query = select(supplier_contracts)
        if supplier_id:
            query = query.where(supplier_contracts.c.supplier_id == supplier_id)
        if active_on is not None:
            query = query.where(
                supplier_contracts.c.valid_from <= active_on,
                supplier_contracts.c.valid_to >= active_on,
            )
        if product_id:
            query = query.where(
                supplier_contracts.c.id.in_(
                    select(contract_prices.c.contract_id).where(
                        contract_prices.c.product_id == product_id
                    )
                )
            )
        query = query.order_by(
            supplier_contracts.c.valid_from.desc(), supplier_contracts.c.created_at.desc()
        )
        heads = (await self.session.execute(query)).all()
        prices: dict[str, list[ContractPrice]] = {row.id: [] for row in heads}
        if heads:
            rows = await self.session.execute(
                select(contract_prices)
                .where(contract_prices.c.contract_id.in_(list(prices)))
                .order_by(contract_prices.c.product_id)
            )
            for row in rows:
                prices[row.contract_id].append(
                    ContractPrice(row.product_id, row.sku, row.unit_price)
                )
        return [
            SupplierContract(
                row.id,
                row.supplier_id,
                row.reference,
                row.currency,
                row.valid_from,
                row.valid_to,
                tuple(prices[row.id]),
                row.created_at,
                row.created_by,
            )
            for row in heads
        ]


# Purchase orders


def _order(
    row: Row[Any], receipts: Iterable[Row[Any]], history: Iterable[Row[Any]]
) -> PurchaseOrder:
    return PurchaseOrder(
        id=row.id,
        number=row.number,
        supplier_id=row.supplier_id,
        warehouse_id=row.warehouse_id,
        currency=row.currency,
        status=Status(row.status),
        document=ParseDict(row.document, pricing.PricedDocument()),
        expected_on=row.expected_on,
        payment_terms=row.payment_terms,
        notes=row.notes,
        source=Source(row.source),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        rfq_id=row.rfq_id,
        bill_id=row.bill_id,
        bill_status=row.bill_status,
        receipts=[
            ReceiptLine(r.receipt_id, r.product_id, r.quantity, r.note, r.received_at)
            for r in receipts
        ],
        history=[StatusChange(h.from_status, h.to_status, h.reason, h.at, h.by) for h in history],
    )


class PurchaseOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _head(self, order: PurchaseOrder) -> dict[str, Any]:
        return {
            "supplier_id": order.supplier_id,
            "warehouse_id": order.warehouse_id,
            "currency": order.currency,
            "status": order.status.value,
            "document": MessageToDict(order.document),
            "total": parse_amount(order.total),
            "expected_on": order.expected_on,
            "payment_terms": order.payment_terms,
            "notes": order.notes,
            "bill_id": order.bill_id,
            "bill_status": order.bill_status,
            "updated_at": order.updated_at,
        }

    async def add(self, order: PurchaseOrder) -> None:
        await self.session.execute(
            purchase_orders.insert().values(
                id=order.id,
                number=order.number,
                source=order.source.value,
                rfq_id=order.rfq_id,
                created_at=order.created_at,
                created_by=order.created_by,
                **self._head(order),
            )
        )
        await self._save_parts(order)

    async def save(self, order: PurchaseOrder) -> None:
        await self.session.execute(
            purchase_orders.update()
            .where(purchase_orders.c.id == order.id)
            .values(**self._head(order))
        )
        await self._save_parts(order)

    async def _save_parts(self, order: PurchaseOrder) -> None:
        await self.session.execute(
            purchase_order_lines.delete().where(
                purchase_order_lines.c.purchase_order_id == order.id
            )
        )
        await self.session.execute(
            purchase_order_lines.insert(),
            [
                {
                    "purchase_order_id": order.id,
                    "line_id": line.line_id,
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "received": order.received(line.product_id),
                    "unit_price": parse_amount(line.unit_price),
                }
                for line in order.lines
            ],
        )
        if order.receipts:
            await self.session.execute(
                insert(purchase_order_receipts)
                .values(
                    [
                        {
                            "purchase_order_id": order.id,
                            "receipt_id": r.receipt_id,
                            "product_id": r.product_id,
                            "quantity": r.quantity,
                            "note": r.note,
                            "received_at": r.received_at,
                        }
                        for r in order.receipts
                    ]
                )
                .on_conflict_do_nothing()
            )
        if order.history:
            await self.session.execute(
                insert(purchase_order_history)
                .values(
                    [
                        {
                            "purchase_order_id": order.id,
                            "position": position,
                            "from_status": h.from_status,
                            "to_status": h.to_status,
                            "reason": h.reason,
                            "at": h.at,
                            "by": h.by,
                        }
                        for position, h in enumerate(order.history)
                    ]
                )
                .on_conflict_do_nothing()
            )

    async def _complete(self, rows: Sequence[Row[Any]]) -> list[PurchaseOrder]:
        ids = [row.id for row in rows]
        receipts: dict[str, list[Row[Any]]] = {i: [] for i in ids}
        history: dict[str, list[Row[Any]]] = {i: [] for i in ids}
        if ids:
            r = purchase_order_receipts.c
            query = select(purchase_order_receipts).where(r.purchase_order_id.in_(ids))
            for row in await self.session.execute(
                query.order_by(r.received_at, r.receipt_id, r.product_id)
            ):
                receipts[row.purchase_order_id].append(row)
            h = purchase_order_history.c
            query = select(purchase_order_history).where(h.purchase_order_id.in_(ids))
            for row in await self.session.execute(query.order_by(h.position)):
                history[row.purchase_order_id].append(row)
        return [_order(row, receipts[row.id], history[row.id]) for row in rows]

    async def get(self, order_id: str, for_update: bool = False) -> PurchaseOrder | None:
        if not order_id:
            return None
        query = select(purchase_orders).where(purchase_orders.c.id == order_id)
        rows = (await self.session.execute(query.with_for_update() if for_update else query)).all()
        found = await self._complete(rows)
        return found[0] if found else None

    async def open_draft(
        self, supplier_id: str, warehouse_id: str, currency: str
    ) -> PurchaseOrder | None:
        """The supplier's newest draft in `currency` for the warehouse, locked."""
        c = purchase_orders.c
        query = (
            select(purchase_orders)
            .where(
                c.status == Status.DRAFT.value,
                c.supplier_id == supplier_id,
                c.warehouse_id == warehouse_id,
                c.currency == currency,
            )
            .order_by(c.created_at.desc(), c.id.desc())
            .limit(1)
            .with_for_update()
        )
        found = await self._complete((await self.session.execute(query)).all())
        return found[0] if found else None

    async def page(
        self,
        filters: Mapping[str, str],
        after: Sequence[str],
        limit: int,
    ) -> list[PurchaseOrder]:
        """Newest first; `filters` by column (status, supplier_id, warehouse_id)."""
        query = select(purchase_orders)
        for name, wanted in filters.items():
            if wanted:
                query = query.where(purchase_orders.c[name] == wanted)
        if after:
            query = query.where(_after(purchase_orders, after))
        query = query.order_by(
            purchase_orders.c.created_at.desc(), purchase_orders.c.id.desc()
        ).limit(limit)
        return await self._complete((await self.session.execute(query)).all())


# Reorder rules


def _rule(row: Row[Any]) -> ReorderRule:
    return ReorderRule(
        product_id=row.product_id,
        warehouse_id=row.warehouse_id,
        sku=row.sku,
        minimum=row.minimum,
        maximum=row.maximum,
        supplier_id=row.supplier_id,
        unit_price=row.unit_price,
        currency=row.currency,
        lead_time_days=row.lead_time_days,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


class RuleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, rule: ReorderRule) -> None:
        values = {
            "sku": rule.sku,
            "minimum": rule.minimum,
            "maximum": rule.maximum,
            "supplier_id": rule.supplier_id,
            "unit_price": rule.unit_price,
            "currency": rule.currency,
            "lead_time_days": rule.lead_time_days,
            "updated_at": rule.updated_at,
            "updated_by": rule.updated_by,
        }
        await self.session.execute(
            insert(reorder_rules)
            .values(product_id=rule.product_id, warehouse_id=rule.warehouse_id, **values)
            .on_conflict_do_update(index_elements=["product_id", "warehouse_id"], set_=values)
        )

    async def get(self, product_id: str, warehouse_id: str) -> ReorderRule | None:
        row = (
            await self.session.execute(
                select(reorder_rules).where(
                    reorder_rules.c.product_id == product_id,
                    reorder_rules.c.warehouse_id == warehouse_id,
                )
            )
        ).first()
        return None if row is None else _rule(row)

    async def find(
        self, warehouse_id: str = "", product_id: str = "", supplier_id: str = ""
    ) -> list[ReorderRule]:
        query = select(reorder_rules)
        for column, wanted in (
            (reorder_rules.c.warehouse_id, warehouse_id),
            (reorder_rules.c.product_id, product_id),
            (reorder_rules.c.supplier_id, supplier_id),
        ):
            if wanted:
                query = query.where(column == wanted)
        query = query.order_by(reorder_rules.c.warehouse_id, reorder_rules.c.product_id)
        return [_rule(row) for row in await self.session.execute(query)]

    async def learn_prices(
        self,
        supplier_id: str,
        currency: str,
        prices: Mapping[str, Decimal],
        at: datetime,
        by: str,
    ) -> None:
        """The supplier's latest prices become its rules' last known prices."""
        for product_id, unit_price in prices.items():
            await self.session.execute(
                reorder_rules.update()
                .where(
                    reorder_rules.c.supplier_id == supplier_id,
                    reorder_rules.c.product_id == product_id,
                    reorder_rules.c.currency == currency,
                )
                .values(unit_price=unit_price, updated_at=at, updated_by=by)
            )
