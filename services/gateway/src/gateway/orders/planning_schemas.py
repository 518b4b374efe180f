"""The REST bodies of orders' reports and pipelines: the cost report, the sales forecast and an
order type's stages and moves."""

from __future__ import annotations

from pydantic import Field

from gateway import examples as ex
from gateway.bodies import Money, Request, Response
from gateway.reporting import ReportingTotal


class CostItem(Response):
    """An actual cost recorded."""

    kind: str
    amount: str
    description: str


class OrderCost(Response):
    """An order's estimated and actual costs."""

    order_id: str
    currency: str
    estimated: str = Field(description="goods at cost, fixed at approval; empty before")
    actual: str
    variance: str = Field(description="actual - estimated; empty without an estimate")
    items: list[CostItem]


class CostReport(Response):
    """A page of orders' costs, newest first."""

    model_config = ex.examples(ex.COST_REPORT)

    items: list[OrderCost]
    next_page_token: str = Field(description="empty on the last page")


class ForecastMonth(Response):
    """Expected revenue in a month (YYYY-MM), in one currency."""

    month: str
    expected: Money


class Forecast(Response):
    """Expected revenue by month, and its total in the reporting currency."""

    model_config = ex.examples(ex.FORECAST)

    items: list[ForecastMonth]
    reporting_total: ReportingTotal = Field(
        description="every month's expected revenue in the reporting currency, at today's rates"
    )


class PipelineStage(Request):
    """A stage of a pipeline: its win probability and the fields it requires."""

    name: str = Field(max_length=30)
    probability: str = Field("0", max_length=10, description="win probability, 0..1")
    requires: list[str] = Field(default_factory=list, max_length=10)
    open: bool = True


class PipelineTransition(Request):
    """A move the pipeline allows, and the roles that may make it."""

    from_stage: str = Field(max_length=30)
    to_stage: str = Field(max_length=30)
    roles: list[str] = Field(default_factory=list, max_length=10, description="empty: system only")
    auto: bool = False


class PipelineIn(Request):
    """An order type's stages and the moves between them."""

    model_config = ex.examples(ex.PIPELINE_IN)

    stages: list[PipelineStage] = Field(max_length=50)
    transitions: list[PipelineTransition] = Field(max_length=500)


class Pipeline(Response):
    """An order type's stages and the moves between them."""

    model_config = ex.examples(ex.PIPELINE)

    order_type: str
    stages: list[PipelineStage]
    transitions: list[PipelineTransition]
