"""What every store of the gateway must do, run against the in-memory fakes (unit tests) and the
PostgreSQL stores (integration tests), so the fakes cannot drift from the real thing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from gateway.edge.api_keys import ApiKeyStore, new_key
from gateway.edge.idempotency import LEASE, IdempotencyStore, StoredResponse

NOW = datetime.now(UTC)
DAY = timedelta(days=1)
RESPONSE = StoredResponse(201, [("content-type", "application/json"), ("location", "/x/1")], b"{}")


async def keys_come_back_as_stored(store: ApiKeyStore) -> None:
    key, _ = new_key("robot", ["warehouse", "sales"], "ada", NOW)
    await store.add(key)
    assert await store.get(key.id) == key
    assert await store.get(str(uuid.uuid4())) is None
    assert await store.get("k\x00") is None  # PostgreSQL cannot even compare text with U+0000


async def keys_are_listed_newest_first_a_page_at_a_time(store: ApiKeyStore) -> None:
    keys = [
        new_key(f"robot-{i}", ["sales"], "ada", NOW + timedelta(seconds=i))[0] for i in range(3)
    ]
    for key in keys:
        await store.add(key)
    first, token = await store.page(2, "")
    second, last = await store.page(2, token)
    assert [k.id for k in first + second] == [k.id for k in reversed(keys)]
    assert token
    assert not last


async def a_key_is_revoked_once(store: ApiKeyStore) -> None:
    key, _ = new_key("robot", ["sales"], "ada", NOW)
    await store.add(key)
    revoked = await store.revoke(key.id, "bob", NOW + DAY)
    again = await store.revoke(key.id, "cy", NOW + 2 * DAY)
    assert revoked is not None
    assert (revoked.revoked_by, revoked.revoked_at) == ("bob", NOW + DAY)
    assert again == revoked == await store.get(key.id)
    assert await store.revoke(str(uuid.uuid4()), "bob", NOW) is None
    assert await store.revoke("k\x00", "bob", NOW) is None


API_KEY_CHECKS: list[Callable[[ApiKeyStore], Awaitable[None]]] = [
    keys_come_back_as_stored,
    keys_are_listed_newest_first_a_page_at_a_time,
    a_key_is_revoked_once,
]


def _caller() -> str:
    return f"caller-{uuid.uuid4().hex[:8]}"


async def the_first_claim_owns_the_key_and_others_see_it_running(store: IdempotencyStore) -> None:
    caller = _caller()
    assert await store.claim(caller, "k", "print", NOW, NOW + DAY) is None
    running = await store.claim(caller, "k", "print", NOW, NOW + DAY)
    other = await store.claim(caller, "k", "other", NOW, NOW + DAY)
    assert running is not None
    assert (running.fingerprint, running.response) == ("print", None)
    assert other is not None
    assert other.fingerprint == "print"
    assert await store.claim(_caller(), "k", "other", NOW, NOW + DAY) is None  # per caller


async def a_finished_request_is_replayed(store: IdempotencyStore) -> None:
    caller = _caller()
    await store.claim(caller, "k", "print", NOW, NOW + DAY)
    await store.finish(caller, "k", RESPONSE)
    await store.release(caller, "k")  # a finished record is not released
    found = await store.claim(caller, "k", "print", NOW, NOW + DAY)
    assert found is not None
    assert found.response == RESPONSE
    withheld = StoredResponse(201, [("location", "/keys/1")], None)
    await store.claim(caller, "secret", "print", NOW, NOW + DAY)
    await store.finish(caller, "secret", withheld)
    found = await store.claim(caller, "secret", "print", NOW, NOW + DAY)
    assert found is not None
    assert found.response == withheld


async def a_released_claim_may_be_tried_again(store: IdempotencyStore) -> None:
    caller = _caller()
    await store.claim(caller, "k", "print", NOW, NOW + DAY)
    await store.release(caller, "k")
    assert await store.claim(caller, "k", "print", NOW, NOW + DAY) is None


async def an_expired_record_is_replaced(store: IdempotencyStore) -> None:
    caller = _caller()
    await store.claim(caller, "k", "print", NOW, NOW + DAY)
    await store.finish(caller, "k", RESPONSE)
    later = NOW + DAY
    assert await store.claim(caller, "k", "other", later, later + DAY) is None


async def an_abandoned_claim_of_the_same_request_is_taken_over(store: IdempotencyStore) -> None:
    caller = _caller()
    await store.claim(caller, "k", "print", NOW, NOW + DAY)
    soon, later = NOW + LEASE / 2, NOW + LEASE + timedelta(seconds=1)
    assert await store.claim(caller, "k", "print", soon, soon + DAY) is not None
    assert await store.claim(caller, "k", "other", later, later + DAY) is not None
    assert await store.claim(caller, "k", "print", later, later + DAY) is None


async def a_renewed_claim_is_not_taken_over(store: IdempotencyStore) -> None:
    caller = _caller()
    await store.claim(caller, "k", "print", NOW, NOW + DAY)
    renewed = NOW + LEASE * 3 / 4
    await store.renew(caller, "k", renewed)
    after_first_lease = NOW + LEASE + timedelta(seconds=1)
    assert await store.claim(caller, "k", "print", after_first_lease, NOW + DAY) is not None
    later = renewed + LEASE + timedelta(seconds=1)
    assert await store.claim(caller, "k", "print", later, later + DAY) is None
    # a finished request is not renewed back into a running one
    await store.finish(caller, "k", RESPONSE)
    await store.renew(caller, "k", later)
    found = await store.claim(caller, "k", "print", later, later + DAY)
    assert found is not None
    assert found.response == RESPONSE


async def expired_records_are_pruned(store: IdempotencyStore) -> None:
    caller = _caller()
    await store.claim(caller, "old", "print", NOW - 2 * DAY, NOW - DAY)
    await store.claim(caller, "new", "print", NOW, NOW + DAY)
    assert await store.prune(NOW) >= 1
    assert await store.claim(caller, "old", "other", NOW, NOW + DAY) is None
    assert await store.claim(caller, "new", "other", NOW, NOW + DAY) is not None


async def of_claims_made_at_once_one_wins(store: IdempotencyStore) -> None:
    caller = _caller()
    claims = await asyncio.gather(
        *[store.claim(caller, "k", "print", NOW, NOW + DAY) for _ in range(8)]
    )
    assert sum(claim is None for claim in claims) == 1


IDEMPOTENCY_CHECKS: list[Callable[[IdempotencyStore], Awaitable[None]]] = [
    the_first_claim_owns_the_key_and_others_see_it_running,
    a_finished_request_is_replayed,
    a_released_claim_may_be_tried_again,
    an_expired_record_is_replaced,
    an_abandoned_claim_of_the_same_request_is_taken_over,
    a_renewed_claim_is_not_taken_over,
    expired_records_are_pruned,
    of_claims_made_at_once_one_wins,
]
