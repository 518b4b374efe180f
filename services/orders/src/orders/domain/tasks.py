"""Tasks on sales orders, quotes and customer requests: who is to do what by when. Plain Python.

A task is open until it is done or cancelled; a done one may be reopened. Its title, notes,
assignee and due date change only while it is open. It is overdue while open past its due date.
A person sees the tasks assigned to them or created by them and changes only those; managers
(sales managers, the order desk, admins) see and change every task.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from servicekit.bounds import MAX_ID_LENGTH
from servicekit.context import Principal
from servicekit.errors import FailedPrecondition, Violations

SUBJECT_TYPES = ("sales_order", "quote", "request")
OPEN, DONE, CANCELLED = "open", "done", "cancelled"
STATUSES = (OPEN, DONE, CANCELLED)
# The moves a task can make: (from, to).
MOVES = frozenset({(OPEN, DONE), (OPEN, CANCELLED), (DONE, OPEN)})
MAX_TITLE = 200
MAX_NOTES = 4000
MAX_ASSIGNEE = 200
# Who sees and changes every task, not only their own.
MANAGERS = ("sales-manager", "order-desk")


@dataclass(frozen=True)
class Task:
    id: str
    subject_type: str
    subject_id: str
    title: str
    notes: str
    assignee: str
    due_date: date
    status: str
    created_by: str
    created_at: datetime
    done_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        return self.status == OPEN and self.due_date < today


@dataclass(frozen=True)
class TaskChange:
    """What an update changes; None leaves a field as it is."""

    title: str | None = None
    notes: str | None = None
    assignee: str | None = None
    due_date: date | None = None
    status: str | None = None

    def edits(self) -> bool:
        return any(v is not None for v in (self.title, self.notes, self.assignee, self.due_date))


def parse_date(problems: Violations, field: str, text: str, required: bool = True) -> date | None:
    """An ISO date (YYYY-MM-DD), or a violation on `field`."""
    if not text:
        if required:
            problems.add(field, "required (YYYY-MM-DD)")
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return datetime.strptime(text, "%Y-%m-%d").date()  # not the ISO week forms
    except ValueError:
        problems.add(field, "not a date (YYYY-MM-DD)")
        return None


def _check_text(problems: Violations, field: str, value: str, limit: int, required: bool) -> None:
    if required and not value.strip():
        problems.add(field, "required")
    elif len(value) > limit:
        problems.add(field, f"at most {limit} characters")


def check_subject(problems: Violations, subject_type: str, subject_id: str) -> None:
    if subject_type not in SUBJECT_TYPES:
        problems.add("subject_type", f"one of {', '.join(SUBJECT_TYPES)}")
    _check_text(problems, "subject_id", subject_id, MAX_ID_LENGTH, required=True)


def check_status(problems: Violations, status: str) -> None:
    if status not in STATUSES:
        problems.add("status", f"one of {', '.join(STATUSES)}")


def new_task(
    task_id: str,
    *,
    subject_type: str,
    subject_id: str,
    title: str,
    notes: str,
    assignee: str,
    due_date: str,
    by: str,
    at: datetime,
) -> Task:
    """An open task; InvalidArgument naming every field at fault."""
    problems = Violations()
    check_subject(problems, subject_type, subject_id)
    _check_text(problems, "title", title, MAX_TITLE, required=True)
    _check_text(problems, "notes", notes, MAX_NOTES, required=False)
    _check_text(problems, "assignee", assignee, MAX_ASSIGNEE, required=True)
    due = parse_date(problems, "due_date", due_date)
    problems.raise_if_any()
    assert due is not None
    return Task(
        task_id, subject_type, subject_id, title.strip(), notes, assignee, due, OPEN, by, at
    )


def check_change(change: TaskChange) -> None:
    """The change's values within bounds; InvalidArgument naming every field at fault."""
    problems = Violations()
    if change.title is not None:
        _check_text(problems, "title", change.title, MAX_TITLE, required=True)
    if change.notes is not None:
        _check_text(problems, "notes", change.notes, MAX_NOTES, required=False)
    if change.assignee is not None:
        _check_text(problems, "assignee", change.assignee, MAX_ASSIGNEE, required=True)
    if change.status is not None:
        check_status(problems, change.status)
    problems.raise_if_any()


def changed(task: Task, change: TaskChange, at: datetime) -> Task:
    """The task with the change applied. A reopen comes before the edits, a close after them,
    so one change may reopen and edit, or edit and close. FailedPrecondition for a move the task
    cannot make or an edit while it is not open."""
    check_change(change)
    moved = task
    if change.status == OPEN:
        moved = _moved(moved, OPEN, at)
    if change.edits():
        if moved.status != OPEN:
            raise FailedPrecondition(f"task {task.id} is {moved.status}: reopen it to edit it")
        moved = replace(
            moved,
            title=moved.title if change.title is None else change.title.strip(),
            notes=moved.notes if change.notes is None else change.notes,
            assignee=moved.assignee if change.assignee is None else change.assignee,
            due_date=moved.due_date if change.due_date is None else change.due_date,
        )
    if change.status is not None and change.status != OPEN:
        moved = _moved(moved, change.status, at)
    return moved


def _moved(task: Task, status: str, at: datetime) -> Task:
    if task.status == status:
        return task  # asked again: nothing to do
    if (task.status, status) not in MOVES:
        raise FailedPrecondition(f"task {task.id} is {task.status}: it cannot become {status}")
    return replace(task, status=status, done_at=at if status == DONE else None)


def is_manager(who: Principal) -> bool:
    return who.has_any(*MANAGERS)


def may_see(who: Principal, task: Task) -> bool:
    return is_manager(who) or who.subject in (task.assignee, task.created_by)


# Who sees a task may change it: its assignee, its creator, a manager.
may_change = may_see


def recorded(task: Task) -> dict[str, Any]:
    """The task as the change log keeps it."""
    return {
        "subject_type": task.subject_type,
        "subject_id": task.subject_id,
        "title": task.title,
        "notes": task.notes,
        "assignee": task.assignee,
        "due_date": task.due_date.isoformat(),
        "status": task.status,
    }
