"""Hand-written fakes of procurement's ports (application.ports), in memory. They keep what the
PostgreSQL adapters keep and give back copies, so a use case that forgets to save is caught; a
unit of work that raises leaves the store as it found it. tests/repository_contracts.py runs
the same checks against these and the real repositories, so the two cannot drift."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from procurement.application.ports import (
    ContractFilter,
    NewestKey,
    OrderFilter,
    Ports,
    RuleFilter,
)
from procurement.domain.contracts import SupplierContract
from procurement.domain.events import DomainEvent
from procurement.domain.purchase_orders import PurchaseOrder, Status
from procurement.domain.reorder import ReorderRule
from procurement.domain.rfqs import Proposal, Rfq
from procurement.domain.suppliers import Supplier
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument
from servicekit.idempotency import MAX_REQUEST_ID


@dataclass(frozen=True)
class Entry:
    """One change-log entry."""

    entity_type: str
    entity_id: str
    action: str
    actor: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass
class FakeStore:
    """Everything the fakes hold: the committed state of the service."""

    suppliers: dict[str, Supplier] = field(default_factory=dict)
    rfqs: dict[str, Rfq] = field(default_factory=dict)
    proposals: dict[tuple[str, str], Proposal] = field(default_factory=dict)
    contracts: dict[str, SupplierContract] = field(default_factory=dict)
    orders: dict[str, PurchaseOrder] = field(default_factory=dict)
    sequences: dict[int, int] = field(default_factory=dict)
    rules: dict[tuple[str, str], ReorderRule] = field(default_factory=dict)
    # (operation, request id) -> (fingerprint, result id)
    requests: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    changes: list[Entry] = field(default_factory=list)
    published: list[DomainEvent] = field(default_factory=list)

    def entries(self, entity_type: str, entity_id: str) -> list[Entry]:
        return [e for e in self.changes if (e.entity_type, e.entity_id) == (entity_type, entity_id)]


def _newest_first(key: NewestKey | None, created_at: datetime, id_: str) -> bool:
    """Whether a row comes after `key` on a newest-first page."""
    return key is None or (created_at, id_) < key


class FakeSupplierRepository:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def add(self, supplier: Supplier) -> bool:
        if any(s.name == supplier.name for s in self.store.suppliers.values()):
            return False
        self.store.suppliers[supplier.id] = copy.deepcopy(supplier)
        return True

    async def save(self, supplier: Supplier) -> None:
        stored = self.store.suppliers.get(supplier.id)
        if stored is not None:
            self.store.suppliers[supplier.id] = replace(
                stored,
                email=supplier.email,
                contacts=supplier.contacts,
                payment_terms=supplier.payment_terms,
                rating=supplier.rating,
                updated_at=supplier.updated_at,
            )

    async def get(self, supplier_id: str, *, for_update: bool = False) -> Supplier | None:
        return copy.deepcopy(self.store.suppliers.get(supplier_id))

    async def find(self, supplier_ids: Iterable[str]) -> list[Supplier]:
        wanted = set(supplier_ids)
        found = [s for s in self.store.suppliers.values() if s.id in wanted]
        return copy.deepcopy(sorted(found, key=lambda s: s.name))

    async def page(self, after: str, limit: int) -> list[Supplier]:
        found = sorted(self.store.suppliers.values(), key=lambda s: s.name)
        return copy.deepcopy([s for s in found if not after or s.name > after][:limit])


class FakeRfqRepository:
    """Keeps the RFQ's head and its proposals apart, as the tables do."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def add(self, rfq: Rfq) -> None:
        self.store.rfqs[rfq.id] = replace(copy.deepcopy(rfq), proposals={})

    async def save(self, rfq: Rfq, proposal: Proposal | None = None) -> None:
        stored = self.store.rfqs[rfq.id]
        stored.status = rfq.status
        stored.awarded_supplier_id = rfq.awarded_supplier_id
        stored.purchase_order_id = rfq.purchase_order_id
        stored.updated_at = rfq.updated_at
        if proposal is not None:
            self.store.proposals[rfq.id, proposal.supplier_id] = copy.deepcopy(proposal)

    def _whole(self, rfq: Rfq) -> Rfq:
        proposals = {s: p for (r, s), p in self.store.proposals.items() if r == rfq.id}
        return copy.deepcopy(replace(rfq, proposals=proposals))

    async def get(self, rfq_id: str, *, for_update: bool = False) -> Rfq | None:
        rfq = self.store.rfqs.get(rfq_id)
        return None if rfq is None else self._whole(rfq)

    async def page(self, status: str, after: NewestKey | None, limit: int) -> list[Rfq]:
        found = [
            r
            for r in self.store.rfqs.values()
            if (not status or r.status == status) and _newest_first(after, r.created_at, r.id)
        ]
        found.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return [self._whole(r) for r in found[:limit]]


