"""The change log and the edges against the real service: every change to suppliers, RFQs,
contracts, purchase orders (by hand and by events) and reorder rules is readable per entity with
its actor, before and after; every list comes a capped page at a time; input no column can keep
is a field error with nothing stored."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from oms.events.v1 import inventory_pb2
from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1.types_pb2 import Money
from servicekit.grpc import violations_of
from services.procurement.tests.integration.conftest import Procurement
from testkit.services import as_user, publish

BUYER = as_user("pat", "purchasing")
Entry = tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]


def eur(amount: str) -> Money:
    return Money(amount=amount, currency="EUR")


async def history(procurement: Procurement, entity_type: str, entity_id: str) -> list[Entry]:
    """(action, actor, before, after) of the entity, oldest first."""
    reply = await audit_pb2_grpc.AuditServiceStub(procurement.channel).ListAuditEntries(
        audit_pb2.ListAuditEntriesRequest(entity_type=entity_type, entity_id=entity_id)
    )
    return [
        (
            e.action,
            e.actor,
            json.loads(e.before_json) if e.before_json else None,
            json.loads(e.after_json) if e.after_json else None,
        )
        for e in reversed(reply.entries)
    ]


async def test_every_change_is_recorded_with_its_actor_before_and_after(
    procurement: Procurement, kafka_bootstrap: str
) -> None:
    stub = procurement.stub
    created = pb.CreateSupplierRequest(name="Acme", currency="EUR", payment_terms="30 days net")
    acme = (await stub.CreateSupplier(created, metadata=BUYER)).supplier
    change = pb.UpdateSupplierRequest(supplier_id=acme.id, payment_terms="prepaid", rating=4)
    await stub.UpdateSupplier(change, metadata=BUYER)
    assert (await history(procurement, "supplier", acme.id))[1:] == [
        ("changed", "pat", {"payment_terms": "30 days net", "rating": 0},
         {"payment_terms": "prepaid", "rating": 4}),
    ]  # fmt: skip

    rfq_request = pb.CreateRfqRequest(
        currency="EUR",
        warehouse_id="w-1",
        supplier_ids=[acme.id],
        lines=[pb.RfqLineInput(product_id="p-1", quantity=10)],
    )
    rfq_request.deadline.FromDatetime(datetime.now(UTC) + timedelta(hours=1))
    rfq = (await stub.CreateRfq(rfq_request, metadata=BUYER)).rfq
    proposal = pb.RecordProposalRequest(
        rfq_id=rfq.id,
        supplier_id=acme.id,
        lines=[pb.ProposalLine(product_id="p-1", unit_price=eur("0.90"))],
        valid_until="2099-01-01",
    )
    await stub.RecordProposal(proposal, metadata=BUYER)
    award = pb.AwardProposalRequest(rfq_id=rfq.id, supplier_id=acme.id)
    order = (await stub.AwardProposal(award, metadata=BUYER)).purchase_order
    rfq_log = await history(procurement, "rfq", rfq.id)
    assert [(a, who) for a, who, _, _ in rfq_log] == [
        ("created", "pat"),
        ("proposal_recorded", "pat"),
        ("awarded", "pat"),
    ]
    assert rfq_log[1][3] is not None
    assert rfq_log[1][3]["prices"] == {"p-1": "0.90"}
    awarded = {"status": "awarded", "supplier_id": acme.id, "purchase_order_id": order.id}
    assert rfq_log[2][3] == awarded

    rule = pb.SetReorderRuleRequest(
        product_id="p-1", warehouse_id="w-1", minimum=2, maximum=20, supplier_id=acme.id,
        unit_price=eur("1.00"),
    )  # fmt: skip
    await stub.SetReorderRule(rule, metadata=BUYER)
    rule.maximum = 30
    await stub.SetReorderRule(rule, metadata=BUYER)
    contract = pb.CreateContractRequest(
        supplier_id=acme.id, reference="Frame", valid_from="2026-01-01", valid_to="2099-12-31",
        prices=[pb.ContractPrice(product_id="p-2", unit_price=eur("3.00"))],
    )  # fmt: skip
    made = (await stub.CreateContract(contract, metadata=BUYER)).contract
    assert await history(procurement, "supplier_contract", made.id) == [
        ("created", "pat", None, {
            "supplier_id": acme.id, "reference": "Frame", "currency": "EUR",
            "valid_from": "2026-01-01", "valid_to": "2099-12-31", "prices": {"p-2": "3.00"},
        }),
    ]  # fmt: skip

    send = pb.SendPurchaseOrderRequest(purchase_order_id=order.id)
    await stub.SendPurchaseOrder(send, metadata=BUYER)
    assert (await history(procurement, "reorder_rule", "p-1"))[1:] == [
        ("set", "pat", {"warehouse_id": "w-1", "maximum": 20},
         {"warehouse_id": "w-1", "maximum": 30}),
        ("price_learned", "pat", {"warehouse_id": "w-1", "unit_price": "1.00"},
         {"warehouse_id": "w-1", "unit_price": "0.90"}),
    ]  # fmt: skip

    receipt = inventory_pb2.GoodsReceived(
        receipt_id="r-1",
        purchase_order_id=order.id,
        warehouse_id="w-1",
        lines=[inventory_pb2.ReceivedLine(product_id="p-1", quantity=10)],
    )
    await publish(kafka_bootstrap, receipt, "r-1", procurement.namespace)
    for _ in range(300):
        order_log = await history(procurement, "purchase_order", order.id)
        if len(order_log) == 3:
            break
        await asyncio.sleep(0.1)
    assert order_log[1:] == [
        ("sent", "pat", {"status": "draft"}, {"status": "sent"}),
        ("goods_received", "test", {"status": "sent", "received": {"p-1": 0}},
         {"status": "received", "received": {"p-1": 10}, "receipt_id": "r-1"}),
    ]  # fmt: skip
    assert order_log[0][3] is not None
    assert order_log[0][3]["source"] == "rfq"


async def test_every_list_comes_a_capped_page_at_a_time(procurement: Procurement) -> None:
    stub = procurement.stub
    for request in (
        pb.ListSuppliersRequest(page_size=201),
        pb.ListContractsRequest(page_size=201),
        pb.ListReorderRulesRequest(page_size=201),
        pb.ListRfqsRequest(page_size=201),
        pb.ListPurchaseOrdersRequest(page_size=201),
    ):
        rpc = getattr(stub, type(request).__name__.removesuffix("Request"))
        forged = type(request)(page_token="bm9wZQ")  # not a token the service issued
        for wrong, field in ((request, "page_size"), (forged, "page_token")):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await rpc(wrong)
            assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert [v.field for v in violations_of(refused.value)] == [field]

    names = ["Bolt", "Acme", "Cog"]
    suppliers = [
        (await stub.CreateSupplier(pb.CreateSupplierRequest(name=n, currency="EUR"))).supplier
        for n in names
    ]
    for i, supplier in enumerate(suppliers):
        await stub.SetReorderRule(pb.SetReorderRuleRequest(
            product_id=f"p-{i}", warehouse_id="w-1", maximum=10, supplier_id=supplier.id,
            unit_price=eur("1"),
        ))  # fmt: skip
        await stub.CreateContract(pb.CreateContractRequest(
            supplier_id=supplier.id, reference=f"C{i}", valid_from=f"2026-01-0{i + 1}",
            valid_to="2099-12-31", prices=[pb.ContractPrice(product_id="p-1", unit_price=eur("1"))],
        ))  # fmt: skip

    first = await stub.ListSuppliers(pb.ListSuppliersRequest(page_size=2))
    rest = await stub.ListSuppliers(pb.ListSuppliersRequest(page_token=first.next_page_token))
    assert [s.name for s in [*first.suppliers, *rest.suppliers]] == sorted(names)
    assert (len(first.suppliers), rest.next_page_token) == (2, "")
    first_c = await stub.ListContracts(pb.ListContractsRequest(page_size=2))
    rest_c = await stub.ListContracts(pb.ListContractsRequest(page_token=first_c.next_page_token))
    assert [c.reference for c in [*first_c.contracts, *rest_c.contracts]] == ["C2", "C1", "C0"]
    assert rest_c.next_page_token == ""
    first_r = await stub.ListReorderRules(pb.ListReorderRulesRequest(page_size=2))
    rest_r = await stub.ListReorderRules(
        pb.ListReorderRulesRequest(page_token=first_r.next_page_token)
    )
    assert [r.product_id for r in [*first_r.rules, *rest_r.rules]] == ["p-0", "p-1", "p-2"]
    assert rest_r.next_page_token == ""


async def test_input_no_column_keeps_is_a_field_error_and_nothing_is_stored(
    procurement: Procurement,
) -> None:
    stub = procurement.stub
    created = await stub.CreateSupplier(pb.CreateSupplierRequest(name="Acme", currency="EUR"))
    acme = created.supplier
    long_id = "p" * 65
    cases = [
        (pb.PurchaseOrderLineInput(product_id=long_id, quantity=1, unit_price=eur("1")),
         "groups[0].lines[0].product_id"),
        (pb.PurchaseOrderLineInput(product_id="p-1", quantity=1, unit_price=eur("1" + "0" * 12)),
         "groups[0].lines[0].unit_price.amount"),
        (pb.PurchaseOrderLineInput(product_id="p-1", quantity=1_000_001, unit_price=eur("1")),
         "groups[0].lines[0].quantity"),
        (pb.PurchaseOrderLineInput(product_id="p-1", quantity=1_000_000,
                                   unit_price=eur("999999999999")), "groups"),
    ]  # fmt: skip
    for line, field in cases:
        content = pb.PurchaseOrderContent(
            supplier_id=acme.id,
            warehouse_id="w-1",
            groups=[pb.PurchaseOrderGroupInput(lines=[line])],
        )
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.CreatePurchaseOrder(pb.CreatePurchaseOrderRequest(content=content))
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in violations_of(refused.value)] == [field]
    update = pb.UpdateSupplierRequest(supplier_id=acme.id, email=f"{'a' * 320}@acme.test")
    with pytest.raises(grpc.aio.AioRpcError) as email:
        await stub.UpdateSupplier(update)
    assert [v.field for v in violations_of(email.value)] == ["email"]
    engine = create_async_engine(procurement.database_url)
    try:
        async with engine.connect() as connection:
            orders = await connection.execute(text("SELECT count(*) FROM purchase_orders"))
            assert orders.scalar_one() == 0
    finally:
        await engine.dispose()
