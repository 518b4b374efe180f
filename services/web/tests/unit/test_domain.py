"""The web service's rules in plain Python: passwords, sessions, CSRF tokens, the throttle, the
pages each role opens, saved views."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.auth import ROLES
from servicekit.errors import InvalidArgument
from web.adapters.passwords import Argon2Passwords
from web.domain.pages import Page, may_open, pages_for
from web.domain.sessions import TOUCH_EVERY, SessionPolicy, digest, open_session, same_token
from web.domain.throttle import Throttle
from web.domain.users import UserId, check_new_user, check_password
from web.domain.views import check_view, clean_filters

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
POLICY = SessionPolicy(timedelta(hours=8), timedelta(minutes=30))
FAST = Argon2Passwords(time_cost=1, memory_kib=8192, parallelism=1)


def test_a_password_is_hashed_with_argon2id_and_verified() -> None:
    hashed = FAST.hash("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert FAST.verify(hashed, "correct horse battery")
    assert not FAST.verify(hashed, "correct horse batterY")
    assert not FAST.verify("not a hash", "correct horse battery")
    assert FAST.hash("correct horse battery") != hashed  # salted


def test_a_hash_made_with_weaker_parameters_is_redone() -> None:
    stronger = Argon2Passwords(time_cost=2, memory_kib=8192, parallelism=1)
    assert stronger.needs_rehash(FAST.hash("correct horse battery"))
    assert not FAST.needs_rehash(FAST.hash("correct horse battery"))


def test_passwords_have_a_length_range() -> None:
    check_password("x" * 12)
    with pytest.raises(InvalidArgument) as short:
        check_password("x" * 11)
    assert short.value.violations[0].field == "password"
    with pytest.raises(InvalidArgument):
        check_password("x" * 257)


def test_a_new_user_names_every_wrong_field() -> None:
    check_new_user("alice.b", "order-desk", "North team")
    with pytest.raises(InvalidArgument) as wrong:
        check_new_user("Bad Name", "pope", "a/b")
    assert {v.field for v in wrong.value.violations} == {"username", "role", "team"}


def test_a_session_is_new_random_and_only_its_digest_is_kept() -> None:
    secret, session = open_session(UserId("u1"), NOW, POLICY)
    other, again = open_session(UserId("u1"), NOW, POLICY)
    assert secret != other
    assert session.csrf_token != again.csrf_token
    assert session.id_digest == digest(secret) != secret
    assert len(secret) >= 43  # 256 bits
    assert session.expires_at == NOW + POLICY.lifetime


@given(st.integers(min_value=0, max_value=12 * 3600))
def test_a_session_lives_until_its_expiry_or_idle_timeout(seconds: int) -> None:
    _, session = open_session(UserId("u1"), NOW, POLICY)
    at = NOW + timedelta(seconds=seconds)
    assert session.live(at, POLICY) == (seconds < 30 * 60)
    # kept in use, it still ends at its expiry
    used = session.touched(at)
    kept = used if used is not None else session
    expected = at < session.expires_at and at < kept.last_seen_at + POLICY.idle
    assert kept.live(at, POLICY) == expected


def test_a_session_is_written_as_seen_at_most_once_a_minute() -> None:
    _, session = open_session(UserId("u1"), NOW, POLICY)
    assert session.touched(NOW + TOUCH_EVERY - timedelta(seconds=1)) is None
    touched = session.touched(NOW + TOUCH_EVERY)
    assert touched is not None
    assert touched.last_seen_at == NOW + TOUCH_EVERY


def test_a_csrf_token_matches_only_itself_and_never_empty() -> None:
    assert same_token("abc", "abc")
    assert not same_token("abc", "abd")
    assert not same_token("abc", "")
    assert not same_token("", "")


@given(st.lists(st.floats(min_value=0, max_value=600, allow_nan=False), max_size=30))
def test_the_throttle_refuses_past_its_limit_within_the_window(times: list[float]) -> None:
    throttle = Throttle(limit=5, window_seconds=60)
    recorded: list[float] = []
    for now in sorted(times):
        recent = [t for t in recorded if t > now - 60]
        wait = throttle.retry_after("alice", now)
        assert (wait > 0) == (len(recent) >= 5)
        if wait == 0:
            throttle.failed("alice", now)
            recorded.append(now)
    assert throttle.retry_after("bob", 600) == 0  # each key on its own


def test_the_throttle_says_when_to_try_again() -> None:
    throttle = Throttle(limit=2, window_seconds=60)
    throttle.failed("k", 10)
    throttle.failed("k", 20)
    assert throttle.retry_after("k", 30) == pytest.approx(40)
    assert throttle.retry_after("k", 70) == 0


def test_each_role_opens_only_its_pages() -> None:
    shared = [Page.QUEUES, Page.TASKS]
    assert pages_for("admin") == list(Page)
    desk = [Page.ORDERS, Page.REQUESTS, Page.PIPELINE, *shared]
    assert pages_for("order-desk") == desk
    assert pages_for("sales") == [Page.ORDERS, Page.REQUESTS, Page.QUOTES, Page.PIPELINE, *shared]
    assert pages_for("sales-manager") == [
        Page.ORDERS, Page.REQUESTS, Page.QUOTES, Page.APPROVALS, Page.PIPELINE, *shared
    ]  # fmt: skip
    assert pages_for("warehouse") == [Page.WAREHOUSE, *shared]
    assert pages_for("finance") == [Page.FINANCE, *shared]
    assert pages_for("purchasing") == [Page.PURCHASING, *shared]
    assert all(page.label for page in Page)
    for role in ROLES:
        assert may_open(role, Page.USERS) == (role == "admin")


def test_saved_views_keep_only_the_desk_filters() -> None:
    kept = clean_filters({"status": " execution ", "channel": "", "evil": "x"})
    assert kept == {"status": "execution"}
    with pytest.raises(InvalidArgument):
        check_view(" ", kept)
    with pytest.raises(InvalidArgument):
        check_view("ok", {"status": "x" * 201})
