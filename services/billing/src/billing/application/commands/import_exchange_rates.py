"""ImportExchangeRates: finance's rates from a CSV file (date, currency, rate against a base),
all or nothing -- one bad row refuses the file with its line and field, storing none. Each row is
stored as SetExchangeRate stores one (ExchangeRateSet, change log); a rate already stored for its
pair and day is left as it is."""

from __future__ import annotations

from dataclasses import dataclass

from billing.application.commands.set_exchange_rate import store_rate
from billing.application.ports import UnitOfWork
from billing.domain.exchange import rates_from_csv


@dataclass(frozen=True)
class ImportExchangeRates:
    base_currency: str
    csv: str


@dataclass(frozen=True)
class Imported:
    set: int
    unchanged: int


async def import_exchange_rates(uow: UnitOfWork, command: ImportExchangeRates) -> Imported:
    rates = rates_from_csv(command.base_currency, command.csv)
    changed = 0
    async with uow:
        for rate in rates:
            _, stored = await store_rate(uow, rate)
            changed += stored
    return Imported(changed, len(rates) - changed)
