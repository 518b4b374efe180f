"""The lost-demand report over the requests the caller reaches (a salesperson: their own; a
manager: the team's; finance and the order desk: all)."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.ports import Ports
from quoting.domain.lost_demand import LostDemand, lost_demand, report_span
from servicekit.context import current_principal
from servicekit.sales_reach import reach_of


@dataclass(frozen=True)
class LostDemandReport:
    from_date: str
    to_date: str
    period: str = ""


async def lost_demand_report(ports: Ports, query: LostDemandReport) -> LostDemand:
    first, last, period = report_span(query.from_date, query.to_date, query.period)
    async with ports.uow() as uow:
        losses = await uow.customer_requests.losses(reach_of(current_principal()), first, last)
    return lost_demand(losses, period)
