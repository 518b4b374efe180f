"""What the REST bodies of every resource are made of: the request and response bases, ids,
quantities, pages, dates and money. Bounds come from their owners: ids and quantities from
servicekit.bounds, amounts from pricing.money (what the services can store)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Path, Query
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from oms.types.v1.types_pb2 import Money as MoneyMessage
from pricing.money import MAX_DECIMALS, MAX_INTEGER_DIGITS
from servicekit.bounds import MAX_ID_LENGTH, MAX_QUANTITY
from servicekit.paging import MAX_PAGE_SIZE


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _from_timestamp(value: Any) -> Any:
    return value.ToDatetime(tzinfo=UTC) if isinstance(value, Timestamp) else value


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


def _unset_is_none(value: Any) -> Any:
    if isinstance(value, Timestamp):
        return None if value.ByteSize() == 0 else value.ToDatetime(tzinfo=UTC)
    return value


When = Annotated[datetime, BeforeValidator(_from_timestamp)]
# A moment that may not have come (yet): unset on the wire means none.
MaybeWhen = Annotated[datetime | None, BeforeValidator(_unset_is_none)]
Date = Annotated[str, Field(max_length=10, examples=["2026-12-31"], description="YYYY-MM-DD")]
# An ISO date (YYYY-MM-DD) on the wire, where empty means none.
Day = Annotated[date | None, BeforeValidator(_empty_is_none)]

# Bounds for any route: an id (ours are UUIDs, clients' references shorter than this), a
# product's, warehouse's or SKU's code (the columns the services keep them in), a quantity of one
# line or movement, a version (an int32 on the wire), and a page of a list.
Id = Annotated[str, Field(max_length=MAX_ID_LENGTH)]
IdQuery = Annotated[str, Query(max_length=MAX_ID_LENGTH)]
IdPath = Annotated[str, Path(max_length=MAX_ID_LENGTH)]
Code = Annotated[str, Field(max_length=64)]
Count = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
WHOLE_UNITS = f"whole units, 1 to {MAX_QUANTITY:,}"
MAX_VERSION = 2**31 - 1
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"1 to {MAX_PAGE_SIZE}")]
PageToken = Annotated[
    str, Query(max_length=1000, description="the next_page_token of the page before")
]

# An amount every service can store: digits before the point and after, as pricing.money says.
AMOUNT_PATTERN = rf"^-?[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\.[0-9]{{1,{MAX_DECIMALS}}})?$"
AMOUNT_DIGITS = f"at most {MAX_INTEGER_DIGITS} digits before the point, {MAX_DECIMALS} after"


class MoneyIn(Request):
    """An amount that fits where money is kept: at most 12 digits before the point, 6 after."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"amount": "12.50", "currency": "EUR"}]}
    )

    amount: str = Field(examples=["12.50"], max_length=20, pattern=AMOUNT_PATTERN)
    currency: str = Field(examples=["EUR"], pattern="^[A-Z]{3}$", description="ISO 4217")

    def to_proto(self) -> MoneyMessage:
        return MoneyMessage(amount=self.amount, currency=self.currency)


class Money(Response):
    """An amount (a decimal string, never a float) and its ISO 4217 currency."""

    amount: str
    currency: str
