from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.availability import candidate_warehouses, rejection_reason, shortages

products = st.sampled_from(["p1", "p2", "p3"])
lines_strategy = st.lists(st.tuples(products, st.integers(1, 5)), min_size=1, max_size=4)
availability_strategy = st.dictionaries(
    st.sampled_from(["w1", "w2", "w3"]), st.dictionaries(products, st.integers(0, 8))
)


def test_the_first_warehouse_by_priority_that_has_everything_is_chosen_first() -> None:
    availability = {"w1": {"p1": 5}, "w2": {"p1": 5, "p2": 1}, "w3": {"p1": 9, "p2": 9}}
    assert candidate_warehouses([("p1", 2), ("p2", 1)], availability, ["w1", "w2", "w3"]) == [
        "w2",
        "w3",
    ]


def test_a_product_on_two_lines_needs_their_sum() -> None:
    assert candidate_warehouses([("p1", 2), ("p1", 2)], {"w1": {"p1": 3}}, ["w1"]) == []
    assert shortages([("p1", 2), ("p1", 2)], {"w1": {"p1": 3}})[0].requested == 4


@given(lines_strategy, availability_strategy)
def test_a_candidate_can_always_supply_every_line(
    lines: list[tuple[str, int]], availability: dict[str, dict[str, int]]
) -> None:
    for warehouse in candidate_warehouses(lines, availability, sorted(availability)):
        for product, _ in lines:
            needed = sum(q for p, q in lines if p == product)
            assert availability[warehouse].get(product, 0) >= needed


@given(lines_strategy, availability_strategy)
def test_shortages_report_what_all_warehouses_have_together(
    lines: list[tuple[str, int]], availability: dict[str, dict[str, int]]
) -> None:
    found = {s.product_id: s for s in shortages(lines, availability)}
    for product in {p for p, _ in lines}:
        requested = sum(q for p, q in lines if p == product)
        total = sum(s.get(product, 0) for s in availability.values())
        if total < requested:
            assert (found[product].requested, found[product].available) == (requested, total)
        else:
            assert product not in found


def test_the_rejection_reason_names_the_sku_and_the_numbers() -> None:
    found = shortages([("p1", 3)], {"w1": {"p1": 1}})
    assert (
        rejection_reason(found, {"p1": "SKU-1"})
        == "insufficient stock for SKU-1: requested 3, available 1"
    )
