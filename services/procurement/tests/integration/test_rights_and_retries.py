"""Rights and retries against the real service: the warehouse reads purchase orders and reorder
rules without prices, sales reads nothing, internal clients read with their scope; a command that
commits money or creates an RFQ, retried with its request_id (one after the other or at once), has
one effect."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from oms.types.v1.types_pb2 import Money
from servicekit.grpc import violations_of
from services.procurement.tests.integration.conftest import Procurement
from testkit.security import session_security
from testkit.services import as_user

BUYER = as_user("pat", "purchasing")
FINANCE = as_user("fin", "finance")
WAREHOUSE = as_user("wes", "warehouse")
SALES = as_user("sam", "sales")


def eur(amount: str) -> Money:
    return Money(amount=amount, currency="EUR")


async def _count(url: str, statement: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(statement))).scalar_one())
    finally:
        await engine.dispose()


async def _supplier(stub: procurement_pb2_grpc.ProcurementServiceStub) -> pb.Supplier:
    request = pb.CreateSupplierRequest(name=f"Acme {uuid.uuid4().hex[:6]}", currency="EUR")
    return (await stub.CreateSupplier(request, metadata=BUYER)).supplier


def _order(supplier_id: str, quantity: int = 40) -> pb.PurchaseOrderContent:
    line = pb.PurchaseOrderLineInput(product_id="p-1", quantity=quantity, unit_price=eur("0.12"))
    return pb.PurchaseOrderContent(
        supplier_id=supplier_id,
        warehouse_id="w-1",
        groups=[pb.PurchaseOrderGroupInput(lines=[line])],
    )


def _rfq(supplier_id: str, request_id: str = "") -> pb.CreateRfqRequest:
    create = pb.CreateRfqRequest(
        currency="EUR",
        warehouse_id="w-1",
        supplier_ids=[supplier_id],
        lines=[pb.RfqLineInput(product_id="p-1", quantity=10)],
        request_id=request_id,
    )
    create.deadline.FromDatetime(datetime.now(UTC) + timedelta(hours=1))
    return create


async def _refused(call: object, code: grpc.StatusCode) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call  # type: ignore[misc]
    assert refused.value.code() == code


async def test_the_warehouse_sees_no_prices_sales_nothing_and_clients_read_with_the_scope(
    procurement: Procurement,
) -> None:
    stub = procurement.stub
    acme = await _supplier(stub)
    create = pb.CreatePurchaseOrderRequest(content=_order(acme.id))
    order = (await stub.CreatePurchaseOrder(create, metadata=BUYER)).purchase_order
    rule = pb.SetReorderRuleRequest(
        product_id="p-1",
        warehouse_id="w-1",
        minimum=5,
        maximum=40,
        supplier_id=acme.id,
        unit_price=eur("0.12"),
    )
    await stub.SetReorderRule(rule, metadata=BUYER)
    get = pb.GetPurchaseOrderRequest(purchase_order_id=order.id)

    seen = (await stub.GetPurchaseOrder(get, metadata=WAREHOUSE)).purchase_order
    assert seen.prices_hidden
    assert not (seen.HasField("total"))
    assert not (seen.HasField("document"))
    assert [(x.quantity, x.HasField("unit_price")) for x in seen.lines] == [(40, False)]
    assert seen.expected_on == order.expected_on
    listed = await stub.ListPurchaseOrders(pb.ListPurchaseOrdersRequest(), metadata=WAREHOUSE)
    assert [o.prices_hidden for o in listed.purchase_orders] == [True]
    rules = await stub.ListReorderRules(pb.ListReorderRulesRequest(), metadata=WAREHOUSE)
    assert [(r.maximum, r.HasField("unit_price")) for r in rules.rules] == [(40, False)]
    for reader in (FINANCE, BUYER):
        shown = (await stub.GetPurchaseOrder(get, metadata=reader)).purchase_order
        assert (shown.prices_hidden, shown.total.amount) == (False, "4.80")

    denied = grpc.StatusCode.PERMISSION_DENIED
    await _refused(stub.ListContracts(pb.ListContractsRequest(), metadata=WAREHOUSE), denied)
    await _refused(stub.ListRfqs(pb.ListRfqsRequest(), metadata=WAREHOUSE), denied)
    await _refused(stub.CreatePurchaseOrder(create, metadata=WAREHOUSE), denied)
    await _refused(stub.SendPurchaseOrder(pb.SendPurchaseOrderRequest(), metadata=FINANCE), denied)
    await _refused(stub.GetPurchaseOrder(get, metadata=SALES), denied)
    await _refused(stub.ListSuppliers(pb.ListSuppliersRequest(), metadata=SALES), denied)

    security = session_security()
    name = f"reporting-{uuid.uuid4().hex[:6]}"
    security.pki.register_client(name, ["procurement:read"])
    async with security.channel(procurement.target, as_name=name, token="") as channel:
        client = procurement_pb2_grpc.ProcurementServiceStub(channel)
        shown = (await client.GetPurchaseOrder(get)).purchase_order
        assert (shown.prices_hidden, shown.total.amount) == (False, "4.80")
        await _refused(client.CreateSupplier(pb.CreateSupplierRequest(name="X")), denied)


async def test_a_purchase_order_retried_with_its_request_id_is_made_once(
    procurement: Procurement,
) -> None:
    stub = procurement.stub
    acme = await _supplier(stub)
    first = pb.CreatePurchaseOrderRequest(content=_order(acme.id), request_id="create-1")
    made = (await stub.CreatePurchaseOrder(first, metadata=BUYER)).purchase_order
    again = (await stub.CreatePurchaseOrder(first, metadata=BUYER)).purchase_order
    assert (again.id, again.number) == (made.id, made.number)

    at_once = pb.CreatePurchaseOrderRequest(content=_order(acme.id, 7), request_id="create-2")
    replies = await asyncio.gather(
        *[stub.CreatePurchaseOrder(at_once, metadata=BUYER) for _ in range(3)]
    )
    assert len({r.purchase_order.id for r in replies}) == 1
    assert await _count(procurement.database_url, "SELECT count(*) FROM purchase_orders") == 2

    other = pb.CreatePurchaseOrderRequest(content=_order(acme.id, 9), request_id="create-1")
    with pytest.raises(grpc.aio.AioRpcError) as reused:
        await stub.CreatePurchaseOrder(other, metadata=BUYER)
    assert reused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(reused.value)] == ["request_id"]

    send = pb.SendPurchaseOrderRequest(purchase_order_id=made.id, request_id="send-1")
    sent = await asyncio.gather(*[stub.SendPurchaseOrder(send, metadata=BUYER) for _ in range(2)])
    assert [r.purchase_order.status for r in sent] == ["sent", "sent"]
    issued = "SELECT count(*) FROM outbox WHERE event_type LIKE '%.PurchaseOrderIssued.%'"
    assert await _count(procurement.database_url, issued) == 1
    with pytest.raises(grpc.aio.AioRpcError) as twice:
        await stub.SendPurchaseOrder(pb.SendPurchaseOrderRequest(purchase_order_id=made.id))
    assert twice.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_a_retried_rfq_is_created_once_even_when_the_retries_race(
    procurement: Procurement,
) -> None:
    stub = procurement.stub
    acme = await _supplier(stub)
    once = _rfq(acme.id, "rfq-1")
    first = (await stub.CreateRfq(once, metadata=BUYER)).rfq
    again = (await stub.CreateRfq(once, metadata=BUYER)).rfq
    assert (again.id, again.created_at) == (first.id, first.created_at)
    # three twins racing from the start: one creates, the others wait for it and answer it
    twin = _rfq(acme.id, "rfq-2")
    raced = await asyncio.gather(*(stub.CreateRfq(twin, metadata=BUYER) for _ in range(3)))
    assert len({r.rfq.id for r in raced}) == 1
    listed = await stub.ListRfqs(pb.ListRfqsRequest(), metadata=BUYER)
    assert {r.id for r in listed.rfqs} == {first.id, raced[0].rfq.id}
    assert len(listed.rfqs) == 2

    other = _rfq(acme.id, "rfq-1")
    other.deadline.CopyFrom(once.deadline)
    other.notes = "something else"
    with pytest.raises(grpc.aio.AioRpcError) as reused:
        await stub.CreateRfq(other, metadata=BUYER)
    assert reused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(reused.value)] == ["request_id"]


async def test_a_retried_supplier_is_created_once_not_refused_for_its_own_name(
    procurement: Procurement,
) -> None:
    stub = procurement.stub
    name = f"Anvil {uuid.uuid4().hex[:6]}"
    once = pb.CreateSupplierRequest(name=name, currency="EUR", request_id=f"supplier-{name}")
    first = (await stub.CreateSupplier(once, metadata=BUYER)).supplier
    answers = await asyncio.gather(*(stub.CreateSupplier(once, metadata=BUYER) for _ in range(3)))
    assert {a.supplier.id for a in answers} == {first.id}
    created = "SELECT count(*) FROM outbox WHERE event_type LIKE '%.SupplierCreated.%'"
    before = await _count(procurement.database_url, created)
    assert (await stub.CreateSupplier(once, metadata=BUYER)).supplier == first
    assert await _count(procurement.database_url, created) == before  # announced once
    other = pb.CreateSupplierRequest(name=name, currency="USD", request_id=once.request_id)
    with pytest.raises(grpc.aio.AioRpcError) as reused:
        await stub.CreateSupplier(other, metadata=BUYER)
    assert reused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(reused.value)] == ["request_id"]
    # without an id, the same name is still refused: only a retry is answered
    with pytest.raises(grpc.aio.AioRpcError) as taken:
        await stub.CreateSupplier(
            pb.CreateSupplierRequest(name=name, currency="EUR"), metadata=BUYER
        )
    assert taken.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert not violations_of(taken.value)


async def test_proposals_awards_and_contracts_retried_have_their_first_effect_only(
    procurement: Procurement,
) -> None:
    stub = procurement.stub
    acme = await _supplier(stub)
    rfq = (await stub.CreateRfq(_rfq(acme.id), metadata=BUYER)).rfq

    def proposal(price: str, request_id: str) -> pb.RecordProposalRequest:
        line = pb.ProposalLine(product_id="p-1", unit_price=eur(price))
        return pb.RecordProposalRequest(
            rfq_id=rfq.id,
            supplier_id=acme.id,
            lines=[line],
            valid_until="2099-01-01",
            request_id=request_id,
        )

    await stub.RecordProposal(proposal("1.10", "p-1"), metadata=BUYER)
    await stub.RecordProposal(proposal("0.90", "p-2"), metadata=BUYER)
    late = (await stub.RecordProposal(proposal("1.10", "p-1"), metadata=BUYER)).rfq
    assert [p.lines[0].unit_price.amount for p in late.proposals] == ["0.90"]

    award = pb.AwardProposalRequest(rfq_id=rfq.id, supplier_id=acme.id, request_id="award-1")
    awards = await asyncio.gather(*[stub.AwardProposal(award, metadata=BUYER) for _ in range(2)])
    assert len({a.purchase_order.id for a in awards}) == 1
    assert awards[0].purchase_order.total.amount == "9.00"
    assert await _count(procurement.database_url, "SELECT count(*) FROM purchase_orders") == 1

    contract = pb.CreateContractRequest(
        supplier_id=acme.id,
        reference="Frame",
        valid_from="2026-01-01",
        valid_to="2099-12-31",
        prices=[pb.ContractPrice(product_id="p-1", unit_price=eur("0.85"))],
        request_id="contract-1",
    )
    made = [(await stub.CreateContract(contract, metadata=BUYER)).contract for _ in range(2)]
    assert made[0].id == made[1].id
    found = await stub.ListContracts(pb.ListContractsRequest(supplier_id=acme.id))
    assert [c.id for c in found.contracts] == [made[0].id]
