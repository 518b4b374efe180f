"""Which of an order's figures a caller sees. Plain Python.

The access table (entrypoints/access.py) admits a caller to an RPC; which orders a person reaches
is the sales team's rule (servicekit.sales_reach). The warehouse and purchasing see quantities
and addresses but no prices; costs are for the order desk and finance. Suite services and
registered clients (acting on their own account, not a person's) see everything their scope
admits them to.
"""

from __future__ import annotations

from servicekit.auth import ROLES
from servicekit.context import Principal

SEE_COSTS = ("order-desk", "finance")
PRICE_BLIND = ("warehouse", "purchasing")


def is_person(who: Principal) -> bool:
    """A person through the gateway, rather than a service, a client or the system."""
    return all(role in ROLES for role in who.roles)


def sees_prices(who: Principal) -> bool:
    return not (is_person(who) and who.has_only(*PRICE_BLIND))


def sees_costs(who: Principal) -> bool:
    return not is_person(who) or who.has_any(*SEE_COSTS)
