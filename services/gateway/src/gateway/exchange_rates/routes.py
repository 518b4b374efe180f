"""/exchange-rates: the rates finance keeps in billing (credit control in orders converts with
them). Finance sets them; finance and the order desk read them."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import PageSize, PageToken
from gateway.edge.auth import require
from gateway.exchange_rates.schemas import ExchangeRate, ExchangeRateIn, ExchangeRateList
from oms.billing.v1 import billing_pb2

router = APIRouter(tags=["billing"])
routers = (router,)
Currency = Annotated[str | None, Query(pattern="^[A-Z]{3}$", description="ISO 4217")]


@router.post(
    "/exchange-rates",
    status_code=201,
    response_model=ExchangeRate,
    dependencies=[require("finance")],
)
async def set_exchange_rate(
    body: ExchangeRateIn, request: Request, response: Response
) -> ExchangeRate:
    """One unit of `base_currency` is worth `rate` units of `quote_currency` from
    `effective_from` on (today by default); a rate set again for the same day replaces it, the
    same rate changes nothing. 422 on `rate` unless > 0 with at most 12 digits before the point
    and 12 after, on `quote_currency` when it is the base currency."""
    reply = await request.app.state.clients.billing.SetExchangeRate(
        billing_pb2.SetExchangeRateRequest(
            base_currency=body.base_currency,
            quote_currency=body.quote_currency,
            rate=body.rate,
            effective_from=body.effective_from.isoformat() if body.effective_from else "",
        )
    )
    rate = reply.rate
    response.headers["Location"] = (
        f"{request.url.path}?base_currency={rate.base_currency}"
        f"&quote_currency={rate.quote_currency}"
    )
    return ExchangeRate.model_validate(rate)


@router.get(
    "/exchange-rates",
    response_model=ExchangeRateList,
    dependencies=[require("finance", "order-desk")],
)
async def exchange_rates(
    request: Request,
    base_currency: Currency = None,
    quote_currency: Currency = None,
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> ExchangeRateList:
    """Rates, latest effective date first; one pair's with `base_currency` and `quote_currency`."""
    reply = await request.app.state.clients.billing.ListExchangeRates(
        billing_pb2.ListExchangeRatesRequest(
            base_currency=base_currency or "",
            quote_currency=quote_currency or "",
            page_size=page_size,
            page_token=page_token,
        )
    )
    return ExchangeRateList(
        items=[ExchangeRate.model_validate(r) for r in reply.rates],
        next_page_token=reply.next_page_token,
    )
