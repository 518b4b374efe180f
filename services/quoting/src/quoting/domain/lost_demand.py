"""The lost-demand report: requests lost, by period (month or quarter) and reason, with their
number and estimated value per currency, and the totals per reason. Plain Python over the
monthly sums the repository reads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pricing.money import Money
from servicekit.errors import InvalidArgument

# The longest span one report covers, so one call reads a bounded number of months.
MAX_DAYS = 366 * 5


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True)
class MonthlyLoss:
    """What the repository reads: the requests lost in one month for one reason in one
    currency, and their estimated value."""

    month: date  # its first day
    reason: str
    currency: str
    requests: int
    value: Decimal


@dataclass(frozen=True)
class LostDemandRow:
    period: str
    reason: str
    requests: int
    value: tuple[Money, ...]  # one per currency, by currency code


@dataclass(frozen=True)
class LostDemandTotal:
    reason: str
    requests: int
    value: tuple[Money, ...]


@dataclass(frozen=True)
class LostDemand:
    rows: tuple[LostDemandRow, ...]
    totals: tuple[LostDemandTotal, ...]


def report_span(from_date: str, to_date: str, period: str) -> tuple[date, date, Period]:
    """The report's first and last day and its period; InvalidArgument naming the field."""
    days: list[date] = []
    for field, text in (("from_date", from_date), ("to_date", to_date)):
        try:
            days.append(date.fromisoformat(text))
        except ValueError as error:
            raise InvalidArgument.of(field, "a date, YYYY-MM-DD") from error
    first, last = days
    if last < first:
        raise InvalidArgument.of("to_date", "on or after from_date")
    if (last - first).days > MAX_DAYS:
        raise InvalidArgument.of("to_date", f"at most {MAX_DAYS} days after from_date")
    try:
        return first, last, Period(period or Period.MONTH)
    except ValueError as error:
        raise InvalidArgument.of("period", "month or quarter") from error


def period_of(month: date, period: Period) -> str:
    """ "2026-12" for a month, "2026-Q4" for a quarter."""
    if period is Period.MONTH:
        return f"{month.year}-{month.month:02d}"
    return f"{month.year}-Q{(month.month - 1) // 3 + 1}"


def _moneys(by_currency: dict[str, Decimal]) -> tuple[Money, ...]:
    return tuple(Money(by_currency[c], c).trimmed() for c in sorted(by_currency))


def lost_demand(losses: list[MonthlyLoss], period: Period) -> LostDemand:
    """Rows by period then reason, totals by reason; nothing for what nobody lost."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    values: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    reason_counts: dict[str, int] = defaultdict(int)
    reason_values: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for loss in losses:
        key = (period_of(loss.month, period), loss.reason)
        counts[key] += loss.requests
        values[key][loss.currency] += loss.value
        reason_counts[loss.reason] += loss.requests
        reason_values[loss.reason][loss.currency] += loss.value
    rows = tuple(
        LostDemandRow(when, reason, counts[(when, reason)], _moneys(values[(when, reason)]))
        for when, reason in sorted(counts)
    )
    totals = tuple(
        LostDemandTotal(reason, reason_counts[reason], _moneys(reason_values[reason]))
        for reason in sorted(reason_counts)
    )
    return LostDemand(rows, totals)
