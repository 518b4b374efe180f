"""The contracts reference (docs/reference/) cannot go stale, and proto/ cannot grow an element
without a comment: `make lint` runs the same check as the first test."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack import reference
from devstack.access_tables import UnreadableTable, read_access_tables, suite_access_tables
from devstack.contracts import current_descriptor_set
from devstack.protodoc import ProtoDocs
from servicekit.access import EVERY_ROLE, Rule

PROTO = """syntax = "proto3";

// Orders, for the test.
package t.v1;

// Places orders.
service OrderService {
  // Places one.
  rpc PlaceOrder(PlaceOrderRequest) returns (PlaceOrderResponse);
}

// What PlaceOrder takes.
message PlaceOrderRequest {
  // The product.
  string product_id = 1;
  int64 quantity = 2;
}

message PlaceOrderResponse {
  string order_id = 1; // The new order.
}
"""


def test_the_committed_reference_is_current_and_every_element_has_a_comment() -> None:
    pages, docs = reference.build()
    assert reference.problems(pages, docs, reference.REFERENCE_DIR) == []


def test_a_page_that_differs_is_missing_or_is_left_over_is_reported(tmp_path: Path) -> None:
    pages, _ = reference.build()
    reference.write(pages, tmp_path)
    assert reference.stale_pages(pages, tmp_path) == []

    (tmp_path / "orders.md").write_text(pages["orders.md"].replace("PlaceSalesOrder", "Place"))
    (tmp_path / "events.md").unlink()
    (tmp_path / "old.md").write_text("# gone")

    assert reference.stale_pages(pages, tmp_path) == [
        f"stale: {tmp_path.name}/orders.md",
        f"missing: {tmp_path.name}/events.md",
        f"not generated: {tmp_path.name}/old.md",
    ]


def test_an_uncommented_message_or_field_fails_the_check(tmp_path: Path) -> None:
    (tmp_path / "t" / "v1").mkdir(parents=True)
    (tmp_path / "t" / "v1" / "t.proto").write_text(PROTO)
    docs = ProtoDocs.of(current_descriptor_set(source_info=True, proto_dir=tmp_path))

    assert [(e.kind, e.name) for e in docs.uncommented()] == [
        ("field", "t.v1.PlaceOrderRequest.quantity"),
        ("message", "t.v1.PlaceOrderResponse"),
    ]
    assert docs.comment("t.v1.PlaceOrderResponse.order_id") == "The new order."  # trailing
    assert reference.problems({}, docs, tmp_path / "none") == [
        "uncommented field t.v1.PlaceOrderRequest.quantity (proto/t/v1/t.proto:16)",
        "uncommented message t.v1.PlaceOrderResponse (proto/t/v1/t.proto:19)",
    ]


def test_every_rpc_event_and_reader_appears_on_its_page() -> None:
    pages, docs = reference.build()
    assert "### rpc PlaceSalesOrder" in pages["orders.md"]
    assert "### rpc ListAuditEntries" in pages["audit.md"]
    placed = pages["events.md"].split("### event SalesOrderPlaced")[1].split("###")[0]
    assert "| `oms.orders.SalesOrderPlaced.v1` | `oms.orders.sales-order.v1` | orders | " \
        "quoting, orders, inventory, billing, woocommerce |" in placed  # fmt: skip
    rpcs = [e.name.rsplit(".", 1)[1] for e in docs.elements.values() if e.kind == "rpc"]
    assert all(f"### rpc {rpc}" in "".join(pages.values()) for rpc in rpcs)


def test_who_may_call_is_read_from_every_services_access_table() -> None:
    tables, unreadable = suite_access_tables(reference.SERVICES_DIR)
    assert unreadable == []
    pages, _ = reference.build()
    served = {
        f"{file.package}.{service.name}"
        for file in current_descriptor_set().file
        for service in file.service
    }
    assert served <= set(tables)
    cancel = pages["orders.md"].split("### rpc CancelSalesOrder")[1].split("###")[0]
    assert "Who may call: people with order-desk, sales, sales-manager (and admin); suite " \
        "services woocommerce on their own account." in cancel  # fmt: skip
    listed = pages["orders.md"].split("### rpc ListSalesOrders")[1].split("###")[0]
    assert "every signed-in person; internal clients with `orders:read`" in listed


def test_the_access_table_reader_evaluates_declarations_and_nothing_more() -> None:
    source = """
from oms.shop.v1 import shop_pb2
from servicekit.access import EVERY_ROLE, AccessTable, allow

SELLERS = ("sales", "order-desk")
READ = allow(*(r for r in EVERY_ROLE if r != "warehouse"), services=("orders",), scope="shop:read")
ACCESS = AccessTable(
    shop_pb2.DESCRIPTOR.services_by_name["ShopService"],
    {"Sell": allow(*SELLERS, "finance"), "Look": READ, "Reset": allow()},
)
"""
    tables = read_access_tables(source)
    rules = tables["oms.shop.v1.ShopService"]
    assert rules["Sell"] == Rule(frozenset({"sales", "order-desk", "finance"}))
    assert rules["Look"].roles == frozenset(EVERY_ROLE) - {"warehouse"}
    assert rules["Look"].services == frozenset({"orders"})
    assert rules["Look"].scope == "shop:read"
    assert rules["Reset"] == Rule()

    with pytest.raises(UnreadableTable, match="make_rule"):  # an unknown call is not evaluated
        read_access_tables(source.replace('"Reset": allow()', '"Reset": make_rule()'))
