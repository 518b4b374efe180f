"""Oversized ids and NUL characters are refused by field path, at any depth of a request."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.orders.v1 import orders_pb2 as pb
from servicekit.bounds import MAX_ID_LENGTH
from servicekit.errors import InvalidArgument
from servicekit.request_checks import check_request, nul_characters, oversized_ids


def test_ids_longer_than_the_limit_are_named_by_their_path() -> None:
    long = "x" * (MAX_ID_LENGTH + 1)
    request = pb.PlaceSalesOrderRequest(
        customer_id=long,
        lines=[pb.PlaceSalesOrderLine(product_id="ok"), pb.PlaceSalesOrderLine(product_id=long)],
    )
    assert [v.field for v in oversized_ids(request)] == ["customer_id", "lines[1].product_id"]
    assert oversized_ids(pb.PlaceSalesOrderRequest(customer_id="x" * MAX_ID_LENGTH)) == []


def test_nul_characters_anywhere_are_named_by_their_path() -> None:
    # PostgreSQL's text cannot hold U+0000: refused at the door, not an internal error later
    request = pb.PlaceSalesOrderRequest(
        customer_id="C-1",
        lines=[pb.PlaceSalesOrderLine(product_id="ok"), pb.PlaceSalesOrderLine(product_id="a\x00")],
    )
    assert [v.field for v in nul_characters(request)] == ["lines[1].product_id"]
    assert nul_characters(pb.PlaceSalesOrderRequest(customer_id="C-1")) == []


def test_a_request_at_fault_is_refused_naming_each_field() -> None:
    request = pb.PlaceSalesOrderRequest(customer_id="x" * (MAX_ID_LENGTH + 1), currency="E\x00")
    with pytest.raises(InvalidArgument) as refused:
        check_request(request)
    assert [v.field for v in refused.value.violations] == ["customer_id", "currency"]
    check_request(pb.PlaceSalesOrderRequest(customer_id="C-1", currency="EUR"))  # nothing at fault


# short texts (NUL or not) and texts about the id limit
_texts = st.text(max_size=3) | st.text(min_size=MAX_ID_LENGTH, max_size=MAX_ID_LENGTH + 1)


@settings(max_examples=200, deadline=None)
@given(
    customer_id=_texts,
    currency=_texts,
    product_ids=st.lists(_texts, max_size=4),
    address=st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)
def test_the_fast_check_refuses_exactly_what_the_named_checks_find(
    customer_id: str, currency: str, product_ids: list[str], address: dict[str, str]
) -> None:
    # check_request first walks without naming paths; it must refuse the same requests
    request = pb.PlaceSalesOrderRequest(
        customer_id=customer_id,
        currency=currency,
        lines=[pb.PlaceSalesOrderLine(product_id=p) for p in product_ids],
        shipping_address=address,  # a map: left out by both
    )
    at_fault = oversized_ids(request) + nul_characters(request)
    if not at_fault:
        check_request(request)  # nothing at fault: accepted
        return
    with pytest.raises(InvalidArgument) as refused:
        check_request(request)
    assert list(refused.value.violations) == at_fault
