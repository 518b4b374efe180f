"""Oversized ids are refused by field path, at any depth of a request."""

from oms.orders.v1 import orders_pb2 as pb
from servicekit.bounds import MAX_ID_LENGTH
from servicekit.request_checks import oversized_ids


def test_ids_longer_than_the_limit_are_named_by_their_path() -> None:
    long = "x" * (MAX_ID_LENGTH + 1)
    request = pb.PlaceSalesOrderRequest(
        customer_id=long,
        lines=[pb.PlaceSalesOrderLine(product_id="ok"), pb.PlaceSalesOrderLine(product_id=long)],
    )
    assert [v.field for v in oversized_ids(request)] == ["customer_id", "lines[1].product_id"]
    assert oversized_ids(pb.PlaceSalesOrderRequest(customer_id="x" * MAX_ID_LENGTH)) == []
