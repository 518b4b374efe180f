"""orders.v1.TasksService: each RPC maps its request to a use case and the result back."""

from __future__ import annotations

from datetime import date
from typing import TypeAlias

import grpc

from oms.orders.v1 import tasks_pb2 as pb
from oms.orders.v1 import tasks_pb2_grpc
from orders.application.commands.create_task import CreateTask, create_task
from orders.application.commands.update_task import UpdateTask, update_task
from orders.application.ports import Deps
from orders.application.queries.tasks import TaskFilter, get_task, list_tasks
from orders.application.retry import Retry
from orders.domain.tasks import Task, TaskChange, parse_date
from servicekit.errors import Violations
from servicekit.grpc import timestamp
from servicekit.idempotency import fingerprint

Context: TypeAlias = grpc.aio.ServicerContext


def task_to_proto(task: Task, today: date) -> pb.Task:
    answer = pb.Task(
        id=task.id,
        subject_type=task.subject_type,
        subject_id=task.subject_id,
        title=task.title,
        notes=task.notes,
        assignee=task.assignee,
        due_date=task.due_date.isoformat(),
        status=task.status,
        overdue=task.overdue(today),
        created_by=task.created_by,
        created_at=timestamp(task.created_at),
    )
    if task.done_at is not None:
        answer.done_at.CopyFrom(timestamp(task.done_at))
    return answer


def change_from_proto(request: pb.UpdateTaskRequest) -> TaskChange:
    problems = Violations()
    due = None
    if request.HasField("due_date"):
        due = parse_date(problems, "due_date", request.due_date)
    problems.raise_if_any()
    return TaskChange(
        title=request.title if request.HasField("title") else None,
        notes=request.notes if request.HasField("notes") else None,
        assignee=request.assignee if request.HasField("assignee") else None,
        due_date=due,
        status=request.status if request.HasField("status") else None,
    )


class TasksServicer(tasks_pb2_grpc.TasksServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def _today(self) -> date:
        return self.deps.clock().date()

    async def CreateTask(
        self, request: pb.CreateTaskRequest, context: Context
    ) -> pb.CreateTaskResponse:
        command = CreateTask(
            subject_type=request.subject_type,
            subject_id=request.subject_id,
            title=request.title,
            notes=request.notes,
            assignee=request.assignee,
            due_date=request.due_date,
            retry=Retry(request.request_id, fingerprint(request)),
        )
        task = await create_task(self.deps, command)
        return pb.CreateTaskResponse(task=task_to_proto(task, self._today()))

    async def GetTask(self, request: pb.GetTaskRequest, context: Context) -> pb.GetTaskResponse:
        task = await get_task(self.deps, request.task_id)
        return pb.GetTaskResponse(task=task_to_proto(task, self._today()))

    async def UpdateTask(
        self, request: pb.UpdateTaskRequest, context: Context
    ) -> pb.UpdateTaskResponse:
        command = UpdateTask(request.task_id, change_from_proto(request))
        task = await update_task(self.deps, command)
        return pb.UpdateTaskResponse(task=task_to_proto(task, self._today()))

    async def ListTasks(
        self, request: pb.ListTasksRequest, context: Context
    ) -> pb.ListTasksResponse:
        wanted = TaskFilter(
            assignee=request.assignee,
            status=request.status,
            subject_type=request.subject_type,
            subject_id=request.subject_id,
            overdue_only=request.overdue_only,
            due_before=request.due_before,
        )
        found, token = await list_tasks(self.deps, wanted, request.page_size, request.page_token)
        today = self._today()
        return pb.ListTasksResponse(
            tasks=[task_to_proto(t, today) for t in found], next_page_token=token
        )
