"""Purchase orders on fakes: drafted with contract prices and gap-free numbers, made once per
request id, changed while a draft, sent (issued; reorder rules learn the prices) and cancelled,
each with its events and change-log entry; listed a page at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from pricing.document import PricingPolicy
from procurement.application.commands.cancel_purchase_order import (
    CancelPurchaseOrder,
    cancel_purchase_order,
)
from procurement.application.commands.create_contract import CreateContract, create_contract
from procurement.application.commands.create_purchase_order import (
    CreatePurchaseOrder,
    create_purchase_order,
)
from procurement.application.commands.send_purchase_order import (
    SendPurchaseOrder,
    send_purchase_order,
)
from procurement.application.commands.set_reorder_rule import SetReorderRule, set_reorder_rule
from procurement.application.commands.update_purchase_order import (
    UpdatePurchaseOrder,
    update_purchase_order,
)
from procurement.application.ports import Ports
from procurement.application.queries.purchase_orders import (
    ListPurchaseOrders,
    get_purchase_order,
    list_purchase_orders,
)
from procurement.domain.contracts import ContractInput, ContractPriceInput
from procurement.domain.events import PurchaseOrderIssued, PurchaseOrderStatusChanged
from procurement.domain.reorder import RuleInput
from servicekit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.procurement.tests.unit.builders import a_supplier, as_user, content, eur, key, line
from services.procurement.tests.unit.fakes import FakeStore, fake_ports

TODAY = date(2026, 3, 2)


async def a_contract(ports: Ports, supplier_id: str) -> str:
    contract = ContractInput(
        supplier_id,
        "Frame 2026",
        "2026-01-01",
        "2026-12-31",
        (ContractPriceInput("p-1", eur("0.0800"), "BOLT"),),
    )
    return (await create_contract(ports, CreateContract(contract))).rule


async def test_a_draft_takes_contract_prices_the_suppliers_defaults_and_the_next_number() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    rule = await a_contract(ports, acme.id)
    entered = content(acme.id, line("p-1", 1000), line("p-2", 10, "3"))
    with as_user("pat"):
        order = await create_purchase_order(ports, CreatePurchaseOrder(entered))
    assert [(x.unit_price, x.price_rule) for x in order.lines] == [("0.08", rule), ("3", "entered")]
    # 80.00 + 30.00 = 110.00, VAT 20.90, freight 15.00
    assert (order.total, order.currency, order.payment_terms) == ("145.90", "EUR", "30 days net")
    assert (order.number, order.expected_on) == ("PO-2026-000001", TODAY + timedelta(days=14))
    (made,) = store.entries("purchase_order", order.id)
    assert (made.action, made.actor) == ("created", "pat")
    assert made.after is not None
    assert (made.after["source"], made.after["total"]) == ("manual", "145.90")
    assert await get_purchase_order(ports, order.id) == order


async def test_bad_input_stores_nothing_and_uses_up_no_number() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    bad = content(acme.id, line("p-1", 0, "1"), line("p-1", 1, "1"), line("p-2", 1))
    with pytest.raises(InvalidArgument) as invalid:
        await create_purchase_order(ports, CreatePurchaseOrder(replace(bad, expected_on="x")))
    assert [v.field for v in invalid.value.violations] == [
        "expected_on",
        "groups[0].lines[0].quantity",
        "groups[0].lines[1].product_id",
    ]
    unpriced = content(acme.id, line("p-2", 1))
    with pytest.raises(InvalidArgument) as missing:
        await create_purchase_order(ports, CreatePurchaseOrder(unpriced))
    assert [v.field for v in missing.value.violations] == ["groups[0].lines[0].unit_price"]
    assert (store.orders, store.sequences) == ({}, {})
    order = await create_purchase_order(
        ports, CreatePurchaseOrder(content(acme.id, line("p-2", 1, "2")))
    )
    assert order.number == "PO-2026-000001"


async def test_an_order_retried_with_its_request_id_is_made_once() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    first = CreatePurchaseOrder(content(acme.id, line("p-1", 40, "0.12")), key("create-1"))
    made = await create_purchase_order(ports, first)
    assert await create_purchase_order(ports, first) == made
    other = replace(first, request=key("create-1", "other content"))
    with pytest.raises(AlreadyExists) as reused:
        await create_purchase_order(ports, other)
    assert [v.field for v in reused.value.violations] == ["request_id"]
    assert list(store.orders) == [made.id]


async def test_a_draft_is_changed_then_sent_once_and_rules_learn_its_prices() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    order = await create_purchase_order(
        ports, CreatePurchaseOrder(content(acme.id, line("p-1", 40, "0.12")))
    )
    rule = RuleInput("p-1", "w-1", acme.id, 2, 20, eur("1.00"))
    await set_reorder_rule(ports, SetReorderRule(rule))
    changed = content(acme.id, line("p-1", 40, "0.90"), notes="urgent")
    with as_user("pat"):
        order = await update_purchase_order(ports, UpdatePurchaseOrder(order.id, changed))
        send = SendPurchaseOrder(order.id, key("send-1"))
        sent = await send_purchase_order(ports, send)
        assert await send_purchase_order(ports, send) == sent
    assert (order.notes, order.total) == ("urgent", "57.84")
    issued, moved = store.published[-2:]
    assert isinstance(issued, PurchaseOrderIssued)
    assert (issued.number, issued.document) == (sent.number, sent.document)
    assert moved == PurchaseOrderStatusChanged(order.id, "draft", "sent", "sent to the supplier")
    assert sum(isinstance(e, PurchaseOrderIssued) for e in store.published) == 1
    actions = [(e.action, e.before, e.after) for e in store.entries("purchase_order", order.id)]
    assert [a for a, _, _ in actions] == ["created", "changed", "sent"]
    assert actions[2][1:] == ({"status": "draft"}, {"status": "sent"})
    learnt = store.entries("reorder_rule", "p-1")[-1]
    assert (learnt.action, learnt.before, learnt.after) == (
        "price_learned",
        {"warehouse_id": "w-1", "unit_price": "1.00"},
        {"warehouse_id": "w-1", "unit_price": "0.90"},
    )
    with pytest.raises(FailedPrecondition) as twice:
        await send_purchase_order(ports, SendPurchaseOrder(order.id))
    assert [v.field for v in twice.value.violations] == ["status"]
    with pytest.raises(FailedPrecondition):
        await update_purchase_order(ports, UpdatePurchaseOrder(order.id, changed))


async def test_prices_with_tax_included_teach_the_rules_nothing() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    await set_reorder_rule(ports, SetReorderRule(RuleInput("p-1", "w-1", acme.id, 2, 20, eur("1"))))
    gross = content(acme.id, line("p-1", 4, "1.19"), policy=PricingPolicy(prices_include_tax=True))
    order = await create_purchase_order(ports, CreatePurchaseOrder(gross))
    await send_purchase_order(ports, SendPurchaseOrder(order.id))
    assert [e.action for e in store.entries("reorder_rule", "p-1")] == ["set"]


async def test_a_cancelled_draft_records_the_reason_and_cannot_be_sent() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    order = await create_purchase_order(
        ports, CreatePurchaseOrder(content(acme.id, line("p-1", 1, "1")))
    )
    cancelled = await cancel_purchase_order(ports, CancelPurchaseOrder(order.id, " not needed "))
    assert [(h.from_status, h.to_status, h.reason) for h in cancelled.history] == [
        ("draft", "cancelled", "not needed")
    ]
    assert store.published[-1] == PurchaseOrderStatusChanged(
        order.id, "draft", "cancelled", "not needed"
    )
    last = store.entries("purchase_order", order.id)[-1]
    assert (last.action, last.after) == (
        "cancelled",
        {"status": "cancelled", "reason": "not needed"},
    )
    with pytest.raises(FailedPrecondition):
        await send_purchase_order(ports, SendPurchaseOrder(order.id))
    with pytest.raises(NotFound):
        await cancel_purchase_order(ports, CancelPurchaseOrder("nope"))


async def test_orders_are_listed_newest_first_with_filters() -> None:
    ports = fake_ports()
    acme, bolt = await a_supplier(ports, "Acme"), await a_supplier(ports, "Bolt")
    made = [
        await create_purchase_order(ports, CreatePurchaseOrder(content(s.id, line("p-1", 1, "1"))))
        for s in (acme, bolt, acme)
    ]
    await send_purchase_order(ports, SendPurchaseOrder(made[2].id))
    drafts, _ = await list_purchase_orders(ports, ListPurchaseOrders("draft"))
    of_acme, token = await list_purchase_orders(ports, ListPurchaseOrders("", acme.id, "w-1", 1))
    rest, last = await list_purchase_orders(
        ports, ListPurchaseOrders(supplier_id=acme.id, page_token=token)
    )
    # one moment: newest first by (created_at, id)
    assert {o.id for o in drafts} == {made[0].id, made[1].id}
    assert {o.id for o in of_acme + rest} == {made[0].id, made[2].id}
    assert last == ""
    with pytest.raises(InvalidArgument) as status:
        await list_purchase_orders(ports, ListPurchaseOrders("lost"))
    assert [v.field for v in status.value.violations] == ["status"]
