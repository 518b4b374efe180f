"""Every event message in the contracts, found by the wire identity its proto declares."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from google.protobuf.message import Message

import oms.events.v1
from oms.events.v1 import options_pb2

DEAD_LETTER_SUFFIX = ".dlq"


def event_type(message: type[Message] | Message) -> str:
    value: str = message.DESCRIPTOR.GetOptions().Extensions[options_pb2.event_type]
    if not value:
        raise TypeError(f"{message.DESCRIPTOR.full_name} declares no (oms.events.v1.event_type)")
    return value


def topic_of(message: type[Message] | Message) -> str:
    value: str = message.DESCRIPTOR.GetOptions().Extensions[options_pb2.topic]
    if not value:
        raise TypeError(f"{message.DESCRIPTOR.full_name} declares no (oms.events.v1.topic)")
    return value


def topic_owner(topic: str) -> str:
    """The service that owns a topic, as its name says: oms.<service>.<aggregate>.v<n>."""
    parts = topic.split(".")
    if len(parts) < 4 or parts[0] != "oms":
        raise ValueError(f"{topic!r} is not named oms.<service>.<aggregate>.v<n>")
    return parts[1]


def source_of(service: str) -> str:
    """The CloudEvents `ce_source` of what a service publishes."""
    return f"/oms/{service}"


def dead_letter_topic(topic: str) -> str:
    return topic + DEAD_LETTER_SUFFIX


@cache
def registry() -> dict[str, type[Message]]:
    """ce_type -> message class, for every event in proto/oms/events/v1."""
    found: dict[str, type[Message]] = {}
    for module_info in pkgutil.iter_modules(oms.events.v1.__path__):
        if not module_info.name.endswith("_pb2"):
            continue
        module = importlib.import_module(f"oms.events.v1.{module_info.name}")
        for descriptor in module.DESCRIPTOR.message_types_by_name.values():
            cls = getattr(module, descriptor.name)
            if descriptor.GetOptions().Extensions[options_pb2.event_type]:
                found[event_type(cls)] = cls
    return found
