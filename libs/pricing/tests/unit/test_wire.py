"""The priced document on the wire (oms.types.v1.PricedDocument) and in storage (its JSON): any
document the plain model builds and prices travels both ways unchanged, text for text, and
verifies wherever it arrives."""

import json
from decimal import Decimal

import pytest
from google.protobuf.json_format import MessageToDict, ParseDict
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from oms.types.v1 import pricing_pb2 as pb
from pricing.document import (
    Discount,
    DocumentGroup,
    DocumentLine,
    InvalidDocument,
    KitPart,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    price_document,
    verify,
)
from pricing.engine import BreakdownMismatch
from pricing.wire import (
    document_from_json,
    document_from_proto,
    document_from_stored,
    document_to_json,
    document_to_proto,
    priced,
)
from pricing.wire import verify as verify_message


def decimal_texts(low: str, high: str, places: int) -> st.SearchStrategy[str]:
    """Amounts as a client may write them: plain, signed, zero-padded, with extra places."""

    def spellings(value: Decimal) -> st.SearchStrategy[str]:
        plain = format(value, "f")
        forms = [plain, f"{plain}00" if "." in plain else f"{plain}.0", f"0{plain}", f"+{plain}"]
        if plain.startswith("0."):
            forms.append(plain[1:])  # ".5"
        return st.sampled_from(forms)

    numbers = st.decimals(min_value=low, max_value=high, places=places)
    return numbers.flatmap(spellings)


def optional(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), strategy)


names = st.text(max_size=12)
taxes = st.lists(
    st.builds(TaxRate, st.sampled_from(["VAT19", "VAT7", "GST"]), decimal_texts("0", "0.3", 3)),
    max_size=2,
).map(tuple)
discounts = st.builds(
    Discount,
    st.one_of(st.just(""), decimal_texts("0", "100", 2)),
    st.one_of(st.just(""), decimal_texts("0", "50", 2)),
)
lines = st.builds(
    DocumentLine,
    line_id=st.uuids().map(str),
    product_id=names,
    sku=names,
    description=names,
    quantity=decimal_texts("0.001", "500", 3).filter(lambda q: Decimal(q) > 0),
    unit_price=decimal_texts("0", "5000", 4),
    discount=optional(discounts),
    taxes=taxes,
    kit_parts=st.lists(st.builds(KitPart, names, names, st.integers(1, 12)), max_size=2).map(tuple),
    price_rule=names,
    kind=st.sampled_from(["", "stocked", "service", "kit"]),
)
groups = st.builds(
    DocumentGroup,
    names,
    st.lists(lines, min_size=1, max_size=4).map(tuple),
    optional(discounts),
    taxes,
)
documents = st.builds(
    PricedDocument,
    currency=st.sampled_from(["EUR", "JPY", "KWD", "USD"]),
    groups=st.lists(groups, min_size=1, max_size=3).map(tuple),
    shipping=st.lists(
        st.builds(ShippingCharge, names, decimal_texts("0", "200", 2), taxes), max_size=2
    ).map(tuple),
    policy=optional(
        st.builds(
            PricingPolicy,
            st.sampled_from(["", "per_line", "per_document"]),
            st.sampled_from(["", "half_up", "half_even"]),
            st.booleans(),
        )
    ),
)


@given(documents)
def test_any_document_the_model_prices_survives_the_wire_both_ways_and_verifies(
    entered: PricedDocument,
) -> None:
    try:
        document = price_document(entered)
    except InvalidDocument as refused:  # a discount larger than its line or group
        if not refused.field.endswith("discount"):
            raise
        assume(False)
        return
    message = document_to_proto(document)
    arrived = pb.PricedDocument.FromString(message.SerializeToString())
    assert document_from_proto(arrived) == document
    assert document_to_proto(document_from_proto(arrived)) == message
    stored = document_to_json(document)
    assert document_from_json(stored) == document
    assert MessageToDict(document_to_proto(document_from_json(stored))) == stored
    assert verify(document_from_proto(arrived)) == document.figures
    verify_message(arrived)
    assert priced(document_to_proto(entered)) == message


@settings(max_examples=100)
@given(documents)
def test_an_unpriced_document_travels_unchanged_and_every_entered_text_stays_as_entered(
    entered: PricedDocument,
) -> None:
    message = document_to_proto(entered)
    assert not message.HasField("breakdown")
    assert document_from_proto(message) == entered
    assert [x.quantity for g in message.groups for x in g.lines] == [
        x.quantity for x in entered.lines
    ]
    assert [x.unit_price for g in message.groups for x in g.lines] == [
        x.unit_price for x in entered.lines
    ]
    assert message.HasField("policy") is (entered.policy is not None)
    assert [g.HasField("discount") for g in message.groups] == [
        g.discount is not None for g in entered.groups
    ]


