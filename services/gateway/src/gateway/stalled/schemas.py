"""A stalled saga step as the order desk reads it."""

from pydantic import Field

from gateway.bodies import Response, When


class StalledStep(Response):
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
    items: list[StalledStep]
    next_page_token: str = Field(description="empty on the last page")