class FakeContractRepository:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def add(self, contract: SupplierContract) -> None:
        self.store.contracts[contract.id] = copy.deepcopy(contract)

    def _read(self, contract: SupplierContract) -> SupplierContract:
        prices = tuple(sorted(contract.prices, key=lambda p: p.product_id))
        return copy.deepcopy(replace(contract, prices=prices))

    async def get(self, contract_id: str) -> SupplierContract | None:
        contract = self.store.contracts.get(contract_id)
        return None if contract is None else self._read(contract)

    def _matching(self, wanted: ContractFilter) -> list[SupplierContract]:
        return [
            self._read(c)
            for c in self.store.contracts.values()
            if (not wanted.supplier_id or c.supplier_id == wanted.supplier_id)
            and (wanted.active_on is None or c.covers(wanted.active_on))
            and (not wanted.product_id or any(p.product_id == wanted.product_id for p in c.prices))
        ]

    async def covering(self, supplier_id: str, day: date) -> list[SupplierContract]:
        return self._matching(ContractFilter(supplier_id=supplier_id, active_on=day))

    async def page(
        self, wanted: ContractFilter, after: tuple[date, datetime, str] | None, limit: int
    ) -> list[SupplierContract]:
        found = [
            c
            for c in self._matching(wanted)
            if after is None or (c.valid_from, c.created_at, c.id) < after
        ]
        found.sort(key=lambda c: (c.valid_from, c.created_at, c.id), reverse=True)
        return found[:limit]


