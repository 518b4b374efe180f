"""The benchmark counts the connections the stack opened to PostgreSQL during a run, by
database, from PostgreSQL's own session counts, with the load generator's sessions apart."""

from __future__ import annotations

from collections import Counter

from bench.connections import count_generator_session, database_of, generators, opened_by_stack
from bench.report import connections_table


def test_the_stack_opened_what_the_count_grew_by_less_the_generators_sessions() -> None:
    before = {"oms_orders": 40, "oms_inventory": 12}
    after = {"oms_orders": 55, "oms_inventory": 12, "oms_billing": 3}
    assert opened_by_stack(before, after, {"oms_orders": 2}) == {
        "oms_billing": 3,  # a database first seen after the start counts from nothing
        "oms_inventory": 0,
        "oms_orders": 13,
    }


def test_a_count_reset_meanwhile_is_never_negative() -> None:
    assert opened_by_stack({"oms_orders": 40}, {"oms_orders": 5}, {}) == {"oms_orders": 0}


def test_the_generators_sessions_are_counted_by_their_database() -> None:
    before = Counter(generators.opened)
    count_generator_session("postgresql://bench@127.0.0.1:20332/oms_orders")
    assert generators.opened - before == Counter({"oms_orders": 1})
    assert database_of("postgresql+asyncpg://u:p@db:5432/oms_billing") == "oms_billing"


def test_the_report_gives_each_database_per_thousand_orders_busiest_first() -> None:
    rows = connections_table({"oms_orders": 3, "oms_inventory": 30, "oms_billing": 0}, 500)
    table = [row for row in rows if row.startswith("| oms") or row.startswith("| all")]
    assert table == [
        "| oms_inventory | 30 | 60 |",
        "| oms_orders | 3 | 6 |",
        "| oms_billing | 0 | 0 |",
        "| all | 33 | 66 |",
    ]
