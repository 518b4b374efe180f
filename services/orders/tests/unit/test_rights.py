"""Which of an order's figures each caller sees, without I/O (who reaches which order is
servicekit.sales_reach, tested there)."""

from orders.domain.rights import sees_costs, sees_prices
from servicekit.context import Principal

SAM = Principal("sam", ("sales",), "north")
MIA = Principal("mia", ("sales-manager",), "north")
MAX = Principal("max", ("sales-manager",))
DESK = Principal("olga", ("order-desk",))
WALT = Principal("walt", ("warehouse",))
SERVICE = Principal("reporting", ("client",))


def test_the_warehouse_sees_no_prices_and_only_the_desk_and_finance_see_costs() -> None:
    assert not sees_prices(WALT)
    assert not sees_prices(Principal("pat", ("purchasing", "warehouse")))
    assert sees_prices(Principal("pat", ("purchasing", "sales")))
    assert sees_prices(SAM)
    assert sees_prices(SERVICE)
    assert [sees_costs(p) for p in (SAM, MIA, WALT, DESK, SERVICE)] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert sees_costs(Principal("fin", ("finance",)))
