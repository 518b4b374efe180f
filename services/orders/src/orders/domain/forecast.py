"""The sales forecast: open orders weighted by their stage's chance of becoming revenue. Plain
Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from orders.domain import pipeline as stages
from orders.domain.pipeline import Pipeline
from pricing.money import Money


@dataclass(frozen=True)
class OpenOrder:
    """An open order as the forecast weighs it."""

    total: Money
    order_type: str
    stage: str
    # When it is needed (its earliest line's date), or when it was placed.
    month: date


def forecast(
    orders: Sequence[OpenOrder], pipelines: Mapping[str, Pipeline]
) -> dict[tuple[str, str], Decimal]:
    """Expected revenue per (month "YYYY-MM", currency): each open order's total weighted by its
    stage's win probability, in the month it is needed (or was placed)."""
    expected: dict[tuple[str, str], Decimal] = {}
    for order in orders:
        pipeline = pipelines.get(order.order_type, stages.STANDARD)
        names = {s.name for s in pipeline.stages}
        probability = (
            pipeline.stage(order.stage).probability if order.stage in names else Decimal(0)
        )
        key = (f"{order.month:%Y-%m}", order.total.currency)
        expected[key] = expected.get(key, Decimal(0)) + order.total.amount * probability
    return expected
