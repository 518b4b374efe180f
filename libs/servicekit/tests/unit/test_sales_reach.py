"""Whose quotes and orders each person reaches, and whose name they carry, without I/O."""

import pytest

from servicekit.context import SYSTEM, Principal
from servicekit.errors import PermissionDenied
from servicekit.sales_reach import check_reach, reach_of, salesperson_for

SAM = Principal("sam", ("sales",), "north")
NORTH_MANAGER = Principal("nina", ("sales-manager",), "north")
SOUTH_MANAGER = Principal("sol", ("sales-manager",), "south")
MANAGER_WITHOUT_TEAM = Principal("max", ("sales-manager",))
SALES_AND_MANAGER = Principal("nina", ("sales", "sales-manager"), "north")

# (salesperson, team of whoever made it)
SAMS = ("sam", "north")
KIMS_IN_NORTH = ("kim", "north")
SOLS_OWN_IN_NORTH = ("sol", "north")  # assigned to sol by a northern manager
SOUTHERN = ("lee", "south")
OLD = ("sam", "")  # from before teams were kept
EVERY = [SAMS, KIMS_IN_NORTH, SOLS_OWN_IN_NORTH, SOUTHERN, OLD]


@pytest.mark.parametrize(
    ("caller", "reaches"),
    [
        (SAM, [SAMS, OLD]),
        (NORTH_MANAGER, [SAMS, KIMS_IN_NORTH, SOLS_OWN_IN_NORTH]),
        (SALES_AND_MANAGER, [SAMS, KIMS_IN_NORTH, SOLS_OWN_IN_NORTH]),
        (SOUTH_MANAGER, [SOLS_OWN_IN_NORTH, SOUTHERN]),
        (MANAGER_WITHOUT_TEAM, EVERY),
        (Principal("odette", ("order-desk",)), EVERY),
        (Principal("walt", ("warehouse",)), EVERY),
        (Principal("fin", ("finance", "sales")), EVERY),
        (Principal("root", ("admin",)), EVERY),
        (Principal("client:reporting", ("client",)), EVERY),
        (Principal("orders", ("service",)), EVERY),
        (SYSTEM, EVERY),
    ],
)
def test_each_caller_reaches_what_their_role_and_team_allow(
    caller: Principal, reaches: list[tuple[str, str]]
) -> None:
    assert [d for d in EVERY if reach_of(caller).covers(*d)] == reaches
    for beyond in (d for d in EVERY if d not in reaches):
        with pytest.raises(PermissionDenied, match="is not"):
            check_reach(caller, "quote q-1", *beyond)


def test_a_salesperson_works_in_their_own_name_and_cannot_name_another() -> None:
    assert salesperson_for(SAM, "") == "sam"
    assert salesperson_for(SAM, " sam ") == "sam"
    with pytest.raises(PermissionDenied) as refused:
        salesperson_for(SAM, "kim")
    assert [v.field for v in refused.value.violations] == ["salesperson"]


def test_a_manager_the_order_desk_or_admin_assigns_or_keeps_whoever_it_was() -> None:
    assert salesperson_for(NORTH_MANAGER, "kim") == "kim"
    assert salesperson_for(NORTH_MANAGER, "", current="kim") == "kim"
    assert salesperson_for(NORTH_MANAGER, "") == "nina"
    assert salesperson_for(Principal("odette", ("order-desk",)), " kim ") == "kim"
    assert salesperson_for(Principal("root", ("admin",)), "sam") == "sam"
