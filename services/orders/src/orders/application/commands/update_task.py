"""Change a task's fields or move it (done, cancelled, reopened): its assignee, its creator or a
manager may."""

from __future__ import annotations

from dataclasses import dataclass

from orders.application.ports import Deps
from orders.domain.tasks import Task, TaskChange, changed, may_change, recorded
from servicekit.context import current_principal
from servicekit.errors import NotFound

ENTITY = "task"


@dataclass(frozen=True)
class UpdateTask:
    task_id: str
    change: TaskChange


async def update_task(deps: Deps, command: UpdateTask) -> Task:
    who = current_principal()
    async with deps.unit_of_work() as uow:
        task = await uow.tasks.get(command.task_id, for_update=True)
        # a task the caller may not change is one they do not see: it is not disclosed
        if task is None or not may_change(who, task):
            raise NotFound(f"task {command.task_id} not found")
        after = changed(task, command.change, deps.clock())
        if after != task:
            await uow.tasks.save(after)
            await uow.audit.record(
                ENTITY, task.id, "updated", before=recorded(task), after=recorded(after)
            )
    return after
