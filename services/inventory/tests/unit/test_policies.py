"""Allocation policies and the backorder queue: never more than is there, never less than asked
when it is there, first come first served."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.allocation import (
    POLICIES,
    Demand,
    Policy,
    Waiting,
    allocate,
    fill_backorders,
    release_from,
    warehouse_order,
)

products = st.sampled_from(["p1", "p2", "p3"])
warehouses = ["w1", "w2", "w3"]
demands_strategy = st.lists(st.tuples(products, st.integers(0, 9)), min_size=1, max_size=6).map(
    lambda lines: [Demand(f"l{i}", p, q) for i, (p, q) in enumerate(lines)]
)
availability_strategy = st.dictionaries(
    st.sampled_from(warehouses), st.dictionaries(products, st.integers(-2, 9))
)
priority_strategy = st.permutations(warehouses)
policy_strategy = st.sampled_from(POLICIES)


@given(demands_strategy, availability_strategy, priority_strategy, policy_strategy)
def test_no_policy_allocates_more_than_is_available_or_asked(
    demands: list[Demand],
    availability: dict[str, dict[str, int]],
    priority: list[str],
    policy: Policy,
) -> None:
    plan = allocate(demands, availability, priority, policy)
    taken: Counter[tuple[str, str]] = Counter()
    for a in plan.allocations:
        assert a.quantity > 0
        taken[(a.warehouse_id, a.product_id)] += a.quantity
    for (warehouse, product), units in taken.items():
        assert units <= availability[warehouse][product]
    for d in demands:
        assert plan.allocated(d.line_id) + plan.backordered[d.line_id] == d.quantity


@given(demands_strategy, availability_strategy, priority_strategy, policy_strategy)
def test_every_policy_allocates_the_smaller_of_what_is_asked_and_what_is_there(
    demands: list[Demand],
    availability: dict[str, dict[str, int]],
    priority: list[str],
    policy: Policy,
) -> None:
    plan = allocate(demands, availability, priority, policy)
    for product in {d.product_id for d in demands}:
        requested = sum(d.quantity for d in demands if d.product_id == product)
        there = sum(max(0, s.get(product, 0)) for s in availability.values())
        allocated = sum(a.quantity for a in plan.allocations if a.product_id == product)
        assert allocated == min(requested, there)
    assert plan.complete == all(plan.backordered[d.line_id] == 0 for d in demands)


def test_priority_takes_each_line_whole_from_the_first_warehouse_that_has_it() -> None:
    availability = {"w1": {"p1": 3, "p2": 5}, "w2": {"p1": 9}}
    plan = allocate(
        [Demand("a", "p1", 5), Demand("b", "p2", 2)], availability, ["w1", "w2"], "priority"
    )
    assert [(a.line_id, a.warehouse_id, a.quantity) for a in plan.allocations] == [
        ("a", "w2", 5),
        ("b", "w1", 2),
    ]


def test_priority_splits_a_line_no_warehouse_holds_whole_in_priority_order() -> None:
    availability = {"w1": {"p1": 3}, "w2": {"p1": 2}, "w3": {"p1": 4}}
    plan = allocate([Demand("a", "p1", 8)], availability, ["w3", "w1", "w2"], "priority")
    assert [(a.warehouse_id, a.quantity) for a in plan.allocations] == [
        ("w3", 4),
        ("w1", 3),
        ("w2", 1),
    ]
    assert plan.complete


def test_single_ships_the_whole_order_from_one_warehouse_when_one_can() -> None:
    availability = {"w1": {"p1": 5}, "w2": {"p1": 5, "p2": 5}}
    plan = allocate(
        [Demand("a", "p1", 2), Demand("b", "p2", 1)], availability, ["w1", "w2"], "single"
    )
    assert {a.warehouse_id for a in plan.allocations} == {"w2"}


def test_single_falls_back_to_a_split_in_priority_order() -> None:
    availability = {"w1": {"p1": 5}, "w2": {"p2": 5}}
    plan = allocate(
        [Demand("a", "p1", 6), Demand("b", "p2", 1)], availability, ["w1", "w2"], "single"
    )
    assert [(a.line_id, a.warehouse_id, a.quantity) for a in plan.allocations] == [
        ("a", "w1", 5),
        ("b", "w2", 1),
    ]
    assert plan.backordered == {"a": 1, "b": 0}


def test_split_drains_warehouses_in_priority_order() -> None:
    availability = {"w1": {"p1": 3}, "w2": {"p1": 9}}
    plan = allocate([Demand("a", "p1", 5)], availability, ["w1", "w2"], "split")
    assert [(a.warehouse_id, a.quantity) for a in plan.allocations] == [("w1", 3), ("w2", 2)]


def test_a_product_on_two_lines_serves_the_first_line_first() -> None:
    plan = allocate(
        [Demand("a", "p1", 2), Demand("b", "p1", 2)], {"w1": {"p1": 3}}, ["w1"], "split"
    )
    assert (plan.allocated("a"), plan.allocated("b"), plan.backordered["b"]) == (2, 1, 1)


def test_warehouses_not_in_the_priority_list_come_last() -> None:
    assert warehouse_order({"w9": {}, "w1": {}}, ["w2", "w1"]) == ["w2", "w1", "w9"]


queue_strategy = st.lists(st.integers(1, 6), max_size=8).map(
    lambda sizes: [Waiting(f"o{i}", f"l{i}", "p1", q) for i, q in enumerate(sizes)]
)
arrivals_strategy = st.lists(
    st.tuples(st.sampled_from(warehouses), st.integers(0, 12)), max_size=3, unique_by=lambda t: t[0]
)


@given(queue_strategy, arrivals_strategy)
def test_backorders_are_filled_first_come_first_served_and_never_beyond_what_arrived(
    queue: list[Waiting], available: list[tuple[str, int]]
) -> None:
    fills = fill_backorders(queue, available)
    given_out: Counter[str] = Counter()
    per_line: Counter[str] = Counter()
    for f in fills:
        given_out[f.warehouse_id] += f.quantity
        per_line[f.line_id] += f.quantity
    for warehouse, units in available:
        assert given_out[warehouse] <= units
    assert sum(per_line.values()) == min(
        sum(w.quantity for w in queue), sum(u for _, u in available)
    )
    # nobody gets anything while someone before them still waits
    served = [per_line[w.line_id] for w in queue]
    for i, waiting in enumerate(queue):
        if served[i] < waiting.quantity:
            assert all(s == 0 for s in served[i + 1 :])


def test_the_head_of_the_queue_takes_what_there_is() -> None:
    queue = [Waiting("o1", "l1", "p1", 5), Waiting("o2", "l2", "p1", 1)]
    assert [(f.line_id, f.quantity) for f in fill_backorders(queue, [("w1", 3)])] == [("l1", 3)]


@given(
    st.lists(st.tuples(st.sampled_from(warehouses), st.integers(0, 9)), unique_by=lambda t: t[0]),
    st.integers(0, 30),
)
def test_releases_come_from_the_last_warehouse_first_and_never_exceed_what_is_held(
    held: list[tuple[str, int]], units: int
) -> None:
    released = release_from(held, units)
    assert sum(q for _, q in released) == min(units, sum(q for _, q in held))
    holding = dict(held)
    assert all(0 < q <= holding[w] for w, q in released)
    order = [w for w, q in reversed(held) if q > 0]
    assert [w for w, _ in released] == order[: len(released)]