# A quote version as quoting stored it (MessageToDict of oms.types.v1.PricedDocument): stated but
# empty discounts and policy stay stated, and every figure keeps its text.
LINE_ID = "cb04de5f-00e9-4b86-8b7d-2701159ef621"
STORED = {
    "currency": "EUR",
    "groups": [
        {
            "name": "Main",
            "lines": [
                {
                    "lineId": LINE_ID,
                    "productId": "p-w",
                    "sku": "W-1",
                    "description": "Widget",
                    "quantity": "3",
                    "unitPrice": "10.00",
                    "discount": {},
                    "priceRule": "list",
                    "kind": "stocked",
                }
            ],
            "discount": {},
        }
    ],
    "shipping": [
        {"description": "f", "amount": "9.90", "taxes": [{"code": "VAT19", "rate": "0.19"}]}
    ],
    "policy": {},
    "breakdown": {
        "engineVersion": "1",
        "policy": {"roundingMode": "per_line", "rounding": "half_up"},
        "lines": [{"lineId": LINE_ID, "extended": "30.00", "discount": "0.00", "net": "30.00"}],
        "subtotal": "30.00",
        "discounts": "0.00",
        "net": "30.00",
        "shipping": "9.90",
        "taxes": [{"code": "VAT19", "rate": "0.19", "base": "9.90", "amount": "1.88"}],
        "total": "41.78",
        "groups": [
            {"name": "Main", "subtotal": "30.00", "discount": "0.00", "net": "30.00", "tax": "0.00"}
        ],
        "shippingTax": "1.88",
    },
}


def test_a_stored_document_reads_back_and_is_stored_again_the_same() -> None:
    document = document_from_json(STORED)
    assert document_to_json(document) == STORED
    assert document.groups[0].discount == Discount()
    assert document.policy == PricingPolicy()
    assert verify(document).total == Decimal("41.78")


def test_a_document_stored_before_group_figures_reads_with_them_derived() -> None:
    older = {**STORED, "breakdown": dict(STORED["breakdown"])}  # type: ignore[dict-item]
    del older["breakdown"]["groups"], older["breakdown"]["shippingTax"]
    document = document_from_json(older)
    assert document_to_json(document) == STORED
    assert document.figures.shipping_tax == Decimal("1.88")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: setattr(b, "total", "abc"), "breakdown.total"),
        (lambda b: setattr(b.lines[0], "net", "1e3"), "breakdown.lines[0].net"),
        (lambda b: setattr(b.lines[0], "line_id", "other"), "breakdown.lines[0].line_id"),
        (lambda b: b.lines.add(line_id="extra"), "breakdown.lines"),
        (lambda b: setattr(b.policy, "rounding_mode", "never"), "breakdown.policy.rounding_mode"),
    ],
)
def test_a_breakdown_that_cannot_be_read_names_the_field(change, field) -> None:  # type: ignore[no-untyped-def]
    message = ParseDict(STORED, pb.PricedDocument())
    change(message.breakdown)
    with pytest.raises(InvalidDocument) as caught:
        document_from_proto(message)
    assert caught.value.field == field


def test_a_figure_changed_on_the_wire_is_named_where_the_copy_arrives() -> None:
    message = ParseDict(STORED, pb.PricedDocument())
    message.breakdown.lines[0].net = "0.01"
    message.breakdown.total = "1.00"
    with pytest.raises(BreakdownMismatch) as caught:
        verify_message(message)
    assert [d.split(":")[0] for d in caught.value.differences] == ["total", "lines[0].net"]


def test_a_free_line_under_document_rounding_with_a_tax_survives_the_wire() -> None:
    """str(Decimal) writes some zeros as "0E+2", which could not be read back."""
    free = DocumentLine("a", "", "F-1", "", "1", "0", taxes=(TaxRate("VAT19", "0.19"),))
    document = PricedDocument(
        "EUR",
        (DocumentGroup("Free", (free,)),),
        policy=PricingPolicy(rounding_mode="per_document", prices_include_tax=True),
    )
    message = priced(document_to_proto(document))
    assert "E" not in str(message.breakdown)
    verify_message(message)


def test_a_stored_text_is_read_once_and_a_long_one_each_time() -> None:
    text = json.dumps(STORED)
    first = document_from_stored(text)
    assert first == document_from_json(STORED)
    assert document_from_stored(json.dumps(STORED)) is first, "one object for one text"
    long = STORED | {"taxExemption": "x" * 40_000}
    assert document_from_stored(json.dumps(long)) == document_from_json(long)
    assert document_from_stored(json.dumps(long)) is not document_from_stored(json.dumps(long))