class FakePurchaseOrderRepository:
    """Like the tables: a save does not touch the number, source, RFQ or maker; receipts (one
    per receipt and product) and history (by position) only ever grow."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def next_number(self, year: int) -> int:
        self.store.sequences[year] = self.store.sequences.get(year, 0) + 1
        return self.store.sequences[year]

    async def add(self, order: PurchaseOrder) -> None:
        self.store.orders[order.id] = copy.deepcopy(order)

    async def save(self, order: PurchaseOrder) -> None:
        stored = self.store.orders[order.id]
        saved = copy.deepcopy(order)
        saved.number, saved.source, saved.rfq_id = stored.number, stored.source, stored.rfq_id
        saved.created_at, saved.created_by = stored.created_at, stored.created_by
        receipts = {(r.receipt_id, r.product_id): r for r in saved.receipts}
        receipts |= {(r.receipt_id, r.product_id): r for r in stored.receipts}
        saved.receipts = list(receipts.values())
        saved.history = stored.history + saved.history[len(stored.history) :]
        self.store.orders[order.id] = saved

    def _read(self, order: PurchaseOrder) -> PurchaseOrder:
        read = copy.deepcopy(order)
        read.receipts.sort(key=lambda r: (r.received_at, r.receipt_id, r.product_id))
        return read

    async def get(self, order_id: str, *, for_update: bool = False) -> PurchaseOrder | None:
        order = self.store.orders.get(order_id)
        return None if order is None else self._read(order)

    async def open_draft(
        self, supplier_id: str, warehouse_id: str, currency: str
    ) -> PurchaseOrder | None:
        drafts = [
            o
            for o in self.store.orders.values()
            if (o.status, o.supplier_id, o.warehouse_id, o.currency)
            == (Status.DRAFT, supplier_id, warehouse_id, currency)
        ]
        if not drafts:
            return None
        return self._read(max(drafts, key=lambda o: (o.created_at, o.id)))

    async def page(
        self, wanted: OrderFilter, after: NewestKey | None, limit: int
    ) -> list[PurchaseOrder]:
        found = [
            o
            for o in self.store.orders.values()
            if (not wanted.status or o.status == wanted.status)
            and (not wanted.supplier_id or o.supplier_id == wanted.supplier_id)
            and (not wanted.warehouse_id or o.warehouse_id == wanted.warehouse_id)
            and _newest_first(after, o.created_at, o.id)
        ]
        found.sort(key=lambda o: (o.created_at, o.id), reverse=True)
        return [self._read(o) for o in found[:limit]]


class FakeReorderRuleRepository:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def put(self, rule: ReorderRule) -> None:
        self.store.rules[rule.product_id, rule.warehouse_id] = copy.deepcopy(rule)

    async def get(
        self, product_id: str, warehouse_id: str, *, for_update: bool = False
    ) -> ReorderRule | None:
        return copy.deepcopy(self.store.rules.get((product_id, warehouse_id)))

    def _sorted(self) -> list[ReorderRule]:
        rules = sorted(self.store.rules.values(), key=lambda r: (r.warehouse_id, r.product_id))
        return copy.deepcopy(rules)

    async def page(
        self, wanted: RuleFilter, after: tuple[str, str] | None, limit: int
    ) -> list[ReorderRule]:
        return [
            r
            for r in self._sorted()
            if (not wanted.warehouse_id or r.warehouse_id == wanted.warehouse_id)
            and (not wanted.product_id or r.product_id == wanted.product_id)
            and (not wanted.supplier_id or r.supplier_id == wanted.supplier_id)
            and (after is None or (r.warehouse_id, r.product_id) > after)
        ][:limit]

    async def of_supplier(
        self, supplier_id: str, currency: str, product_ids: Sequence[str]
    ) -> list[ReorderRule]:
        return [
            r
            for r in self._sorted()
            if r.supplier_id == supplier_id
            and r.currency == currency
            and r.product_id in product_ids
        ]


class FakeChangeLog:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        actor = current_principal().subject
        entry = Entry(entity_type, entity_id, action, actor, before, after)
        self.store.changes.append(copy.deepcopy(entry))


class FakeProcessedRequests:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        if not request_id:
            return None
        if len(request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.of("request_id", f"at most {MAX_REQUEST_ID} characters")
        found = self.store.requests.get((operation, request_id))
        if found is None:
            self.store.requests[operation, request_id] = (fingerprint, None)
            return None
        first, result = found
        if first != fingerprint or result is None:
            raise AlreadyExists(
                "this request_id was used for a different request",
                (FieldViolation("request_id", "already used with other content"),),
            )
        return result

    async def complete(self, operation: str, request_id: str, result_id: str) -> None:
        if request_id:
            fingerprint, _ = self.store.requests[operation, request_id]
            self.store.requests[operation, request_id] = (fingerprint, result_id)


class FakeUnitOfWork:
    """Commits by keeping what it did; a block that raises puts the store back as it was."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.suppliers = FakeSupplierRepository(store)
        self.rfqs = FakeRfqRepository(store)
        self.contracts = FakeContractRepository(store)
        self.purchase_orders = FakePurchaseOrderRepository(store)
        self.reorder_rules = FakeReorderRuleRepository(store)
        self.changes = FakeChangeLog(store)
        self.requests = FakeProcessedRequests(store)
        self._before: FakeStore | None = None

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        self.store.published += copy.deepcopy(list(events))

    async def __aenter__(self) -> FakeUnitOfWork:
        self._before = copy.deepcopy(self.store)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is not None and self._before is not None:
            for name, value in vars(self._before).items():
                setattr(self.store, name, value)


class FixedClock:
    def __init__(self, now: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


def fake_ports(store: FakeStore | None = None, clock: FixedClock | None = None) -> Ports:
    """Ports over `store` (a new one by default), whose units of work share it."""
    shared = store if store is not None else FakeStore()
    return Ports(lambda: FakeUnitOfWork(shared), clock or FixedClock())
