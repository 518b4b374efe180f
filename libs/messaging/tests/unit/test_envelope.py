from datetime import datetime

import pytest

from messaging.envelope import Envelope, MalformedEnvelope
from messaging.events import event_type, registry, topic_of
from oms.events.v1 import orders_pb2
from servicekit.context import Principal, acting


def test_every_event_declares_its_wire_type_and_an_aggregate_topic() -> None:
    events = registry()
    assert "oms.orders.SalesOrderPlaced.v1" in events
    for ce_type, message in events.items():
        assert ce_type.startswith("oms.")
        assert ce_type.endswith(".v1")
        assert topic_of(message).startswith("oms.")
        assert topic_of(message).endswith(".v1")


def test_an_envelope_carries_cloudevents_headers_the_actor_and_the_causal_chain() -> None:
    message = orders_pb2.SalesOrderPlaced(order_id="o-1", currency="EUR")
    with acting(Principal("alice", ("sales",)), correlation="corr-1", causation="evt-0"):
        envelope = Envelope.wrap(message, source="/oms/orders", key="o-1")
    headers = dict(envelope.headers())
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_type"] == event_type(message).encode()
    assert headers["content-type"] == b"application/protobuf"
    assert headers["ce_actor"] == b"alice"
    assert headers["ce_correlationid"] == b"corr-1"
    assert headers["ce_causationid"] == b"evt-0"

    read = Envelope.from_record(envelope.topic, b"o-1", envelope.body, envelope.headers())
    assert read.event_id == envelope.event_id
    assert read.actor == Principal("alice", ("sales",))
    assert isinstance(read.time, datetime)
    assert orders_pb2.SalesOrderPlaced.FromString(read.body) == message


def test_a_record_without_cloudevents_headers_is_malformed() -> None:
    with pytest.raises(MalformedEnvelope, match="ce_id"):
        Envelope.from_record("t", b"k", b"", [("ce_type", b"x")])
