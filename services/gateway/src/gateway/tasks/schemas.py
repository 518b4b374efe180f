"""The tasks' REST bodies: a task as a person enters it, a change to some of its fields, and the
task as kept. The orders service validates again and names every field at fault."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from gateway.bodies import Id, MaybeWhen, Request, Response, When
from gateway.examples import examples
from gateway.tasks import examples as tx
from oms.orders.v1 import tasks_pb2 as pb

SubjectType = Literal["sales_order", "quote", "request"]
Status = Literal["open", "done", "cancelled"]


class TaskIn(Request):
    """A new task, open: what to do about which order, quote or request, by whom and by when."""

    model_config = examples(tx.TASK_IN)

    subject_type: SubjectType
    subject_id: Id = Field(min_length=1, description="the order's, quote's or request's id")
    title: str = Field(min_length=1, max_length=200, examples=["Call the customer"])
    notes: str = Field("", max_length=4000)
    assignee: str = Field(min_length=1, max_length=200, description="a person's subject")
    due_date: date = Field(description="YYYY-MM-DD")

    def to_proto(self, request_id: str) -> pb.CreateTaskRequest:
        return pb.CreateTaskRequest(
            subject_type=self.subject_type,
            subject_id=self.subject_id,
            title=self.title,
            notes=self.notes,
            assignee=self.assignee,
            due_date=self.due_date.isoformat(),
            request_id=request_id,
        )


class TaskChangeIn(Request):
    """Only what the body names changes. `status` moves the task: open -> done, open ->
    cancelled, done -> open (reopen); title, notes, assignee and due date change only while it
    is open (409 otherwise), so a reopen and an edit, or an edit and a close, go together."""

    model_config = examples(tx.TASK_CHANGE_IN)

    title: str | None = Field(None, min_length=1, max_length=200)
    notes: str | None = Field(None, max_length=4000, description="null or empty clears them")
    assignee: str | None = Field(None, min_length=1, max_length=200)
    due_date: date | None = Field(None, description="YYYY-MM-DD")
    status: Status | None = None

    def to_proto(self, task_id: str) -> pb.UpdateTaskRequest:
        request = pb.UpdateTaskRequest(task_id=task_id)
        if self.title is not None:
            request.title = self.title
        if self.assignee is not None:
            request.assignee = self.assignee
        if self.status is not None:
            request.status = self.status
        if "notes" in self.model_fields_set:
            request.notes = self.notes or ""
        if self.due_date is not None:
            request.due_date = self.due_date.isoformat()
        return request


class Task(Response):
    """A task as kept; `overdue` is open and due before today."""

    model_config = examples(tx.TASK)

    id: str
    subject_type: SubjectType
    subject_id: str
    title: str
    notes: str
    assignee: str
    due_date: date
    status: Status
    overdue: bool
    created_by: str
    created_at: When
    done_at: MaybeWhen = Field(None, description="when it was done; absent while it is not")


class TaskPage(Response):
    """A page of tasks, by due date then id."""

    model_config = examples(tx.TASK_PAGE)

    items: list[Task]
    next_page_token: str = Field(description="empty on the last page")
