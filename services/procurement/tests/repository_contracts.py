"""What every procurement repository must do, run against the in-memory fakes
(tests/unit/test_repositories.py) and PostgreSQL (tests/integration/test_repositories.py), so a
fake cannot drift from the real adapter. Each check starts from an empty store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from procurement.application.ports import (
    ContractFilter,
    OrderFilter,
    RuleFilter,
    UnitOfWork,
    UnitsOfWork,
)
from procurement.domain.contracts import AgreedPrice, ContractPrice, SupplierContract
from procurement.domain.order_content import OrderContent, replenishment_document
from procurement.domain.purchase_orders import PurchaseOrder, Source, new_purchase_order
from procurement.domain.reorder import ReorderRule
from procurement.domain.rfqs import Proposal, Rfq, RfqLine, RfqStatus
from procurement.domain.suppliers import Contact, Supplier, new_supplier
from servicekit.errors import AlreadyExists, InvalidArgument

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
SECOND = timedelta(seconds=1)
Check = Callable[[UnitsOfWork], Awaitable[None]]


class Failed(Exception):
    """What makes a unit of work roll back in these checks."""


async def rolled_back(units: UnitsOfWork, work: Callable[[UnitOfWork], Awaitable[None]]) -> None:
    """Does `work` in a unit of work that then fails."""

    async def failing() -> None:
        async with units() as uow:
            await work(uow)
            raise Failed

    with pytest.raises(Failed):
        await failing()


def a_supplier(name: str = "Acme", currency: str = "EUR") -> Supplier:
    supplier, _ = new_supplier(
        name, "buy@acme.test", currency, NOW, "pat", [Contact("Ann", role="sales")], "30 days"
    )
    return supplier


def an_rfq(rfq_id: str, at: datetime = NOW) -> Rfq:
    lines = (
        RfqLine("l-1", "p-1", "BOLT", "Bolts", 100),
        RfqLine("l-2", "p-2", "NUT", "", 50, "2026-04-01"),
    )
    return Rfq(
        rfq_id, "Spring", "EUR", "w-1", at + timedelta(days=7), ("s-1", "s-2"), lines,
        RfqStatus.OPEN, "", at, "pat", at,
    )  # fmt: skip


def a_proposal(supplier_id: str, bolt: str) -> Proposal:
    prices = {"p-1": Decimal(bolt), "p-2": Decimal("0.05")}
    return Proposal(supplier_id, prices, 5, "30 days net", date(2026, 4, 30), NOW, "pat")


def a_contract(
    contract_id: str, start: date, end: date, supplier_id: str = "s-1", at: datetime = NOW
) -> SupplierContract:
    prices = (ContractPrice("p-2", "NUT", Decimal("0.05")), ContractPrice("p-1", "", Decimal(9)))
    return SupplierContract(
        contract_id, supplier_id, f"Frame {contract_id}", "EUR", start, end, prices, at, "pat"
    )


def an_order(
    number: str, supplier_id: str = "s-1", currency: str = "EUR", at: datetime = NOW
) -> PurchaseOrder:
    content = OrderContent(supplier_id, "w-1", currency, "2026-03-16", "30 days", "")
    price = AgreedPrice(Decimal("2.5"), "reorder rule's last known price")
    document = replenishment_document(currency, "p-1", "BOLT", 40, price)
    return new_purchase_order(number, content, document, Source.REORDER, at, "inv")


def a_rule(product_id: str, warehouse_id: str = "w-1", supplier_id: str = "s-1") -> ReorderRule:
    return ReorderRule(
        product_id, warehouse_id, "SKU", 10, 50, supplier_id, Decimal("2.50"), "EUR", 14, NOW, "pat"
    )


# Suppliers


async def suppliers_come_back_as_stored(units: UnitsOfWork) -> None:
    supplier = a_supplier()
    async with units() as uow:
        assert await uow.suppliers.add(supplier)
    async with units() as uow:
        assert await uow.suppliers.get(supplier.id, for_update=True) == supplier
        assert await uow.suppliers.get("") is None
        assert await uow.suppliers.get("no-such-supplier") is None


async def a_supplier_name_is_taken_once(units: UnitsOfWork) -> None:
    first, second = a_supplier(), a_supplier()
    async with units() as uow:
        assert await uow.suppliers.add(first)
        assert not await uow.suppliers.add(second)
    async with units() as uow:
        assert await uow.suppliers.find([first.id, second.id]) == [first]


async def a_saved_supplier_has_new_details_but_its_name_and_currency(units: UnitsOfWork) -> None:
    supplier = a_supplier()
    async with units() as uow:
        await uow.suppliers.add(supplier)
    changed = replace(
        supplier, email="ap@acme.test", contacts=(), payment_terms="prepaid", rating=5,
        updated_at=NOW + SECOND, name="Renamed", currency="USD",
    )  # fmt: skip
    async with units() as uow:
        await uow.suppliers.save(changed)
    async with units() as uow:
        assert await uow.suppliers.get(supplier.id) == replace(
            changed, name=supplier.name, currency=supplier.currency
        )


async def suppliers_are_found_and_paged_by_name(units: UnitsOfWork) -> None:
    cog, acme, bolt = a_supplier("Cog"), a_supplier("Acme"), a_supplier("Bolt")
    async with units() as uow:
        for supplier in (cog, acme, bolt):
            await uow.suppliers.add(supplier)
    async with units() as uow:
        assert await uow.suppliers.find([cog.id, acme.id, "nope"]) == [acme, cog]
        assert await uow.suppliers.page("", 2) == [acme, bolt]
        assert await uow.suppliers.page("Bolt", 2) == [cog]


# RFQs


async def an_rfq_comes_back_with_its_proposals(units: UnitsOfWork) -> None:
    rfq = an_rfq("r-1")
    async with units() as uow:
        await uow.rfqs.add(rfq)
    async with units() as uow:
        assert await uow.rfqs.get("r-1", for_update=True) == rfq
        assert await uow.rfqs.get("r-9") is None
    first, later, other = (
        a_proposal("s-1", "0.10"),
        a_proposal("s-1", "0.09"),
        a_proposal("s-2", "1"),
    )
    async with units() as uow:
        for proposal in (first, other, later):
            await uow.rfqs.save(rfq, proposal)
    rfq.status, rfq.awarded_supplier_id = RfqStatus.AWARDED, "s-1"
    rfq.ordered("po-1", NOW + SECOND)
    async with units() as uow:
        await uow.rfqs.save(rfq)
    async with units() as uow:
        assert await uow.rfqs.get("r-1") == replace(rfq, proposals={"s-1": later, "s-2": other})


async def rfqs_are_paged_newest_first_of_a_status(units: UnitsOfWork) -> None:
    rfqs = [an_rfq(f"r-{i}", NOW + i * SECOND) for i in range(3)] + [an_rfq("r-3", NOW)]
    async with units() as uow:
        for rfq in rfqs:
            await uow.rfqs.add(rfq)
        rfqs[1].status = RfqStatus.AWARDED
        await uow.rfqs.save(rfqs[1])
    async with units() as uow:
        assert [r.id for r in await uow.rfqs.page("", None, 3)] == ["r-2", "r-1", "r-3"]
        assert [r.id for r in await uow.rfqs.page("", (NOW, "r-3"), 3)] == ["r-0"]
        assert [r.id for r in await uow.rfqs.page("open", None, 9)] == ["r-2", "r-3", "r-0"]
        assert [r.id for r in await uow.rfqs.page("awarded", None, 9)] == ["r-1"]


# Contracts


async def a_contract_comes_back_with_its_prices_by_product(units: UnitsOfWork) -> None:
    contract = a_contract("c-1", date(2026, 1, 1), date(2026, 12, 31))
    async with units() as uow:
        await uow.contracts.add(contract)
    async with units() as uow:
        found = await uow.contracts.get("c-1")
        assert await uow.contracts.get("c-9") is None
    assert found == replace(contract, prices=contract.prices[::-1])


async def contracts_cover_days_and_page_newest_period_first(units: UnitsOfWork) -> None:
    year = a_contract("c-1", date(2026, 1, 1), date(2026, 12, 31))
    spring = a_contract("c-2", date(2026, 3, 1), date(2026, 5, 31))
    again = a_contract("c-3", date(2026, 3, 1), date(2026, 3, 31), at=NOW + SECOND)
    other = replace(
        a_contract("c-4", date(2026, 1, 1), date(2026, 1, 31), "s-2"),
        prices=(ContractPrice("p-3", "", Decimal(1)),),
    )
    async with units() as uow:
        for contract in (year, spring, again, other):
            await uow.contracts.add(contract)
    async with units() as uow:
        covering = await uow.contracts.covering("s-1", date(2026, 2, 1))
        everything = await uow.contracts.page(ContractFilter(), None, 9)
        april = await uow.contracts.page(ContractFilter(active_on=date(2026, 4, 1)), None, 9)
        priced = await uow.contracts.page(ContractFilter("", "p-1"), None, 2)
        rest = await uow.contracts.page(ContractFilter("s-1"), (date(2026, 3, 1), NOW, "c-2"), 9)
    assert [c.id for c in covering] == ["c-1"]
    assert [c.id for c in everything] == ["c-3", "c-2", "c-4", "c-1"]
    assert [c.id for c in april] == ["c-2", "c-1"]
    assert [c.id for c in priced] == ["c-3", "c-2"]
    assert [c.id for c in rest] == ["c-1"]


# Purchase orders


async def numbers_count_up_per_year(units: UnitsOfWork) -> None:
    async with units() as uow:
        assert [await uow.purchase_orders.next_number(2026) for _ in range(2)] == [1, 2]
        assert await uow.purchase_orders.next_number(2027) == 1

    async def take_a_number(uow: UnitOfWork) -> None:
        assert await uow.purchase_orders.next_number(2026) == 3

    await rolled_back(units, take_a_number)  # the number is given back
    async with units() as uow:
        assert await uow.purchase_orders.next_number(2026) == 3


async def an_order_comes_back_as_stored_as_it_moves_on(units: UnitsOfWork) -> None:
    order = an_order("PO-2026-000001")
    async with units() as uow:
        await uow.purchase_orders.add(order)
    async with units() as uow:
        assert await uow.purchase_orders.get(order.id, for_update=True) == order
        assert await uow.purchase_orders.get("") is None
    order.replenish("p-2", "NUT", 8, AgreedPrice(Decimal(1), "entered"))
    order.send(TODAY, NOW + SECOND, "pat")
    order.receive("r-2", "w-1", {"p-2": 8}, NOW + 2 * SECOND, "wh")
    order.receive("r-1", "w-2", {"p-1": 50, "p-9": 1}, NOW + 3 * SECOND, "wh")
    order.record_bill("b-1", "matched", NOW + 4 * SECOND, "ap", {"p-1": 30})
    order.record_bill("b-2", "held", NOW + 4 * SECOND, "ap", {"p-2": 8})
    order.cancelled["p-2"] = 0  # the units cancelled come back as stored too
    async with units() as uow:
        await uow.purchase_orders.save(order)
    async with units() as uow:
        found = await uow.purchase_orders.get(order.id)
    assert found == order
    assert found is not None
    assert (found.status, found.received("p-1"), found.receipts[1].note) == (
        "billed",
        50,
        "over-received: 50 in all, 40 ordered; received into warehouse w-2, not w-1",
    )
    assert [(b.bill_id, b.status, b.quantities) for b in found.bills] == [
        ("b-1", "matched", {"p-1": 30}),
        ("b-2", "held", {"p-2": 8}),
    ]
    assert found.cancelled == {"p-2": 0}


async def the_open_draft_is_the_suppliers_newest_in_its_currency(units: UnitsOfWork) -> None:
    older, newer = an_order("PO-1"), an_order("PO-2", at=NOW + SECOND)
    sent = an_order("PO-3", at=NOW + 2 * SECOND)
    sent.send(TODAY, NOW, "pat")
    dollars = an_order("PO-4", currency="USD", at=NOW + 3 * SECOND)
    async with units() as uow:
        for order in (older, newer, sent, dollars):
            await uow.purchase_orders.add(order)
    async with units() as uow:
        assert await uow.purchase_orders.open_draft("s-1", "w-1", "EUR") == newer
        assert await uow.purchase_orders.open_draft("s-1", "w-2", "EUR") is None
        assert await uow.purchase_orders.open_draft("s-2", "w-1", "EUR") is None


async def orders_are_paged_newest_first_with_filters(units: UnitsOfWork) -> None:
    orders = [an_order(f"PO-{i}", "s-1" if i % 2 else "s-2", at=NOW + i * SECOND) for i in range(4)]
    orders[3].send(TODAY, NOW, "pat")
    async with units() as uow:
        for order in orders:
            await uow.purchase_orders.add(order)
    async with units() as uow:
        newest = await uow.purchase_orders.page(OrderFilter(), None, 2)
        after = (orders[2].created_at, orders[2].id)
        rest = await uow.purchase_orders.page(OrderFilter(), after, 9)
        of_s1 = await uow.purchase_orders.page(OrderFilter(supplier_id="s-1"), None, 9)
        drafts = await uow.purchase_orders.page(OrderFilter("draft", "s-1", "w-1"), None, 9)
        elsewhere = await uow.purchase_orders.page(OrderFilter(warehouse_id="w-2"), None, 9)
    assert [o.number for o in newest] == ["PO-3", "PO-2"]
    assert [o.number for o in rest] == ["PO-1", "PO-0"]
    assert [o.number for o in of_s1] == ["PO-3", "PO-1"]
    assert [o.number for o in drafts] == ["PO-1"]
    assert elsewhere == []


# Reorder rules


async def a_rule_is_put_and_replaced(units: UnitsOfWork) -> None:
    rule = a_rule("p-1")
    async with units() as uow:
        await uow.reorder_rules.put(rule)
    raised = replace(rule, maximum=80, unit_price=Decimal("2.25"), updated_by="sam")
    async with units() as uow:
        assert await uow.reorder_rules.get("p-1", "w-1", for_update=True) == rule
        await uow.reorder_rules.put(raised)
    async with units() as uow:
        assert await uow.reorder_rules.get("p-1", "w-1") == raised
        assert await uow.reorder_rules.get("p-1", "w-2") is None


async def rules_are_paged_by_warehouse_and_product(units: UnitsOfWork) -> None:
    rules = [a_rule("p-2"), a_rule("p-1", "w-2"), a_rule("p-1"), a_rule("p-3", "w-1", "s-2")]
    rules.append(replace(a_rule("p-4"), currency="USD"))
    async with units() as uow:
        for rule in rules:
            await uow.reorder_rules.put(rule)
    async with units() as uow:
        first = await uow.reorder_rules.page(RuleFilter(), None, 2)
        rest = await uow.reorder_rules.page(RuleFilter(), ("w-1", "p-2"), 9)
        of_w1_s1 = await uow.reorder_rules.page(RuleFilter("w-1", "", "s-1"), None, 9)
        of_p1 = await uow.reorder_rules.page(RuleFilter(product_id="p-1"), None, 9)
        learning = await uow.reorder_rules.of_supplier("s-1", "EUR", ["p-1", "p-3", "p-4"])
    key = [(r.warehouse_id, r.product_id) for r in first + rest]
    assert key == [("w-1", "p-1"), ("w-1", "p-2"), ("w-1", "p-3"), ("w-1", "p-4"), ("w-2", "p-1")]
    assert [r.product_id for r in of_w1_s1] == ["p-1", "p-2", "p-4"]
    assert [r.warehouse_id for r in of_p1] == ["w-1", "w-2"]
    assert [(r.warehouse_id, r.product_id) for r in learning] == [("w-1", "p-1"), ("w-2", "p-1")]


# Client request ids and the unit of work


async def a_request_id_has_one_result(units: UnitsOfWork) -> None:
    async with units() as uow:
        assert await uow.requests.claim("send", "", "x") is None
        assert await uow.requests.claim("send", "rq-1", "print") is None
        await uow.requests.complete("send", "rq-1", "po-1")
    async with units() as uow:
        assert await uow.requests.claim("send", "rq-1", "print") == "po-1"
        assert await uow.requests.claim("cancel", "rq-1", "other") is None  # per operation
        with pytest.raises(AlreadyExists) as reused:
            await uow.requests.claim("send", "rq-1", "other")
        assert [v.field for v in reused.value.violations] == ["request_id"]
        with pytest.raises(InvalidArgument) as long:
            await uow.requests.claim("send", "r" * 101, "print")
        assert [v.field for v in long.value.violations] == ["request_id"]


async def a_unit_of_work_that_raises_keeps_nothing(units: UnitsOfWork) -> None:
    supplier = a_supplier()

    async def work(uow: UnitOfWork) -> None:
        await uow.suppliers.add(supplier)
        await uow.requests.claim("create", "rq-1", "print")

    await rolled_back(units, work)
    async with units() as uow:
        assert await uow.suppliers.get(supplier.id) is None
        assert await uow.requests.claim("create", "rq-1", "other") is None


CHECKS: list[Check] = [
    suppliers_come_back_as_stored,
    a_supplier_name_is_taken_once,
    a_saved_supplier_has_new_details_but_its_name_and_currency,
    suppliers_are_found_and_paged_by_name,
    an_rfq_comes_back_with_its_proposals,
    rfqs_are_paged_newest_first_of_a_status,
    a_contract_comes_back_with_its_prices_by_product,
    contracts_cover_days_and_page_newest_period_first,
    numbers_count_up_per_year,
    an_order_comes_back_as_stored_as_it_moves_on,
    the_open_draft_is_the_suppliers_newest_in_its_currency,
    orders_are_paged_newest_first_with_filters,
    a_rule_is_put_and_replaced,
    rules_are_paged_by_warehouse_and_product,
    a_request_id_has_one_result,
    a_unit_of_work_that_raises_keeps_nothing,
]
