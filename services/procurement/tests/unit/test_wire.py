"""The edges: requests become the commands they say, field for field; a plain priced document
travels and is stored without loss and is priced exactly as pricing.wire prices its wire
form; domain events become their protobuf events; and the servicer, on fakes, answers as the
caller may see it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.document import (
    Discount,
    DocumentGroup,
    DocumentLine,
    InvalidDocument,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    price_document,
)
from pricing.wire import (
    document_from_json,
    document_from_proto,
    document_to_json,
    document_to_proto,
    priced,
)
from procurement.adapters.events import to_message
from procurement.domain.events import PurchaseOrderIssued, SupplierCreated
from procurement.domain.limits import EnteredMoney
from procurement.entrypoints import commands
from procurement.entrypoints.grpc_server import ProcurementServicer
from servicekit.errors import InvalidArgument
from servicekit.idempotency import fingerprint
from services.procurement.tests.unit.builders import as_user
from services.procurement.tests.unit.fakes import fake_ports


def eur(amount: str) -> Money:
    return Money(amount=amount, currency="EUR")


def test_an_order_request_becomes_its_content_field_for_field() -> None:
    entered = pb.PurchaseOrderContent(
        supplier_id=" s-1 ",
        warehouse_id="w-1",
        expected_on="2026-03-16",
        groups=[
            pb.PurchaseOrderGroupInput(
                name="Parts",
                discount=pricing.Discount(percent="5"),
                taxes=[pricing.TaxRate(code="VAT19", rate="0.19")],
                lines=[
                    pb.PurchaseOrderLineInput(product_id="p-1", quantity=3, unit_price=eur("2")),
                    pb.PurchaseOrderLineInput(product_id="p-2", quantity=1),
                ],
            )
        ],
        shipping=[pricing.ShippingCharge(description="Freight", amount="15")],
        policy=pricing.PricingPolicy(rounding="half_even"),
    )
    request = pb.CreatePurchaseOrderRequest(content=entered, request_id="create-1")
    command = commands.create_purchase_order(request)
    group = command.content.groups[0]
    assert (command.content.supplier_id, group.discount, group.taxes) == (
        " s-1 ",
        Discount("5", ""),
        (TaxRate("VAT19", "0.19"),),
    )
    assert [(x.product_id, x.quantity, x.unit_price) for x in group.lines] == [
        ("p-1", 3, EnteredMoney("2", "EUR")),
        ("p-2", 1, None),
    ]
    assert command.content.shipping == (ShippingCharge("Freight", "15"),)
    assert command.content.policy == PricingPolicy(rounding="half_even")
    assert command.request.request_id == "create-1"
    # what a retry must repeat is the request without its id
    assert command.request.fingerprint == fingerprint(request)
    assert command.request.fingerprint == fingerprint(
        pb.CreatePurchaseOrderRequest(content=entered)
    )


def test_rfq_proposal_contract_and_rule_requests_become_their_commands() -> None:
    create = pb.CreateRfqRequest(title="T", currency="EUR", supplier_ids=["s-1"])
    assert commands.create_rfq(create).deadline is None
    create.deadline.FromDatetime(datetime(2026, 3, 9, tzinfo=UTC))
    assert commands.create_rfq(create).deadline == datetime(2026, 3, 9, tzinfo=UTC)
    proposal = pb.RecordProposalRequest(
        rfq_id="r-1", supplier_id="s-1", lines=[pb.ProposalLine(product_id="p-1")]
    )
    assert commands.record_proposal(proposal).proposal.lines[0].unit_price == EnteredMoney("", "")
    rule = commands.set_reorder_rule(pb.SetReorderRuleRequest(product_id="p-1", maximum=5))
    assert (rule.rule.unit_price, rule.rule.maximum) == (None, 5)
    contract = pb.CreateContractRequest(
        supplier_id="s-1", prices=[pb.ContractPrice(product_id="p-1", unit_price=eur("1"))]
    )
    assert commands.create_contract(contract).contract.prices[0].unit_price == EnteredMoney(
        "1", "EUR"
    )


def documents(valid: bool) -> st.SearchStrategy[PricedDocument]:
    """Documents the engine prices (`valid`), or documents of any figures, most of them not."""

    def one_of(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
        return st.sampled_from(good if valid else good + bad)

    amounts = one_of(["0", "1", "2.5", "0.125", "10.00", "999.99"], ["-1", "1e3", "", "abc"])
    taxes = st.lists(
        st.builds(TaxRate, one_of(["VAT19", "VAT7"], [""]), one_of(["0.19", "0.07"], ["12", "x"])),
        max_size=2,
    ).map(tuple)
    discounts = st.builds(
        Discount, one_of(["", "10", "33.3"], ["150"]), one_of(["", "1.5"], ["-2"])
    )
    lines = st.builds(
        DocumentLine,
        line_id=st.uuids().map(str),
        product_id=st.just("p"),
        sku=st.just(""),
        description=st.just("d"),
        quantity=one_of(["1", "3", "0.5", "12"], ["0", "x"]),
        unit_price=amounts,
        discount=discounts,
        taxes=taxes,
        price_rule=st.just("entered"),
        kind=st.just("stocked"),
    )
    groups = st.builds(
        DocumentGroup, st.just("G"), st.lists(lines, max_size=4).map(tuple), discounts, taxes
    )
    return st.builds(
        PricedDocument,
        currency=one_of(["EUR", "JPY", "KWD"], ["EURO"]),
        groups=st.lists(groups, max_size=3).map(tuple),
        shipping=st.lists(st.builds(ShippingCharge, st.just("F"), amounts, taxes), max_size=2).map(
            tuple
        ),
        policy=st.builds(
            PricingPolicy,
            one_of(["", "per_line", "per_document"], ["other"]),
            one_of(["", "half_up", "half_even"], ["down"]),
            st.booleans(),
        ),
    )


@given(st.one_of(documents(valid=True), documents(valid=False)))
def test_a_plain_document_is_priced_exactly_as_its_wire_form(document: PricedDocument) -> None:
    try:
        wire, refused = priced(document_to_proto(document)), None
    except InvalidDocument as error:
        wire, refused = None, error
    if refused is not None:
        with pytest.raises(InvalidArgument) as invalid:
            price_document(document)
        faults = [(v.field, v.description) for v in invalid.value.violations]
        assert faults == [(refused.field, refused.description)]
        return
    plain = price_document(document)
    assert document_to_proto(plain) == wire
    assert document_from_proto(wire) == plain
    assert document_from_json(document_to_json(plain)) == plain


def test_domain_events_become_their_protobuf_events_keyed_by_their_aggregate() -> None:
    created = SupplierCreated("s-1", "Acme", "EUR")
    assert to_message(created) == events.SupplierCreated(
        supplier_id="s-1", name="Acme", currency="EUR"
    )
    assert created.key == "s-1"
    line = DocumentLine("l-1", "p-1", "BOLT", "Bolts", "40", "0.12")
    document = price_document(PricedDocument("EUR", (DocumentGroup("Parts", (line,)),)))
    issued = PurchaseOrderIssued(
        "po-1", "PO-2026-000001", "s-1", "w-1", "EUR", document, datetime(2026, 3, 9).date(), "net"
    )
    message = to_message(issued)
    assert isinstance(message, events.PurchaseOrderIssued)
    assert [(x.line_id, x.product_id, x.quantity, x.unit_price.amount) for x in message.lines] == [
        ("l-1", "p-1", 40, "0.12")
    ]
    assert (message.document, message.expected_on) == (document_to_proto(document), "2026-03-09")
    assert Decimal(message.document.breakdown.total) == Decimal("4.80")


async def test_the_servicer_answers_on_fakes_and_hides_prices_from_the_warehouse() -> None:
    servicer = ProcurementServicer(fake_ports())
    with as_user("pat", "purchasing"):
        supplier = (
            await servicer.CreateSupplier(
                pb.CreateSupplierRequest(name="Acme", currency="EUR"), None
            )  # type: ignore[arg-type]
        ).supplier
        line = pb.PurchaseOrderLineInput(product_id="p-1", quantity=40, unit_price=eur("0.12"))
        content = pb.PurchaseOrderContent(
            supplier_id=supplier.id,
            warehouse_id="w-1",
            groups=[pb.PurchaseOrderGroupInput(lines=[line])],
        )
        made = await servicer.CreatePurchaseOrder(
            pb.CreatePurchaseOrderRequest(content=content), None
        )  # type: ignore[arg-type]
    assert (made.purchase_order.total.amount, made.purchase_order.prices_hidden) == ("4.80", False)
    get = pb.GetPurchaseOrderRequest(purchase_order_id=made.purchase_order.id)
    with as_user("wes", "warehouse"):
        seen = (await servicer.GetPurchaseOrder(get, None)).purchase_order  # type: ignore[arg-type]
    assert seen.prices_hidden
    assert not seen.HasField("document")
    assert [(x.quantity, x.HasField("unit_price")) for x in seen.lines] == [(40, False)]
