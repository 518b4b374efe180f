"""The activity journal: each event type's one-line summary (never an amount of money), whom an
event concerns (an order, or an invoice or quote linked to one), the trace id, and the timeline
as the order's readers see it, on the fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from messaging.envelope import Envelope
from messaging.events import registry
from oms.events.v1 import billing_pb2, inventory_pb2, options_pb2
from oms.types.v1.types_pb2 import Money
from orders.application.activity import order_timeline, project
from orders.domain.activity import (
    SUMMARIES,
    Happened,
    Link,
    entries_of,
    short_type,
    subjects_of,
    summary,
    trace_id_of,
)
from orders.entrypoints.activity import (
    TOPICS,
    MessageFields,
    activity_group,
    decoded,
    happened,
    journalled,
)
from servicekit.context import Principal, acting
from servicekit.errors import NotFound, PermissionDenied
from services.orders.tests.unit.builders import (
    DESK,
    KIM,
    SAM,
    WAREHOUSE,
    a_catalog,
    a_request,
    as_user,
    placed,
    registered,
)
from services.orders.tests.unit.fakes import FakeActivity, fake_deps

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def an_event(kind: str, fields: dict[str, object], at: datetime = T0, n: int = 1) -> Happened:
    return Happened(
        event_id=f"e-{n}",
        event_type=kind,
        at=at,
        service=kind.split(".")[1],
        actor="olga",
        cause_id="c-0",
        correlation_id="flow-1",
        traceparent=f"00-{TRACE}-00f067aa0ba902b7-01",
        fields=fields,
    )


def test_every_event_type_the_journal_reads_has_a_summary_and_none_names_money() -> None:
    types = {short_type(t) for t in registry() if registry()[t] in journalled()}
    assert types == set(SUMMARIES), "a new event type on these topics wants a wording"
    money = {"amount": "1234.56", "currency": "EUR"}
    for kind in types:
        fields = {
            "order_id": "o-1",
            "total": money,
            "amount": money,
            "balance": money,
            "invoice_balance": money,
            "lines": [{"quantity": "2", "unit_price": money}],
        }
        text = summary(f"oms.x.{kind}.v1", fields)
        assert text, kind
        assert "1234" not in text, kind
        assert "EUR" not in text, kind


def test_the_journals_group_gathers_its_fetches_and_reads_every_journalled_event() -> None:
    """A timeline people read may lag half a second; waking for each event cost more."""
    group = activity_group()
    assert 0 < group.gather_ms <= 1000
    assert group.inbox is None
    assert {s.message for s in group.subscriptions} == set(journalled())


def test_summaries_read_as_a_person_says_it() -> None:
    assert summary("oms.inventory.StockReserved.v1", {"lines": [{}, {}]}) == (
        "Stock reserved for 2 lines"
    )
    assert summary(
        "oms.inventory.ShipmentDispatched.v1",
        {"shipment_id": "s-1", "lines": [{"quantity": "2"}, {"quantity": "3"}], "carrier": "DHL"},
    ) == ("Shipment s-1 dispatched, 5 units via DHL")
    assert summary(
        "oms.orders.SalesOrderStatusChanged.v1",
        {"from_status": "approval", "to_status": "execution", "reason": "within limit"},
    ) == ("Status approval -> execution: within limit")
    assert summary("oms.billing.InvoiceIssued.v1", {"number": "INV-7"}) == "Invoice INV-7 issued"
    assert summary("oms.billing.SalesOrderHoldChanged.v1", {"on_hold": False}) == "Hold released"
    assert len(summary("oms.orders.SalesOrderCancelled.v1", {"reason": "x" * 900})) == 500


def test_an_event_type_without_a_wording_is_summarised_by_its_type() -> None:
    assert summary("oms.billing.SomethingNew.v2", {"order_id": "o-1"}) == (
        "oms.billing.SomethingNew.v2"
    )
    entries, _ = entries_of(an_event("oms.billing.SomethingNew.v2", {"order_id": "o-1"}))
    assert [(e.subject, e.summary) for e in entries] == [("o-1", "oms.billing.SomethingNew.v2")]


def test_an_event_concerns_its_order_else_its_invoices_or_quote_and_teaches_links() -> None:
    issued = {"invoice_id": "i-1", "order_id": "o-1", "quote_id": ""}
    assert subjects_of("oms.billing.InvoiceIssued.v1", issued) == (
        ["o-1"],
        [Link("invoice:i-1", "o-1")],
    )
    assert subjects_of("oms.billing.PaymentReceived.v1", {"invoice_id": "i-1"}) == (
        ["invoice:i-1"],
        [],
    )
    assert subjects_of("oms.billing.ReminderSent.v1", {"invoice_ids": ["i-1", "i-2", "i-1"]}) == (
        ["invoice:i-1", "invoice:i-2"],
        [],
    )
    accepted = {"quote_id": "q-1", "convert_to": "sales_order", "target_id": "o-9"}
    assert subjects_of("oms.quoting.QuoteAccepted.v1", accepted) == (
        ["o-9"],
        [Link("quote:q-1", "o-9")],
    )
    assert subjects_of("oms.quoting.QuoteSent.v1", {"quote_id": "q-1"}) == (["quote:q-1"], [])
    assert subjects_of("oms.quoting.QuoteAccepted.v1", {**accepted, "convert_to": "invoice"})[
        0
    ] == ["quote:q-1"]
    assert subjects_of("oms.orders.Nothing.v1", {}) == ([], [])


def test_the_trace_id_comes_from_the_traceparent_or_is_empty() -> None:
    assert trace_id_of(f"00-{TRACE}-00f067aa0ba902b7-01") == TRACE
    for bad in ("", "garbage", f"00-{'0' * 32}-00f067aa0ba902b7-01", "00-xyz-00f0-01"):
        assert trace_id_of(bad) == ""


def test_an_entry_carries_the_envelopes_facts() -> None:
    (entry,), _ = entries_of(an_event("oms.billing.InvoicePaid.v1", {"order_id": "o-1"}))
    assert (entry.actor, entry.cause_id, entry.correlation_id, entry.trace_id) == (
        "olga",
        "c-0",
        "flow-1",
        TRACE,
    )
    assert (entry.service, entry.at, entry.event_id) == ("billing", T0, "e-1")


def test_a_record_decodes_as_the_live_group_would_and_forged_ones_are_left_out() -> None:
    assert {t.DESCRIPTOR.full_name for t in journalled()} >= {
        "oms.events.v1.InvoicePaid",
        "oms.events.v1.StockReserved",
        "oms.events.v1.QuoteAccepted",
        "oms.events.v1.SalesOrderPlaced",
    }
    paid = billing_pb2.PaymentReceived(
        payment_id="p-1", invoice_id="i-1", amount=Money(amount="10", currency="EUR")
    )
    with acting(Principal("fin", ("finance",)), "flow-1", "cause-1"):
        envelope = Envelope.wrap(paid, source="/oms/billing", key="i-1")
    record = _Record(envelope.topic, b"i-1", envelope.body, envelope.headers())
    event = decoded(record, "")  # type: ignore[arg-type]
    assert event is not None
    assert (event.service, event.actor, event.cause_id, event.correlation_id) == (
        "billing",
        "fin",
        "cause-1",
        "flow-1",
    )
    assert event.fields["invoice_id"] == "i-1"
    assert event == happened(paid, envelope)
    forged = Envelope.wrap(paid, source="/oms/orders", key="i-1")
    record = _Record(forged.topic, b"i-1", forged.body, forged.headers())
    assert decoded(record, "") is None  # type: ignore[arg-type]
    other = Envelope.wrap(inventory_pb2.LowStock(product_id="p"), source="/oms/inventory", key="p")
    assert other.topic not in TOPICS
    assert decoded(_Record(other.topic, b"p", other.body, other.headers()), "") is None  # type: ignore[arg-type]


class _Record:
    def __init__(self, topic: str, key: bytes, value: bytes, headers: list[tuple[str, bytes]]):
        self.topic, self.key, self.value, self.headers = topic, key, value, headers


async def test_the_timeline_has_the_orders_entries_and_its_invoices_for_its_readers() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    order = await placed(deps, a_request(customer, ("p1", 1)), who=SAM)
    journal = FakeActivity(database.store)
    later = T0 + timedelta(minutes=5)
    await project(
        journal, [an_event("oms.billing.PaymentReceived.v1", {"invoice_id": "i-1"}, later, 3)]
    )
    await project(
        journal,
        [
            an_event("oms.inventory.StockReserved.v1", {"order_id": order.id}, T0, 1),
            an_event(
                "oms.billing.InvoiceIssued.v1",
                {"order_id": order.id, "invoice_id": "i-1", "number": "INV-1"},
                later,
                2,
            ),
            an_event("oms.quoting.QuoteSent.v1", {"quote_id": "q-other"}, T0, 4),
        ],
    )
    for reader in (SAM, DESK, WAREHOUSE):
        with as_user(reader):
            found = await order_timeline(deps, order.id)
        assert [e.event_id for e in found] == ["e-1", "e-2", "e-3"]
    assert found[2].summary == "Payment received on invoice i-1"
    with as_user(KIM), pytest.raises(PermissionDenied):
        await order_timeline(deps, order.id)
    with as_user(DESK), pytest.raises(NotFound):
        await order_timeline(deps, "no-such-order")


def _filled(message: Message, seed: int, depth: int = 0) -> Message:
    """Every field of `message` set (strings, numbers, bools, nested and repeated messages),
    the values varied by `seed`; some left at their defaults."""
    for field in message.DESCRIPTOR.fields:
        if (seed + field.number) % 4 == 0:
            continue  # at its default: absent from the fields
        if field.message_type is not None:
            if field.message_type.GetOptions().map_entry:
                getattr(message, field.name)["k"] = "v"
            elif depth < 3:
                target = getattr(message, field.name)
                items = (
                    [target.add() for _ in range(seed % 3 + 1)] if field.is_repeated else [target]
                )
                for item in items:
                    _filled(item, seed + 1, depth + 1)
        elif field.type == FieldDescriptor.TYPE_STRING:
            _set(message, field, f"{field.name}-{seed}")
        elif field.type == FieldDescriptor.TYPE_BOOL:
            _set(message, field, True)
        elif field.cpp_type in _INTEGERS:
            _set(message, field, seed + field.number)
    return message


_INTEGERS = {
    FieldDescriptor.CPPTYPE_INT32,
    FieldDescriptor.CPPTYPE_INT64,
    FieldDescriptor.CPPTYPE_UINT32,
    FieldDescriptor.CPPTYPE_UINT64,
}


def _set(message: Message, field: FieldDescriptor, value: object) -> None:
    if field.is_repeated:
        getattr(message, field.name).append(value)
    else:
        setattr(message, field.name, value)


@pytest.mark.parametrize("seed", range(4))
def test_fields_read_lazily_say_what_the_whole_message_as_json_says(seed: int) -> None:
    # the journal reads only the fields its summaries need (MessageFields); each journalled
    # type, filled in four ways, must give the summary, subjects and links the message's full
    # JSON form gives
    for kind in journalled():
        message = _filled(kind(), seed)
        event_type = kind.DESCRIPTOR.GetOptions().Extensions[options_pb2.event_type]
        lazy = MessageFields(message)
        whole = MessageToDict(message, preserving_proto_field_name=True)
        assert summary(event_type, lazy) == summary(event_type, whole), event_type
        assert subjects_of(event_type, lazy) == subjects_of(event_type, whole), event_type
        assert set(lazy) == set(whole)
        assert len(lazy) == len(whole)
