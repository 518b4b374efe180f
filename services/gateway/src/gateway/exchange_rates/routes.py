"""/exchange-rates: the rates finance keeps in billing (credit control in orders converts with
them). Finance sets them; finance and the order desk read them."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from gateway.bodies import PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.openapi import problems
from gateway.exchange_rates.schemas import (
    ExchangeRate,
    ExchangeRateIn,
    ExchangeRateList,
    RatesImported,
)
from oms.billing.v1 import billing_pb2
from servicekit.errors import InvalidArgument

router = APIRouter(tags=["billing"])
routers = (router,)
Currency = Annotated[str | None, Query(pattern="^[A-Z]{3}$", description="ISO 4217")]
# text/csv as documented; the others as clients label a file (application/octet-stream being
# how a client generated from the document sends one).
CSV_TYPES = ("text/csv", "text/plain", "application/csv", "application/octet-stream")
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "date,currency,rate\n2026-12-01,USD,1.0842\n",
            },
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/exchange-rates",
    operation_id="setExchangeRate",
    summary="Set an exchange rate",
    status_code=201,
    response_model=ExchangeRate,
    dependencies=[require("finance")],
)
async def set_exchange_rate(body: ExchangeRateIn, request: Request) -> ExchangeRate:
    """One unit of `base_currency` is worth `rate` units of `quote_currency` from
    `effective_from` on (today by default); a rate set again for the same day replaces it, the
    same rate changes nothing. 422 on `rate` unless > 0 with at most 12 digits before the point
    and 12 after, on `quote_currency` when it is the base currency. Answers the rate as stored
    (no Location: rates are read by pair with listExchangeRates). Finance only."""
    reply = await request.app.state.clients.billing.SetExchangeRate(
        billing_pb2.SetExchangeRateRequest(
            base_currency=body.base_currency,
            quote_currency=body.quote_currency,
            rate=body.rate,
            effective_from=body.effective_from.isoformat() if body.effective_from else "",
        )
    )
    return ExchangeRate.model_validate(reply.rate)


@router.get(
    "/exchange-rates",
    operation_id="listExchangeRates",
    summary="List exchange rates",
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
    """Rates, latest effective date first: `base_currency` narrows to that currency's rates,
    with `quote_currency` too to one pair's. Finance and the order desk may read them."""
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


@router.post(
    "/exchange-rates/import",
    operation_id="importExchangeRates",
    summary="Import exchange rates from CSV",
    response_model=RatesImported,
    dependencies=[require("finance")],
    openapi_extra=CSV_BODY,
    responses=problems(413),
)
async def import_exchange_rates(
    request: Request,
    base_currency: Annotated[str, Query(pattern="^[A-Z]{3}$", description="ISO 4217")] = "EUR",
) -> RatesImported:
    """Rates from a CSV file in UTF-8 (`text/csv`, or `application/octet-stream`): a header
    `date,currency,rate`, then one row per rate -- one unit of `base_currency` is worth `rate`
    of `currency` from `date` on. All or nothing: 422 names every bad row as `lines[N].date`,
    `lines[N].currency` or `lines[N].rate` (N the file's line number, the header being 1) and
    stores none; 422 on `content-type` for a body of another type; 413 for a file larger than
    the gateway reads. Finance only."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in CSV_TYPES:
        raise InvalidArgument.of("content-type", f"send the file as text/csv, not {kind!r}")
    try:
        text = (await request.body()).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidArgument.of("csv", f"not UTF-8 text: {error.reason}") from error
    reply = await request.app.state.clients.billing.ImportExchangeRates(
        billing_pb2.ImportExchangeRatesRequest(base_currency=base_currency, csv=text)
    )
    return RatesImported(set=reply.set, unchanged=reply.unchanged)
