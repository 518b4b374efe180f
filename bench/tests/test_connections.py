"""The benchmark counts the connections the stack opened to PostgreSQL during a run, and how many
it closed again, by database, from PostgreSQL's own counts, the load generator's sessions apart."""

from __future__ import annotations

from bench.connections import Opened, Sessions, database_of, opened_by_stack
from bench.report import connections_table


def test_a_pool_that_grew_opened_connections_and_closed_none() -> None:
    before = {"oms_orders": Sessions(begun=40, connected=5)}
    after = {"oms_orders": Sessions(begun=55, connected=20)}
    assert opened_by_stack(before, after, {}, {}) == {"oms_orders": Opened(15, 0)}


def test_a_pool_that_churned_closed_what_it_opened_beyond_what_stays_connected() -> None:
    before = {"oms_orders": Sessions(begun=40, connected=10)}
    after = {"oms_orders": Sessions(begun=80, connected=12)}
    assert opened_by_stack(before, after, {}, {}) == {"oms_orders": Opened(40, 38)}


def test_the_generators_sessions_are_not_the_stacks() -> None:
    """It opened two sessions on the orders' database and closed one of them before the end."""
    before = {"oms_orders": Sessions(begun=40, connected=10), "oms_billing": Sessions(3, 2)}
    after = {"oms_orders": Sessions(begun=47, connected=12), "oms_billing": Sessions(3, 2)}
    counted = opened_by_stack(before, after, {"oms_orders": 2}, {"oms_orders": 1})
    # the stack: 5 opened; connected 10 + 5 + 2 - 1 (the generator's) - 12 = 4 closed
    assert counted == {"oms_billing": Opened(0, 0), "oms_orders": Opened(5, 4)}


def test_a_database_first_seen_after_the_start_counts_from_nothing() -> None:
    assert opened_by_stack({}, {"oms_web": Sessions(3, 1)}, {}, {}) == {"oms_web": Opened(3, 2)}


def test_the_database_of_a_url() -> None:
    assert database_of("postgresql+asyncpg://u:p@db:5432/oms_billing") == "oms_billing"


def test_the_report_gives_each_database_per_thousand_orders_busiest_first() -> None:
    opened = {"oms_orders": Opened(3, 0), "oms_inventory": Opened(30, 21), "oms_web": Opened(0, 0)}
    rows = connections_table(opened, 500)
    table = [row for row in rows if row.startswith(("| oms", "| all"))]
    assert table == [
        "| oms_inventory | 30 | 21 | 60 |",
        "| oms_orders | 3 | 0 | 6 |",
        "| oms_web | 0 | 0 | 0 |",
        "| all | 33 | 21 | 66 |",
    ]
