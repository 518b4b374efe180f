"""Reorder rules and contracts on fakes: rules set (recorded when they change) and listed; a
low-stock alert drafting an order, then extending it (contract prices first, never lowering a
line); contracts made once per request id and listed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from procurement.application.commands.create_contract import CreateContract, create_contract
from procurement.application.commands.send_purchase_order import (
    SendPurchaseOrder,
    send_purchase_order,
)
from procurement.application.commands.set_reorder_rule import SetReorderRule, set_reorder_rule
from procurement.application.ports import Ports, UnusableEvent
from procurement.application.queries.contracts import ListContracts, list_contracts
from procurement.application.queries.reorder_rules import ListReorderRules, list_reorder_rules
from procurement.application.reactions.on_low_stock import LowStock, on_low_stock
from procurement.domain.contracts import ContractInput, ContractPriceInput
from procurement.domain.reorder import RuleInput
from servicekit.errors import InvalidArgument
from services.procurement.tests.unit.builders import a_supplier, as_user, eur, key
from services.procurement.tests.unit.fakes import FakeStore, FakeUnitOfWork, fake_ports


async def alert(ports: Ports, store: FakeStore, product_id: str, available: int) -> None:
    """Inventory's LowStock, as the consumer applies it: in one unit of work."""
    async with FakeUnitOfWork(store) as uow:
        await on_low_stock(uow, ports.clock, LowStock(product_id, "w-1", available))


async def test_a_rule_is_recorded_when_it_changes_and_listed_by_warehouse_and_product() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    rule = RuleInput("p-1", "w-1", acme.id, 2, 20, eur("1.00"))
    with as_user("pat"):
        await set_reorder_rule(ports, SetReorderRule(rule))
        await set_reorder_rule(ports, SetReorderRule(rule))  # the same: nothing to record
        await set_reorder_rule(
            ports, SetReorderRule(RuleInput("p-1", "w-1", acme.id, 2, 30, eur("1")))
        )
    assert [(e.action, e.before, e.after) for e in store.entries("reorder_rule", "p-1")][1:] == [
        ("set", {"warehouse_id": "w-1", "maximum": 20}, {"warehouse_id": "w-1", "maximum": 30}),
    ]
    for product_id in ("p-0", "p-2"):
        await set_reorder_rule(
            ports, SetReorderRule(RuleInput(product_id, "w-1", acme.id, 0, 10, eur("1")))
        )
    first, token = await list_reorder_rules(ports, ListReorderRules(page_size=2))
    rest, last = await list_reorder_rules(ports, ListReorderRules(page_token=token))
    assert [r.product_id for r in first + rest] == ["p-0", "p-1", "p-2"]
    assert last == ""
    with pytest.raises(InvalidArgument) as bad:
        await set_reorder_rule(ports, SetReorderRule(RuleInput("p-1", "w-1", acme.id, 5, 5)))
    assert [v.field for v in bad.value.violations] == ["maximum", "unit_price"]


async def test_low_stock_drafts_an_order_then_extends_it_and_never_lowers_a_line() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    for product_id, maximum in (("p-1", 50), ("p-2", 20)):
        rule = RuleInput(
            product_id, "w-1", acme.id, 10, maximum, eur("2.50"), f"SKU-{product_id}", 5
        )
        await set_reorder_rule(ports, SetReorderRule(rule))
    today = ports.clock.now().date()
    nuts = ContractInput(
        acme.id,
        "Nuts",
        today.isoformat(),
        today.isoformat(),
        (ContractPriceInput("p-2", eur("1.75")),),
    )
    await create_contract(ports, CreateContract(nuts))

    await alert(ports, store, "p-1", 4)
    (draft,) = store.orders.values()
    assert (draft.supplier_id, draft.source, draft.expected_on) == (
        acme.id,
        "reorder",
        today + timedelta(days=5),
    )
    assert [(x.product_id, x.quantity, x.unit_price, x.price_rule) for x in draft.lines] == [
        ("p-1", 46, "2.50", "reorder rule's last known price")
    ]
    await alert(ports, store, "p-2", 0)
    await alert(ports, store, "p-1", 1)
    for quiet in (("p-1", 1), ("p-9", 0), ("p-1", 30)):  # as large already, no rule, not low
        await alert(ports, store, *quiet)
    (extended,) = store.orders.values()
    assert [(x.product_id, x.quantity, x.unit_price) for x in extended.lines] == [
        ("p-1", 49, "2.50"),
        ("p-2", 20, "1.75"),
    ]
    assert extended.lines[1].price_rule.startswith("contract 'Nuts'")
    assert extended.total == "157.50"  # 122.50 + 35.00
    actions = [e.action for e in store.entries("purchase_order", extended.id)]
    assert actions == ["created", "replenished", "replenished"]

    await send_purchase_order(ports, SendPurchaseOrder(extended.id))
    await alert(ports, store, "p-2", 5)
    second = [o for o in store.orders.values() if o.id != extended.id]
    assert [(o.number, [(x.product_id, x.quantity) for x in o.lines]) for o in second] == [
        ("PO-2026-000002", [("p-2", 15)])
    ]


async def test_a_rule_naming_an_unknown_supplier_cannot_be_applied() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    await set_reorder_rule(ports, SetReorderRule(RuleInput("p-1", "w-1", acme.id, 1, 5, eur("1"))))
    del store.suppliers[acme.id]
    with pytest.raises(UnusableEvent):
        await alert(ports, store, "p-1", 0)
    assert store.orders == {}


async def test_a_contract_is_made_once_per_request_id_and_listed() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    prices = (ContractPriceInput("p-2", eur("3.00")), ContractPriceInput("p-1", eur("1")))
    made = CreateContract(
        ContractInput(acme.id, "Frame", "2026-01-01", "2099-12-31", prices), key("c-1")
    )
    with as_user("pat"):
        contract = await create_contract(ports, made)
        assert (await create_contract(ports, made)).id == contract.id
    (entry,) = store.entries("supplier_contract", contract.id)
    assert (entry.action, entry.actor, entry.after) == (
        "created",
        "pat",
        {
            "supplier_id": acme.id, "reference": "Frame", "currency": "EUR",
            "valid_from": contract.valid_from, "valid_to": contract.valid_to,
            "prices": {"p-2": "3.00", "p-1": "1.00"},
        },
    )  # fmt: skip
    assert [c.id for c in (await list_contracts(ports, ListContracts(product_id="p-1")))[0]] == [
        contract.id
    ]
    assert (await list_contracts(ports, ListContracts(active_on="2100-01-01")))[0] == []
    for query, field in (
        (ListContracts(active_on="soon"), "active_on"),
        (ListContracts(page_token="bm9wZQ"), "page_token"),
    ):
        with pytest.raises(InvalidArgument) as refused:
            await list_contracts(ports, query)
        assert [v.field for v in refused.value.violations] == [field]
    unknown = ContractInput("nobody", "X", "2026-01-01", "2026-12-31", prices)
    with pytest.raises(InvalidArgument) as nobody:
        await create_contract(ports, CreateContract(unknown))
    assert [v.field for v in nobody.value.violations] == ["supplier_id"]
