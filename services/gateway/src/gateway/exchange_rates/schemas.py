"""Bodies of the exchange rates finance keeps in billing."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from gateway.bodies import Request, Response, When


class ExchangeRateIn(Request):
    """One unit of `base_currency` is worth `rate` units of `quote_currency` from
    `effective_from` (today when omitted) on."""

    base_currency: str = Field(pattern="^[A-Z]{3}$", examples=["USD"])
    quote_currency: str = Field(pattern="^[A-Z]{3}$", examples=["EUR"])
    rate: str = Field(
        max_length=30,
        examples=["0.9215"],
        description="> 0, at most 12 digits before the point and 12 after",
    )
    effective_from: date | None = Field(None, examples=["2026-03-01"])


class ExchangeRate(Response):
    base_currency: str
    quote_currency: str
    rate: str
    effective_from: date
    set_at: When
    set_by: str


class ExchangeRateList(Response):
    items: list[ExchangeRate]
    next_page_token: str = Field(description="empty on the last page")


class RatesImported(Response):
    set: int = Field(description="rates stored or replaced")
    unchanged: int = Field(description="rows repeating a rate already stored")
