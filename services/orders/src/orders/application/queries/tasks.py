"""Tasks as the caller may see them: their own (assigned to or created by them), or every one
for a manager."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from orders.application.ports import Deps, TaskQuery
from orders.domain.tasks import (
    OPEN,
    Task,
    check_status,
    check_subject,
    is_manager,
    may_see,
    parse_date,
)
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument, NotFound, Violations
from servicekit.paging import keyed_page, page_after, page_limit

MAX_FILTER = 200


@dataclass(frozen=True)
class TaskFilter:
    """A list's filters as the client sent them; empty means any."""

    assignee: str = ""
    status: str = ""
    subject_type: str = ""
    subject_id: str = ""
    overdue_only: bool = False
    due_before: str = ""


async def get_task(deps: Deps, task_id: str) -> Task:
    async with deps.unit_of_work() as uow:
        task = await uow.tasks.get(task_id)
    if task is None or not may_see(current_principal(), task):
        raise NotFound(f"task {task_id} not found")
    return task


def task_query(wanted: TaskFilter, today: date) -> TaskQuery:
    """The query for the filters, narrowed to what the caller sees; InvalidArgument naming
    every filter at fault. Overdue is open and due before today (the service's clock)."""
    problems = Violations()
    if len(wanted.assignee) > MAX_FILTER:
        problems.add("assignee", f"at most {MAX_FILTER} characters")
    if wanted.status:
        check_status(problems, wanted.status)
    if wanted.subject_type or wanted.subject_id:
        check_subject(problems, wanted.subject_type, wanted.subject_id or "-")
    due_before = parse_date(problems, "due_before", wanted.due_before, required=False)
    problems.raise_if_any()
    query = TaskQuery(wanted.assignee, wanted.status, wanted.subject_type, wanted.subject_id)
    query = replace(query, due_before=due_before)
    if wanted.overdue_only:
        if wanted.status not in ("", OPEN):
            raise InvalidArgument.of("status", "only open tasks are overdue")
        before = today if due_before is None else min(today, due_before)
        query = replace(query, status=OPEN, due_before=before)
    who = current_principal()
    return query if is_manager(who) else replace(query, visible_to=who.subject)


async def list_tasks(
    deps: Deps, wanted: TaskFilter, page_size: int, token: str
) -> tuple[list[Task], str]:
    """The page, by due date then id, and the next page's token ("" on the last)."""
    query = task_query(wanted, deps.clock().date())
    limit = page_limit(page_size)
    key = page_after(token, 2)
    after = None
    if key:
        try:
            after = (date.fromisoformat(key[0]), key[1])
        except ValueError as error:
            raise InvalidArgument.of("page_token", "not a token this API issued") from error
    async with deps.unit_of_work() as uow:
        found = await uow.tasks.page(query, after, limit + 1)
    return keyed_page(found, limit, lambda t: (t.due_date.isoformat(), t.id))
