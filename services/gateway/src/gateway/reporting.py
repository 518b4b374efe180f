"""What a report's total in the reporting currency looks like in every resource that has one
(AR and AP ageing, revenue, the sales forecast): each currency with the rate used, or why it has
none, and whether the total is complete."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from gateway.bodies import Money, Response
from oms.types.v1.types_pb2 import Money as MoneyMessage


def _unset_is_none(value: Any) -> Any:
    return None if isinstance(value, MoneyMessage) and not value.currency else value


class CurrencyConversion(Response):
    """A currency's amount converted to the reporting currency, or why not."""

    amount: Money = Field(description="the report's amount in its own currency")
    converted: Annotated[Money | None, BeforeValidator(_unset_is_none)] = Field(
        None, description="in the reporting currency, rounded once (half up); null: no rate"
    )
    rate: str = Field(description="reporting-currency units per unit; empty: no rate")
    rate_pair: str = Field(description='the rate finance set: "USD/EUR", or "EUR/USD" inverted')
    rate_effective_from: str = Field(description="the day that rate applies from")
    missing: str = Field(description="why it is not converted; empty when it is")


class ReportingTotal(Response):
    """A total in the reporting currency, from each currency at its rate."""

    currency: str = Field(description="the reporting currency")
    total: Money = Field(description="the sum of the converted amounts")
    complete: bool = Field(description="false when a currency has no rate (left out of total)")
    rates_on: str = Field(description="the day whose rates were applied")
    conversions: list[CurrencyConversion]
