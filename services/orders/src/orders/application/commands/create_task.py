"""Create a task on a sales order, a quote or a customer request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from orders.application.ports import Deps
from orders.application.retry import NOT_RETRIED, Retry
from orders.domain.tasks import Task, new_task, recorded
from servicekit.context import current_principal

ENTITY = "task"
CREATE = "create_task"


@dataclass(frozen=True)
class CreateTask:
    subject_type: str
    subject_id: str
    title: str
    notes: str
    assignee: str
    # As the client sent it (YYYY-MM-DD); the domain checks it.
    due_date: str
    retry: Retry = NOT_RETRIED


async def create_task(deps: Deps, command: CreateTask) -> Task:
    """The task, open; a retry whose first try created it (its answer lost) gets that task."""
    task = new_task(
        str(uuid.uuid4()),
        subject_type=command.subject_type,
        subject_id=command.subject_id,
        title=command.title,
        notes=command.notes,
        assignee=command.assignee,
        due_date=command.due_date,
        by=current_principal().subject,
        at=deps.clock(),
    )
    retry = command.retry
    async with deps.unit_of_work() as uow:
        done = await uow.requests.claim(CREATE, retry.request_id, retry.fingerprint)
        if done is not None:
            created = await uow.tasks.get(done)
            assert created is not None  # a request is completed with the task it created
            return created
        await uow.requests.complete(CREATE, retry.request_id, task.id)
        await uow.tasks.add(task)
        await uow.audit.record(ENTITY, task.id, "created", after=recorded(task))
    return task
