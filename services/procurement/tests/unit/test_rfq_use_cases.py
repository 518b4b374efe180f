"""RFQs on fakes: sent to known suppliers, proposals recorded until the deadline (a retry
undoes nothing), compared cheapest first, and awarded once into a draft purchase order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from procurement.application.commands.award_proposal import AwardProposal, award_proposal
from procurement.application.commands.create_rfq import CreateRfq, create_rfq
from procurement.application.commands.record_proposal import RecordProposal, record_proposal
from procurement.application.queries.rfqs import compare_proposals, get_rfq, list_rfqs
from procurement.domain.rfq_content import RfqInput
from procurement.domain.rfqs import ProposalInput, ProposalLineInput
from servicekit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.procurement.tests.unit.builders import (
    a_proposal,
    a_supplier,
    an_rfq,
    as_user,
    eur,
    key,
)
from services.procurement.tests.unit.fakes import FakeStore, FixedClock, fake_ports


async def test_an_rfq_goes_to_known_suppliers_only() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    with as_user("pat"):
        rfq = await an_rfq(ports, acme.id)
    assert (rfq.status, rfq.supplier_ids) == ("open", (acme.id,))
    assert [(e.action, e.actor) for e in store.entries("rfq", rfq.id)] == [("created", "pat")]
    bad = RfqInput("", "EUR", "w-1", ("nobody",), ())
    with pytest.raises(InvalidArgument) as refused:
        await create_rfq(ports, CreateRfq(bad, None))
    assert [v.field for v in refused.value.violations] == ["deadline", "supplier_ids[0]", "lines"]
    assert list(store.rfqs) == [rfq.id]


async def test_a_retried_proposal_does_not_undo_a_later_one() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    rfq = await an_rfq(ports, acme.id)

    def proposal(price: str, request_id: str) -> RecordProposal:
        return RecordProposal(rfq.id, a_proposal(acme.id, price, "0.05"), key(request_id, price))

    await record_proposal(ports, proposal("1.10", "p-1"))
    await record_proposal(ports, proposal("0.90", "p-2"))
    late = await record_proposal(ports, proposal("1.10", "p-1"))
    assert str(late.proposals[acme.id].prices["p-1"]) == "0.90"
    with pytest.raises(AlreadyExists):
        await record_proposal(ports, proposal_with(rfq.id, acme.id))
    entries = store.entries("rfq", rfq.id)
    assert [e.action for e in entries] == ["created", "proposal_recorded", "proposal_recorded"]
    assert entries[2].before is not None
    assert entries[2].after is not None
    assert (entries[2].before["prices"], entries[2].after["prices"]) == (
        {"p-1": "1.10", "p-2": "0.05"},
        {"p-1": "0.90", "p-2": "0.05"},
    )


def proposal_with(rfq_id: str, supplier_id: str) -> RecordProposal:
    """Request id p-1 again, with other content."""
    other = ProposalInput(supplier_id, (ProposalLineInput("p-1", eur("2")),), 0, "", "2099-01-01")
    return RecordProposal(rfq_id, other, key("p-1", "other"))


async def test_proposals_after_the_deadline_are_refused() -> None:
    store = FakeStore()
    clock = FixedClock()
    ports = fake_ports(store, clock)
    acme = await a_supplier(ports)
    rfq = await an_rfq(ports, acme.id)
    clock.at += timedelta(hours=1, seconds=1)
    with pytest.raises(FailedPrecondition) as late:
        await record_proposal(ports, RecordProposal(rfq.id, a_proposal(acme.id, "1", "1")))
    assert [v.field for v in late.value.violations] == ["deadline"]
    assert not (await get_rfq(ports, rfq.id)).proposals
    with pytest.raises(NotFound):
        await record_proposal(ports, RecordProposal("nope", a_proposal(acme.id, "1", "1")))


async def test_proposals_compare_cheapest_first_and_the_award_drafts_an_order_once() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme, bolt = await a_supplier(ports, "Acme"), await a_supplier(ports, "Bolt", "")
    rfq = await an_rfq(ports, acme.id, bolt.id)
    await record_proposal(ports, RecordProposal(rfq.id, a_proposal(acme.id, "0.12", "0.05", 3)))
    assert (await compare_proposals(ports, rfq.id)).rfq.pending_supplier_ids == [bolt.id]
    await record_proposal(ports, RecordProposal(rfq.id, a_proposal(bolt.id, "0.10", "0.06", 7)))
    comparison = await compare_proposals(ports, rfq.id)
    # Acme 12.00 + 2.00 = 14.00; Bolt 10.00 + 2.40 = 12.40
    assert [
        (comparison.supplier_names[o.proposal.supplier_id], str(o.total), o.cheapest)
        for o in comparison.offers
    ] == [("Bolt", "12.40", True), ("Acme", "14.00", False)]

    award = AwardProposal(rfq.id, bolt.id, key("award-1"))
    with as_user("pat"):
        awarded, order = await award_proposal(ports, award)
        again = await award_proposal(ports, award)
    assert again == (awarded, order)
    assert (awarded.status, awarded.purchase_order_id) == ("awarded", order.id)
    assert (order.number, order.status, order.source, order.rfq_id) == (
        "PO-2026-000001",
        "draft",
        "rfq",
        rfq.id,
    )
    assert (order.supplier_id, order.total, order.payment_terms) == (
        bolt.id,
        "12.40",
        "45 days net",
    )
    assert order.expected_on == ports.clock.now().date() + timedelta(days=7)
    assert list(store.orders) == [order.id]
    (entry,) = store.entries("rfq", rfq.id)[-1:]
    assert (entry.action, entry.before, entry.after) == (
        "awarded",
        {"status": "open"},
        {"status": "awarded", "supplier_id": bolt.id, "purchase_order_id": order.id},
    )
    assert store.entries("purchase_order", order.id)[0].after["source"] == "rfq"  # type: ignore[index]
    with pytest.raises(FailedPrecondition) as twice:
        await award_proposal(ports, AwardProposal(rfq.id, acme.id))
    assert [v.field for v in twice.value.violations] == ["status"]


async def test_rfqs_are_listed_newest_first_by_status() -> None:
    clock = FixedClock()
    ports = fake_ports(clock=clock)
    acme = await a_supplier(ports)
    made = []
    for _ in range(3):
        made.append(await an_rfq(ports, acme.id))
        clock.at += timedelta(seconds=1)
    first, token = await list_rfqs(ports, "open", 2, "")
    rest, last = await list_rfqs(ports, "", 2, token)
    assert [r.id for r in first + rest] == [r.id for r in reversed(made)]
    assert last == ""
    assert await list_rfqs(ports, "awarded", 0, "") == ([], "")
    with pytest.raises(InvalidArgument) as status:
        await list_rfqs(ports, "lost", 0, "")
    assert [v.field for v in status.value.violations] == ["status"]
