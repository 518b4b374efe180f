"""Bodies of the exchange rates finance keeps in billing."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from gateway.bodies import Request, Response, When
from gateway.examples import examples, page

# Examples for the OpenAPI document (valid instances of their models; no null field, which
# FastAPI leaves out), in the story of gateway.examples.
RATE_IN = {
    "base_currency": "USD",
    "quote_currency": "EUR",
    "rate": "0.9215",
    "effective_from": "2026-12-01",
}
RATE = RATE_IN | {"set_at": "2026-11-30T16:00:00Z", "set_by": "finn"}


class ExchangeRateIn(Request):
    """One unit of `base_currency` is worth `rate` units of `quote_currency` from
    `effective_from` (today when omitted) on."""

    model_config = examples(RATE_IN)

    base_currency: str = Field(pattern="^[A-Z]{3}$", examples=["USD"])
    quote_currency: str = Field(pattern="^[A-Z]{3}$", examples=["EUR"])
    rate: str = Field(
        max_length=30,
        examples=["0.9215"],
        description="> 0, at most 12 digits before the point and 12 after",
    )
    effective_from: date | None = Field(None, examples=["2026-03-01"])


class ExchangeRate(Response):
    """A rate finance set: one unit of `base_currency` is worth `rate` units of `quote_currency`
    from `effective_from` on."""

    model_config = examples(RATE)

    base_currency: str
    quote_currency: str
    rate: str
    effective_from: date
    set_at: When
    set_by: str


class ExchangeRateList(Response):
    """A page of exchange rates, latest effective date first."""

    model_config = examples(page(RATE))

    items: list[ExchangeRate]
    next_page_token: str = Field(description="empty on the last page")


class RatesImported(Response):
    """What an import of rates did: how many it stored and how many it found stored already."""

    model_config = examples({"set": 12, "unchanged": 3})

    set: int = Field(description="rates stored or replaced")
    unchanged: int = Field(description="rows repeating a rate already stored")
