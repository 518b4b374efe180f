"""The token bucket behind per-caller rate limits: never more than `burst` at once and `rate`
per second after, and a Retry-After that is true."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gateway.edge.limits import TokenBuckets

gaps = st.lists(st.floats(min_value=0, max_value=3, allow_nan=False), min_size=1, max_size=60)
rates = st.floats(min_value=0.1, max_value=100, allow_nan=False)
bursts = st.integers(min_value=1, max_value=20)


def admitted_at(rate: float, burst: int, pauses: list[float]) -> list[tuple[float, float]]:
    """(time, wait) of each request of one caller, the requests `pauses` apart."""
    now = [0.0]
    buckets = TokenBuckets(rate, burst, clock=lambda: now[0])
    answers = []
    for pause in pauses:
        now[0] += pause
        answers.append((now[0], buckets.take("ada")))
    return answers


@given(rates, bursts, gaps)
def test_no_window_admits_more_than_the_burst_and_the_rate(
    rate: float, burst: int, pauses: list[float]
) -> None:
    admitted = [t for t, wait in admitted_at(rate, burst, pauses) if wait == 0]
    for i, start in enumerate(admitted):
        for j in range(i, len(admitted)):
            assert j - i + 1 <= burst + rate * (admitted[j] - start) + 1e-6


@given(rates, bursts, gaps)
def test_a_refused_caller_is_admitted_after_the_wait_it_was_told(
    rate: float, burst: int, pauses: list[float]
) -> None:
    now = [0.0]
    buckets = TokenBuckets(rate, burst, clock=lambda: now[0])
    for pause in pauses:
        now[0] += pause
        wait = buckets.take("ada")
        if wait > 0:
            now[0] += wait + 1e-9
            assert buckets.take("ada") == 0


@given(rates, bursts)
def test_a_quiet_caller_may_send_a_whole_burst(rate: float, burst: int) -> None:
    answers = admitted_at(rate, burst, [0.0] * (burst + 1))
    assert [wait == 0 for _, wait in answers] == [True] * burst + [False]


def test_callers_do_not_share_buckets_and_idle_ones_are_forgotten() -> None:
    now = [0.0]
    buckets = TokenBuckets(1, 1, clock=lambda: now[0], max_callers=3)
    assert buckets.take("ada") == 0
    assert buckets.take("ada") > 0
    assert buckets.take("bob") == 0
    assert buckets.take("cy") == 0
    now[0] = 10  # every bucket has refilled: the next newcomer clears them out
    assert buckets.take("dee") == 0
    assert len(buckets._buckets) == 1
