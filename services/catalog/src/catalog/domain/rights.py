"""What of a product each caller may read. The access table decides who calls which RPC; this
decides which figures the answer holds: costs are for the people who buy and account (and the
suite's services, which estimate margins), prices are for everyone but the warehouse."""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.context import Principal

COST_READERS = ("purchasing", "finance")
# The role a suite service acting on its own account holds (servicekit.access); no person can.
SERVICE_ROLE = "service"
# A product's fields that hold costs, as the API names them.
COST_FIELDS = ("cost", "suppliers.cost")


@dataclass(frozen=True)
class Visibility:
    prices: bool
    costs: bool

    @property
    def withheld(self) -> tuple[str, ...]:
        """The product fields left out, as the API names them."""
        return (*(() if self.prices else ("list_price",)), *(() if self.costs else COST_FIELDS))


def visibility(caller: Principal) -> Visibility:
    """Admin passes `has_any`; an internal client (role "client") reads prices, not costs."""
    return Visibility(
        prices=not caller.has_only("warehouse"),
        costs=SERVICE_ROLE in caller.roles or caller.has_any(*COST_READERS),
    )
