"""Money to and from its protobuf form (a decimal string and a currency code)."""

from __future__ import annotations

from oms.types.v1 import types_pb2
from pricing.money import Money


def money_to_proto(money: Money) -> types_pb2.Money:
    return types_pb2.Money(amount=str(money.amount), currency=money.currency)


def money_from_proto(message: types_pb2.Money) -> Money:
    """Raises InvalidMoney for an empty or malformed amount or an unknown currency."""
    return Money.of(message.amount, message.currency)
