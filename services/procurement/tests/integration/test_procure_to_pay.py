"""Procure to pay against the real broker and database: an RFQ to two suppliers, compared and
awarded; the purchase order sent, received in two deliveries, billed and paid; low stock drafting
and extending orders; bad input refused field by field with nothing stored."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from messaging.envelope import Envelope
from messaging.kafka import make_producer
from oms.events.v1 import billing_pb2, inventory_pb2
from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.wire import verify
from servicekit.grpc import violations_of
from services.procurement.tests.integration.conftest import Procurement
from testkit.services import EventLog, as_user, operator, publish

BUYER = as_user("pat", "purchasing")
VAT19 = pricing.TaxRate(code="VAT19", rate="0.19")
T = TypeVar("T")


def eur(amount: str) -> Money:
    return Money(amount=amount, currency="EUR")


async def eventually(read: Callable[[], Awaitable[T]], ok: Callable[[T], bool]) -> T:
    """`read()` once `ok` holds of it, waiting up to 30 s for the consumer."""
    for _ in range(300):
        value = await read()
        if ok(value):
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"still {value}")


async def supplier(stub: procurement_pb2_grpc.ProcurementServiceStub, name: str) -> pb.Supplier:
    request = pb.CreateSupplierRequest(
        name=f"{name} {uuid.uuid4().hex[:6]}",
        email=f"sales@{name.lower()}.test",
        currency="EUR",
        contacts=[pb.Contact(name="Ann", email="ann@x.test", role="sales")],
        payment_terms="30 days net",
        rating=4,
    )
    return (await stub.CreateSupplier(request, metadata=BUYER)).supplier


async def test_rfq_to_two_suppliers_awarded_sent_received_twice_billed_and_paid(
    procurement: Procurement, kafka_bootstrap: str
) -> None:
    stub, ns = procurement.stub, procurement.namespace
    acme, bolt = await supplier(stub, "Acme"), await supplier(stub, "Bolt")
    deadline = datetime.now(UTC) + timedelta(hours=1)
    request = pb.CreateRfqRequest(
        title="Spring restock",
        currency="EUR",
        warehouse_id="w-1",
        supplier_ids=[acme.id, bolt.id],
        lines=[
            pb.RfqLineInput(product_id="p-1", sku="BOLT-M6", quantity=100),
            pb.RfqLineInput(product_id="p-2", sku="NUT-M6", quantity=40, needed_by="2099-01-01"),
        ],
    )
    request.deadline.FromDatetime(deadline)
    rfq = (await stub.CreateRfq(request, metadata=BUYER)).rfq
    assert (rfq.status, list(rfq.supplier_ids)) == ("open", [acme.id, bolt.id])

    def proposal(
        supplier_id: str, bolt_price: str, nut_price: str, lead: int
    ) -> pb.RecordProposalRequest:
        return pb.RecordProposalRequest(
            rfq_id=rfq.id,
            supplier_id=supplier_id,
            lines=[
                pb.ProposalLine(product_id="p-1", unit_price=eur(bolt_price)),
                pb.ProposalLine(product_id="p-2", unit_price=eur(nut_price)),
            ],
            lead_time_days=lead,
            terms="45 days net",
            valid_until="2099-12-31",
        )

    await stub.RecordProposal(proposal(acme.id, "0.12", "0.05", 3), metadata=BUYER)
    comparison = await stub.CompareProposals(pb.CompareProposalsRequest(rfq_id=rfq.id))
    assert list(comparison.pending_supplier_ids) == [bolt.id]
    await stub.RecordProposal(proposal(bolt.id, "0.10", "0.06", 7), metadata=BUYER)
    comparison = await stub.CompareProposals(pb.CompareProposalsRequest(rfq_id=rfq.id))
    # Acme 12.00 + 2.00 = 14.00; Bolt 10.00 + 2.40 = 12.40
    assert [
        (o.supplier_name, o.total.amount, o.cheapest, o.lead_time_days) for o in comparison.offers
    ] == [
        (bolt.name, "12.40", True, 7),
        (acme.name, "14.00", False, 3),
    ]
    assert [
        (x.sku, x.unit_price.amount, x.line_total.amount) for x in comparison.offers[0].lines
    ] == [
        ("BOLT-M6", "0.10", "10.00"),
        ("NUT-M6", "0.06", "2.40"),
    ]
    verify(comparison.offers[0].document)

    awarded = await stub.AwardProposal(
        pb.AwardProposalRequest(rfq_id=rfq.id, supplier_id=bolt.id), metadata=BUYER
    )
    order = awarded.purchase_order
    assert (awarded.rfq.status, awarded.rfq.purchase_order_id) == ("awarded", order.id)
    year = datetime.now(UTC).year
    assert (order.number, order.status, order.source, order.rfq_id) == (
        f"PO-{year}-000001",
        "draft",
        "rfq",
        rfq.id,
    )
    assert (order.supplier_id, order.warehouse_id, order.total.amount) == (bolt.id, "w-1", "12.40")
    assert order.payment_terms == "45 days net"
    assert order.expected_on == (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    with pytest.raises(grpc.aio.AioRpcError) as again:
        await stub.AwardProposal(pb.AwardProposalRequest(rfq_id=rfq.id, supplier_id=acme.id))
    assert again.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    kinds = [events.PurchaseOrderIssued, events.PurchaseOrderStatusChanged]
    async with EventLog(kafka_bootstrap, kinds, ns) as log:
        sent = (
            await stub.SendPurchaseOrder(
                pb.SendPurchaseOrderRequest(purchase_order_id=order.id), metadata=BUYER
            )
        ).purchase_order
        ((envelope, issued), _) = await log.wait_for(order.id, count=2)
        assert envelope.actor.subject == "pat"
        assert isinstance(issued, events.PurchaseOrderIssued)
        assert (issued.number, issued.supplier_id, issued.warehouse_id, issued.currency) == (
            order.number,
            bolt.id,
            "w-1",
            "EUR",
        )
        assert [(x.product_id, x.quantity, x.unit_price.amount) for x in issued.lines] == [
            ("p-1", 100, "0.10"),
            ("p-2", 40, "0.06"),
        ]
        assert (issued.expected_on, issued.payment_terms) == (order.expected_on, "45 days net")
        verify(issued.document)
        assert issued.document == sent.document

        def receipt(
            receipt_id: str, *lines: tuple[str, int], po: str = order.id
        ) -> inventory_pb2.GoodsReceived:
            return inventory_pb2.GoodsReceived(
                receipt_id=receipt_id,
                purchase_order_id=po,
                warehouse_id="w-1",
                lines=[inventory_pb2.ReceivedLine(product_id=p, quantity=q) for p, q in lines],
            )

        await publish(kafka_bootstrap, receipt("r-0", ("p-1", 5), po="no-such-po"), "r-0", ns)
        await publish(kafka_bootstrap, receipt("r-1", ("p-1", 100), ("p-2", 10)), "r-1", ns)
        await log.wait_for(order.id, count=3)
        await publish(kafka_bootstrap, receipt("r-2", ("p-2", 32)), "r-2", ns)
        await log.wait_for(order.id, count=4)
        bill = billing_pb2.BillRecorded(
            bill_id="b-1",
            purchase_order_id=order.id,
            supplier_id=bolt.id,
            total=eur("12.40"),
            status="matched",
            lines=[
                billing_pb2.BilledUnits(product_id="p-1", quantity=100),
                billing_pb2.BilledUnits(product_id="p-2", quantity=40),
            ],
        )
        await publish(kafka_bootstrap, bill, order.id, ns)
        await log.wait_for(order.id, count=5)
        paid = billing_pb2.BillPaid(bill_id="b-1", purchase_order_id=order.id, supplier_id=bolt.id)
        await publish(kafka_bootstrap, paid, order.id, ns)
        found = await log.wait_for(order.id, count=6)
    moves = [
        (m.from_status, m.to_status)
        for _, m in found[1:]
        if isinstance(m, events.PurchaseOrderStatusChanged)
    ]
    assert moves == [
        ("draft", "sent"),
        ("sent", "partially_received"),
        ("partially_received", "received"),
        ("received", "billed"),
        ("billed", "closed"),
    ]
    final = (
        await stub.GetPurchaseOrder(pb.GetPurchaseOrderRequest(purchase_order_id=order.id))
    ).purchase_order
    assert final.status == "closed"
    assert (final.bill_id, final.bill_status) == ("b-1", "paid")
    assert [(x.product_id, x.quantity, x.received) for x in final.lines] == [
        ("p-1", 100, 100),
        ("p-2", 40, 42),
    ]
    assert [(r.receipt_id, r.product_id, r.quantity, r.note) for r in final.receipts] == [
        ("r-1", "p-1", 100, ""),
        ("r-1", "p-2", 10, ""),
        ("r-2", "p-2", 32, "over-received: 42 in all, 40 ordered"),
    ]
    assert [h.to_status for h in final.history] == [m[1] for m in moves]
    listed = await stub.ListPurchaseOrders(
        pb.ListPurchaseOrdersRequest(status="closed", supplier_id=bolt.id)
    )
    assert [o.id for o in listed.purchase_orders] == [order.id]
    assert not (
        await stub.ListPurchaseOrders(pb.ListPurchaseOrdersRequest(supplier_id=acme.id))
    ).purchase_orders


async def test_proposals_after_the_deadline_are_refused(procurement: Procurement) -> None:
    stub = procurement.stub
    acme = await supplier(stub, "Acme")
    request = pb.CreateRfqRequest(
        currency="EUR",
        warehouse_id="w-1",
        supplier_ids=[acme.id],
        lines=[pb.RfqLineInput(product_id="p-1", quantity=1)],
    )
    request.deadline.FromDatetime(datetime.now(UTC) + timedelta(seconds=1))
    rfq = (await stub.CreateRfq(request, metadata=BUYER)).rfq
    await asyncio.sleep(1.5)
    late = pb.RecordProposalRequest(
        rfq_id=rfq.id,
        supplier_id=acme.id,
        lines=[pb.ProposalLine(product_id="p-1", unit_price=eur("1.00"))],
        valid_until="2099-01-01",
    )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.RecordProposal(late, metadata=BUYER)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert [v.field for v in violations_of(refused.value)] == ["deadline"]
    assert not (await stub.GetRfq(pb.GetRfqRequest(rfq_id=rfq.id))).rfq.proposals


async def test_contract_prices_apply_to_new_lines_and_drafts_can_be_cancelled(
    procurement: Procurement,
) -> None:
    stub = procurement.stub
    acme = await supplier(stub, "Acme")
    today = date.today()
    contract = (
        await stub.CreateContract(
            pb.CreateContractRequest(
                supplier_id=acme.id,
                reference="Frame 2026",
                valid_from=(today - timedelta(days=1)).isoformat(),
                valid_to=(today + timedelta(days=365)).isoformat(),
                prices=[pb.ContractPrice(product_id="p-1", sku="BOLT", unit_price=eur("0.0800"))],
            ),
            metadata=BUYER,
        )
    ).contract
    assert (contract.currency, contract.prices[0].unit_price.amount) == ("EUR", "0.08")
    found = await stub.ListContracts(pb.ListContractsRequest(product_id="p-1"))
    assert [c.id for c in found.contracts] == [contract.id]
    assert not (await stub.ListContracts(pb.ListContractsRequest(product_id="p-2"))).contracts
    content = pb.PurchaseOrderContent(
        supplier_id=acme.id,
        warehouse_id="w-1",
        groups=[
            pb.PurchaseOrderGroupInput(
                name="Parts",
                taxes=[VAT19],
                lines=[
                    pb.PurchaseOrderLineInput(product_id="p-1", sku="BOLT", quantity=1000),
                    pb.PurchaseOrderLineInput(product_id="p-2", quantity=10, unit_price=eur("3")),
                ],
            )
        ],
        shipping=[pricing.ShippingCharge(description="Freight", amount="15.00")],
    )
    order = (
        await stub.CreatePurchaseOrder(
            pb.CreatePurchaseOrderRequest(content=content), metadata=BUYER
        )
    ).purchase_order
    assert [(x.unit_price.amount, x.price_rule) for x in order.lines] == [
        (
            "0.08",
            contract_rule
            := f"contract 'Frame 2026' ({contract.valid_from} to {contract.valid_to})",
        ),
        ("3", "entered"),
    ]
    assert contract_rule in order.document.groups[0].lines[0].price_rule
    # 80.00 + 30.00 = 110.00, VAT 20.90, freight 15.00
    assert order.total.amount == "145.90"
    assert (order.currency, order.payment_terms) == ("EUR", "30 days net")
    cancelled = (
        await stub.CancelPurchaseOrder(
            pb.CancelPurchaseOrderRequest(purchase_order_id=order.id, reason="not needed"),
            metadata=BUYER,
        )
    ).purchase_order
    assert [(h.from_status, h.to_status, h.reason) for h in cancelled.history] == [
        ("draft", "cancelled", "not needed")
    ]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.SendPurchaseOrder(pb.SendPurchaseOrderRequest(purchase_order_id=order.id))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def _deliver(bootstrap: str, envelope: Envelope) -> None:
    """Sends an event as it was already sent once (the same ce_id), as after a relay crash."""
    producer = make_producer(operator(bootstrap), "test-redelivery")
    await producer.start()
    try:
        await producer.send_and_wait(
            envelope.topic, envelope.body, key=envelope.key.encode(), headers=envelope.headers()
        )
    finally:
        await producer.stop()


async def _scalar(url: str, statement: str, **values: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(statement), values)).scalar_one())
    finally:
        await engine.dispose()


async def test_low_stock_drafts_an_order_then_extends_it_and_a_redelivery_changes_nothing(
    procurement: Procurement, kafka_bootstrap: str
) -> None:
    stub, ns = procurement.stub, procurement.namespace
    acme = await supplier(stub, "Acme")
    for product_id, maximum in (("p-1", 50), ("p-2", 20)):
        await stub.SetReorderRule(
            pb.SetReorderRuleRequest(
                product_id=product_id,
                warehouse_id="w-1",
                sku=f"SKU-{product_id}",
                minimum=10,
                maximum=maximum,
                supplier_id=acme.id,
                unit_price=eur("2.50"),
                lead_time_days=5,
            ),
            metadata=BUYER,
        )
    today = date.today()
    await stub.CreateContract(
        pb.CreateContractRequest(
            supplier_id=acme.id,
            reference="Nuts",
            valid_from=today.isoformat(),
            valid_to=today.isoformat(),
            prices=[pb.ContractPrice(product_id="p-2", unit_price=eur("1.75"))],
        ),
        metadata=BUYER,
    )
    rules = await stub.ListReorderRules(pb.ListReorderRulesRequest(warehouse_id="w-1"))
    assert [(r.product_id, r.maximum, r.unit_price.amount) for r in rules.rules] == [
        ("p-1", 50, "2.50"),
        ("p-2", 20, "2.50"),
    ]

    async def drafts() -> list[pb.PurchaseOrder]:
        reply = await stub.ListPurchaseOrders(pb.ListPurchaseOrdersRequest(status="draft"))
        return list(reply.purchase_orders)

    def low(product_id: str, available: int) -> inventory_pb2.LowStock:
        return inventory_pb2.LowStock(
            product_id=product_id, warehouse_id="w-1", available=available, reorder_point=10
        )

    await publish(kafka_bootstrap, low("p-1", 4), "p-1", ns)
    (draft,) = await eventually(drafts, lambda found: len(found) == 1)
    assert (draft.supplier_id, draft.warehouse_id, draft.source) == (acme.id, "w-1", "reorder")
    assert [(x.product_id, x.quantity, x.unit_price.amount, x.price_rule) for x in draft.lines] == [
        ("p-1", 46, "2.50", "reorder rule's last known price")
    ]
    assert draft.expected_on == (today + timedelta(days=5)).isoformat()

    await publish(kafka_bootstrap, low("p-2", 0), "p-2", ns)
    (extended,) = await eventually(drafts, lambda found: len(found[0].lines) == 2)
    assert extended.id == draft.id
    assert [(x.product_id, x.quantity, x.unit_price.amount) for x in extended.lines] == [
        ("p-1", 46, "2.50"),
        ("p-2", 20, "1.75"),
    ]
    assert extended.lines[1].price_rule.startswith("contract 'Nuts'")
    assert extended.total.amount == "150.00"  # 115.00 + 35.00
    verify(extended.document)

    alert = await publish(kafka_bootstrap, low("p-1", 1), "p-1", ns)
    (raised,) = await eventually(drafts, lambda found: found[0].lines[0].quantity == 49)
    await _deliver(kafka_bootstrap, alert)  # the same alert again
    await publish(kafka_bootstrap, low("p-1", 1), "p-1", ns)  # a new alert at the same level
    await publish(kafka_bootstrap, low("p-9", 0), "p-9", ns)  # no rule
    marker = await publish(kafka_bootstrap, low("p-1", 30), "p-1", ns)  # above the minimum
    # p-1's alerts share a partition: once the last is in the inbox, the others were handled.
    await eventually(
        lambda: _scalar(
            procurement.database_url,
            "SELECT count(*) FROM inbox WHERE event_id = :id",
            id=marker.event_id,
        ),
        lambda seen: seen == 1,
    )
    assert await drafts() == [raised]  # unchanged, down to updated_at
    assert await _scalar(procurement.database_url, "SELECT count(*) FROM purchase_orders") == 1

    await publish(kafka_bootstrap, low("p-1", 0), "p-1", ns)
    (topped,) = await eventually(drafts, lambda found: found[0].lines[0].quantity == 50)
    assert [(x.product_id, x.quantity) for x in topped.lines] == [("p-1", 50), ("p-2", 20)]

    # Sent, the draft is no longer extended: the next alert drafts a new order.
    await stub.SendPurchaseOrder(pb.SendPurchaseOrderRequest(purchase_order_id=draft.id))
    rules = await stub.ListReorderRules(pb.ListReorderRulesRequest(supplier_id=acme.id))
    assert [r.unit_price.amount for r in rules.rules] == ["2.50", "1.75"]  # last known prices
    await publish(kafka_bootstrap, low("p-2", 5), "p-2", ns)
    (second,) = await eventually(drafts, lambda found: len(found) == 1)
    assert second.id != draft.id
    assert [(x.product_id, x.quantity) for x in second.lines] == [("p-2", 15)]
    assert second.number.endswith("-000002")


async def test_bad_input_names_every_field_and_stores_nothing(procurement: Procurement) -> None:
    stub = procurement.stub
    acme = await supplier(stub, "Acme")
    bad_order = pb.PurchaseOrderContent(
        supplier_id=acme.id,
        warehouse_id="w-1",
        expected_on="yesterday",
        groups=[
            pb.PurchaseOrderGroupInput(
                lines=[
                    pb.PurchaseOrderLineInput(product_id="p-1", quantity=0, unit_price=eur("1")),
                    pb.PurchaseOrderLineInput(product_id="p-1", quantity=1, unit_price=eur("1")),
                    pb.PurchaseOrderLineInput(product_id="p-2", quantity=1),
                ]
            )
        ],
    )
    with pytest.raises(grpc.aio.AioRpcError) as invalid:
        await stub.CreatePurchaseOrder(
            pb.CreatePurchaseOrderRequest(content=bad_order), metadata=BUYER
        )
    assert invalid.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in violations_of(invalid.value)] == [
        "expected_on",
        "groups[0].lines[0].quantity",
        "groups[0].lines[1].product_id",
    ]
    del bad_order.groups[0].lines[:2]
    bad_order.expected_on = ""
    with pytest.raises(grpc.aio.AioRpcError) as unpriced:
        await stub.CreatePurchaseOrder(
            pb.CreatePurchaseOrderRequest(content=bad_order), metadata=BUYER
        )
    assert [v.field for v in violations_of(unpriced.value)] == ["groups[0].lines[0].unit_price"]

    bad_rfq = pb.CreateRfqRequest(currency="EUR", warehouse_id="w-1", supplier_ids=["nobody"])
    with pytest.raises(grpc.aio.AioRpcError) as rfq:
        await stub.CreateRfq(bad_rfq, metadata=BUYER)
    assert [v.field for v in violations_of(rfq.value)] == ["deadline", "supplier_ids[0]", "lines"]
    bad_rule = pb.SetReorderRuleRequest(
        product_id="p-1", warehouse_id="w-1", minimum=5, maximum=5, supplier_id=acme.id
    )
    with pytest.raises(grpc.aio.AioRpcError) as rule:
        await stub.SetReorderRule(bad_rule, metadata=BUYER)
    assert [v.field for v in violations_of(rule.value)] == ["maximum", "unit_price"]
    with pytest.raises(grpc.aio.AioRpcError) as contract:
        await stub.CreateContract(
            pb.CreateContractRequest(
                supplier_id="nobody",
                reference="X",
                valid_from="2026-01-01",
                valid_to="2026-12-31",
                prices=[pb.ContractPrice(product_id="p-1", unit_price=eur("1"))],
            ),
            metadata=BUYER,
        )
    assert [v.field for v in violations_of(contract.value)] == ["supplier_id"]
    with pytest.raises(grpc.aio.AioRpcError) as page:
        await stub.ListPurchaseOrders(pb.ListPurchaseOrdersRequest(status="lost"))
    assert [v.field for v in violations_of(page.value)] == ["status"]

    engine = create_async_engine(procurement.database_url)
    try:
        async with engine.connect() as connection:
            counts = {
                table: (
                    await connection.execute(text(f"SELECT count(*) FROM {table}"))
                ).scalar_one()
                for table in (
                    "purchase_orders",
                    "purchase_order_lines",
                    "purchase_order_sequences",
                    "rfqs",
                    "reorder_rules",
                    "supplier_contracts",
                    "contract_prices",
                )
            }
            outbox = await connection.execute(text("SELECT event_type FROM outbox ORDER BY id"))
            assert [row[0] for row in outbox] == ["oms.procurement.SupplierCreated.v1"]
    finally:
        await engine.dispose()
    assert set(counts.values()) == {0}
    # No number was used up: the first order that is stored takes the first one.
    bad_order.groups[0].lines[0].unit_price.CopyFrom(eur("2"))
    order = (
        await stub.CreatePurchaseOrder(
            pb.CreatePurchaseOrderRequest(content=bad_order), metadata=BUYER
        )
    ).purchase_order
    assert order.number == f"PO-{datetime.now(UTC).year}-000001"
