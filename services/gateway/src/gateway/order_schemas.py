"""The order desk's REST bodies: moves through the pipeline, history, changes, cancellations,
returns, costs, the forecast and the pipelines themselves."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gateway.schemas import (
    AddressKey,
    AddressValue,
    Count,
    Id,
    Money,
    Request,
    Response,
    SalesOrder,
    When,
)
from servicekit.bounds import MAX_QUANTITY


class TransitionIn(Request):
    to_stage: str = Field(max_length=30, examples=["execution"])
    fields: dict[Annotated[str, Field(max_length=30)], Annotated[str, Field(max_length=200)]] = (
        Field(
            default_factory=dict,
            max_length=10,
            examples=[{"contract_number": "K-2026-17", "payment_terms": "30 days net"}],
            description="what the target stage requires: contract_number, payment_terms",
        )
    )
    reason: str = Field("", max_length=2000)
    release_credit_hold: bool = Field(False, description="finance only: move on despite the limit")


class HistoryEntry(Response):
    from_status: str = Field(description="empty for a change that is not a move")
    to_status: str
    reason: str
    note: str = Field(description="what changed, for a change that is not a move")
    actor: str
    caused_by: str = Field(description="the event that caused it, when one did")
    at: When


class History(Response):
    items: list[HistoryEntry]
    next_page_token: str = Field(description="empty on the last page")


class CancelIn(Request):
    reason: str = Field(max_length=2000)


class NewQuantityIn(Request):
    line_id: Id
    quantity: int = Field(ge=0, le=MAX_QUANTITY, description="0 drops the line")


class OrderChangeIn(Request):
    lines: list[NewQuantityIn] = Field(
        default_factory=list, max_length=500, description="new quantities; 0 drops a line"
    )
    shipping_address: dict[AddressKey, AddressValue] | None = Field(None, max_length=20)


class ReturnLineIn(Request):
    line_id: Id
    quantity: Count


class ReturnIn(Request):
    lines: list[ReturnLineIn] = Field(max_length=500)
    reason: str = Field(max_length=2000)


class ReturnAuthorised(Response):
    return_id: str
    order: SalesOrder


class CostIn(Request):
    kind: Literal["goods", "shipping", "service", "other"]
    amount: str = Field(
        max_length=40,
        examples=["12.50"],
        description="in the order's currency, > 0: at most 12 digits before the point, 6 after",
    )
    description: str = Field("", max_length=2000)


class CostItem(Response):
    kind: str
    amount: str
    description: str


class OrderCost(Response):
    order_id: str
    currency: str
    estimated: str = Field(description="goods at cost, fixed at approval; empty before")
    actual: str
    variance: str = Field(description="actual - estimated; empty without an estimate")
    items: list[CostItem]


class CostReport(Response):
    items: list[OrderCost]
    next_page_token: str = Field(description="empty on the last page")


class ForecastMonth(Response):
    month: str
    expected: Money


class Forecast(Response):
    items: list[ForecastMonth]


class PipelineStage(Request):
    name: str = Field(max_length=30)
    probability: str = Field("0", max_length=10, description="win probability, 0..1")
    requires: list[str] = Field(default_factory=list, max_length=10)
    open: bool = True


class PipelineTransition(Request):
    from_stage: str = Field(max_length=30)
    to_stage: str = Field(max_length=30)
    roles: list[str] = Field(default_factory=list, max_length=10, description="empty: system only")
    auto: bool = False


class PipelineIn(Request):
    stages: list[PipelineStage] = Field(max_length=50)
    transitions: list[PipelineTransition] = Field(max_length=500)


class Pipeline(Response):
    order_type: str
    stages: list[PipelineStage]
    transitions: list[PipelineTransition]
