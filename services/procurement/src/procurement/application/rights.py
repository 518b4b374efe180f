"""Who sees supplier prices: the right procurement keeps beyond its access table
(entrypoints/access.py), which admits the warehouse to purchase orders and reorder rules."""

from __future__ import annotations

from servicekit.context import Principal


def sees_prices(caller: Principal) -> bool:
    """Purchasing and finance (and admin) see what suppliers charge, and so do internal clients
    granted `procurement:read` (servicekit.access admits them with the role "client"). Everyone
    else admitted, the warehouse, sees quantities and dates only: holding the warehouse role
    beside another one gives no prices either."""
    return caller.has_any("purchasing", "finance") or caller.roles == ("client",)
