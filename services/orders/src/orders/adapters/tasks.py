"""Tasks in PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, tuple_

from orders.adapters.tables import tasks
from orders.application.ports import TaskQuery
from orders.domain.tasks import Task
from servicekit.db import Transaction

_TASK = select(tasks).where(tasks.c.id == bindparam("b_id"))
_INSERT = tasks.insert()
_SAVE = (
    tasks.update()
    .where(tasks.c.id == bindparam("b_id"))
    .values(
        title=bindparam("title"),
        notes=bindparam("notes"),
        assignee=bindparam("assignee"),
        due_date=bindparam("due_date"),
        status=bindparam("status"),
        done_at=bindparam("done_at"),
    )
)


def _row(task: Task) -> dict[str, Any]:
    return {
        "title": task.title,
        "notes": task.notes,
        "assignee": task.assignee,
        "due_date": task.due_date,
        "status": task.status,
        "done_at": task.done_at,
    }


def _task(r: Any) -> Task:
    return Task(
        id=r.id,
        subject_type=r.subject_type,
        subject_id=r.subject_id,
        title=r.title,
        notes=r.notes,
        assignee=r.assignee,
        due_date=r.due_date,
        status=r.status,
        created_by=r.created_by,
        created_at=r.created_at,
        done_at=r.done_at,
    )


class SqlTasks:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, task: Task) -> None:
        await self.session.execute(
            _INSERT,
            {
                "id": task.id,
                "subject_type": task.subject_type,
                "subject_id": task.subject_id,
                "created_by": task.created_by,
                "created_at": task.created_at,
                **_row(task),
            },
        )

    async def get(self, task_id: str, for_update: bool = False) -> Task | None:
        query = _TASK.with_for_update() if for_update else _TASK
        row = (await self.session.execute(query, {"b_id": task_id})).first()
        return None if row is None else _task(row)

    async def save(self, task: Task) -> None:
        await self.session.execute(_SAVE, {"b_id": task.id, **_row(task)})

    async def page(
        self, query: TaskQuery, after: tuple[date, str] | None, limit: int
    ) -> list[Task]:
        c = tasks.c
        conditions: list[Any] = []
        for column, value in (
            (c.assignee, query.assignee),
            (c.status, query.status),
            (c.subject_type, query.subject_type),
            (c.subject_id, query.subject_id),
        ):
            if value:
                conditions.append(column == value)
        if query.due_before is not None:
            conditions.append(c.due_date < query.due_before)
        if query.visible_to:
            conditions.append(or_(c.assignee == query.visible_to, c.created_by == query.visible_to))
        if after is not None:
            conditions.append(tuple_(c.due_date, c.id) > after)
        rows = await self.session.execute(
            select(tasks).where(and_(True, *conditions)).order_by(c.due_date, c.id).limit(limit)
        )
        return [_task(r) for r in rows]
