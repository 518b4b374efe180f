"""A stalled saga step as the order desk reads it."""

from pydantic import Field

from gateway import examples as ex
from gateway.bodies import Response, When


class StalledStep(Response):
    """A saga step that stalled: an event orders could not apply, or an answer overdue."""

    model_config = ex.examples(ex.STALLED_STEP)

    order_id: str = Field(
        description="the order; for an accepted quote whose order was never made, its id-to-be"
    )
    quote_id: str = Field(description="the quote the order is made from; empty otherwise")
    step: str = Field(description="the event that could not be applied, or what was awaited")
    reason: str = Field(description="why it stalled, as of the last attempt")
    status: str = Field(description="stalled, or resolved once a retry went through")
    stalled_at: When
    attempts: int = Field(description="retries made by people")
    retried_by: str


class StalledStepList(Response):
    """A page of stalled steps, oldest first."""

    model_config = ex.examples(ex.page(ex.STALLED_STEP))

    items: list[StalledStep]
    next_page_token: str = Field(description="empty on the last page")
