"""Tasks: the domain's moves and edits (a state machine, checked with hypothesis against a
model), and the use cases on the fakes: who sees and changes which task, overdue by the
service's clock, a retried create answered with the first task."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.application.commands.create_task import CreateTask, create_task
from orders.application.commands.update_task import UpdateTask, update_task
from orders.application.queries.tasks import TaskFilter, get_task, list_tasks
from orders.application.retry import Retry
from orders.domain.tasks import (
    CANCELLED,
    DONE,
    OPEN,
    STATUSES,
    Task,
    TaskChange,
    changed,
    new_task,
)
from servicekit.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
)
from services.orders.tests.unit.builders import ADMIN, DESK, KIM, MIA, SAM, WAREHOUSE, as_user
from services.orders.tests.unit.fakes import fake_deps

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)  # the fakes' clock starts here


def a_task(**given: str) -> Task:
    fields = {
        "subject_type": "sales_order",
        "subject_id": "o-1",
        "title": "Call the customer",
        "notes": "",
        "assignee": "sam",
        "due_date": "2026-11-30",
    }
    fields.update(given)
    return new_task("t-1", by="olga", at=T0, **fields)


def test_a_new_task_is_open_and_every_field_at_fault_is_named() -> None:
    task = a_task()
    assert (task.status, task.due_date, task.done_at) == (OPEN, date(2026, 11, 30), None)
    with pytest.raises(InvalidArgument) as refused:
        a_task(subject_type="invoice", subject_id="", title=" ", assignee="", due_date="30.11.")
    fields = {v.field for v in refused.value.violations}
    assert fields == {"subject_type", "subject_id", "title", "assignee", "due_date"}
    with pytest.raises(InvalidArgument) as long:
        a_task(title="x" * 201, notes="n" * 4001, due_date="2026-02-30")
    assert {v.field for v in long.value.violations} == {"title", "notes", "due_date"}
    for not_a_day in ("2026-W49-1", "2026-1-5", "20261205", "2026-12-05T10:00"):
        with pytest.raises(InvalidArgument):
            a_task(due_date=not_a_day)


def test_overdue_is_open_and_due_before_today() -> None:
    task = a_task(due_date="2026-11-30")
    assert not task.overdue(date(2026, 11, 30))
    assert task.overdue(date(2026, 12, 1))
    assert not replace(task, status=DONE).overdue(date(2026, 12, 1))


def test_edits_go_with_a_reopen_before_them_and_a_close_after_them() -> None:
    task = a_task()
    closed = changed(task, TaskChange(notes="left a message", status=DONE), T0)
    assert (closed.status, closed.notes, closed.done_at) == (DONE, "left a message", T0)
    with pytest.raises(FailedPrecondition):
        changed(closed, TaskChange(title="Call again"), T0)
    reopened = changed(closed, TaskChange(title="Call again", status=OPEN), T0)
    assert (reopened.status, reopened.title, reopened.done_at) == (OPEN, "Call again", None)


MOVES = {(OPEN, DONE), (OPEN, CANCELLED), (DONE, OPEN)}
steps = st.lists(
    st.tuples(st.sampled_from(STATUSES), st.sampled_from([None, "Edited title"])), max_size=12
)


def expected(status: str, target: str, title: str | None) -> str | None:
    """The model: the status after the change, None when it is refused."""
    if target == OPEN and status != OPEN:
        if (status, OPEN) not in MOVES:
            return None
        status = OPEN
    if title is not None and status != OPEN:
        return None
    if target != status:
        if (status, target) not in MOVES:
            return None
        status = target
    return status


@given(steps)
def test_a_task_moves_only_along_its_moves_and_is_edited_only_while_open(
    changes: list[tuple[str, str | None]],
) -> None:
    task = a_task()
    for target, title in changes:
        change = TaskChange(title=title, status=target)
        status = expected(task.status, target, title)
        if status is None:
            with pytest.raises(FailedPrecondition):
                changed(task, change, T0)
            continue
        task = changed(task, change, T0)
        assert task.status == status
        assert (task.done_at is not None) == (status == DONE)
        if title is not None:
            assert task.title == title


async def _created(deps: object, **given: str) -> Task:
    fields = {
        "subject_type": "sales_order",
        "subject_id": "o-1",
        "title": "Call the customer",
        "notes": "",
        "assignee": "sam",
        "due_date": "2026-11-30",
    }
    fields.update(given)
    return await create_task(deps, CreateTask(**fields))  # type: ignore[arg-type]


async def test_a_created_task_is_logged_and_a_retry_answers_the_first() -> None:
    deps, database, _ = fake_deps()
    command = CreateTask(
        "quote", "q-1", "Send revision", "", "sam", "2026-12-10", Retry("r-1", "f")
    )
    with as_user(KIM):
        first = await create_task(deps, command)
        again = await create_task(deps, command)
        with pytest.raises(AlreadyExists):
            await create_task(deps, replace(command, retry=Retry("r-1", "other")))
    assert again == first
    assert first.created_by == "kim"
    assert list(database.store.tasks) == [first.id]
    assert [(a.entity_type, a.action) for a in database.store.audit] == [("task", "created")]


async def test_a_person_sees_their_own_tasks_and_a_manager_every_task() -> None:
    deps, _, _ = fake_deps()
    with as_user(DESK):
        for_sam = await _created(deps, assignee="sam", due_date="2026-11-20")
    with as_user(KIM):
        by_kim = await _created(deps, assignee="lea", due_date="2026-12-01")
    with as_user(SAM):
        mine, _ = await list_tasks(deps, TaskFilter(), 10, "")
        assert [t.id for t in mine] == [for_sam.id]
        with pytest.raises(NotFound):
            await get_task(deps, by_kim.id)
    with as_user(KIM):
        assert [t.id for t in (await list_tasks(deps, TaskFilter(), 10, ""))[0]] == [by_kim.id]
    for manager in (MIA, DESK, ADMIN):
        with as_user(manager):
            every, _ = await list_tasks(deps, TaskFilter(), 10, "")
            assert [t.id for t in every] == [for_sam.id, by_kim.id]
    with as_user(WAREHOUSE):
        assert (await list_tasks(deps, TaskFilter(), 10, ""))[0] == []


async def test_only_the_assignee_the_creator_or_a_manager_changes_a_task() -> None:
    deps, database, _ = fake_deps()
    with as_user(KIM):
        task = await _created(deps, assignee="sam")
    with as_user(WAREHOUSE), pytest.raises(NotFound):
        await update_task(deps, UpdateTask(task.id, TaskChange(status=DONE)))
    with as_user(SAM):
        done = await update_task(deps, UpdateTask(task.id, TaskChange(status=DONE)))
    assert done.status == DONE
    assert done.done_at is not None
    with as_user(KIM), pytest.raises(FailedPrecondition):
        await update_task(deps, UpdateTask(task.id, TaskChange(title="Another")))
    with as_user(MIA):
        reopened = await update_task(
            deps, UpdateTask(task.id, TaskChange(status=OPEN, assignee="kim"))
        )
    assert (reopened.status, reopened.assignee) == (OPEN, "kim")
    assert [a.action for a in database.store.audit] == ["created", "updated", "updated"]
    assert database.store.audit[-1].before["assignee"] == "sam"  # type: ignore[index]


async def test_a_stranger_changes_no_task_and_learns_nothing_of_it() -> None:
    deps, _, _ = fake_deps()
    with as_user(KIM):
        task = await _created(deps, assignee="sam")
    with as_user(SAM), pytest.raises(InvalidArgument):
        await update_task(deps, UpdateTask(task.id, TaskChange(status="closed")))
    with as_user(replace(SAM, subject="nobody")), pytest.raises(NotFound):
        await update_task(deps, UpdateTask(task.id, TaskChange(status=DONE)))
    with as_user(KIM):
        assert (await get_task(deps, task.id)).status == OPEN


async def test_overdue_is_judged_by_the_services_clock_and_filters_combine() -> None:
    deps, _, _ = fake_deps()  # today is 2026-11-24
    with as_user(DESK):
        late = await _created(deps, due_date="2026-11-23")
        today = await _created(deps, due_date="2026-11-24")
        done_late = await _created(deps, due_date="2026-11-01")
        await update_task(deps, UpdateTask(done_late.id, TaskChange(status=DONE)))
        overdue, _ = await list_tasks(deps, TaskFilter(overdue_only=True), 10, "")
        assert [t.id for t in overdue] == [late.id]
        assert overdue[0].overdue(deps.clock().date())
        assert not today.overdue(deps.clock().date())
        before, _ = await list_tasks(deps, TaskFilter(due_before="2026-11-24"), 10, "")
        assert [t.id for t in before] == [done_late.id, late.id]
        with pytest.raises(InvalidArgument):
            await list_tasks(deps, TaskFilter(overdue_only=True, status=DONE), 10, "")
        with pytest.raises(InvalidArgument) as refused:
            await list_tasks(deps, TaskFilter(status="x", due_before="soon"), 10, "")
        assert {v.field for v in refused.value.violations} == {"status", "due_before"}


async def test_tasks_page_by_due_date_then_id() -> None:
    deps, _, _ = fake_deps()
    with as_user(DESK):
        made = [await _created(deps, due_date=f"2026-12-0{n}") for n in (3, 1, 2)]
        first, token = await list_tasks(deps, TaskFilter(), 2, "")
        rest, last = await list_tasks(deps, TaskFilter(), 2, token)
        with pytest.raises(InvalidArgument):
            await list_tasks(deps, TaskFilter(), 2, "garbage")
    assert [t.id for t in first + rest] == [made[1].id, made[2].id, made[0].id]
    assert last == ""
