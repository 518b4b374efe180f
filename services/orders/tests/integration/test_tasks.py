"""Tasks against the real database, through the TasksService as the gateway calls it: created
once per request id, listed within each person's reach, moved along their moves only, overdue
by the service's clock, and every change in the change log."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from oms.orders.v1 import tasks_pb2 as pb
from oms.orders.v1 import tasks_pb2_grpc
from orders.bootstrap import SPEC
from orders.config import Settings
from servicekit.grpc import violations_of
from testkit.services import as_user, free_port, namespace, running

SAM = as_user("sam", "sales")
KIM = as_user("kim", "sales")
DESK = as_user("olga", "order-desk")
WAREHOUSE = as_user("walt", "warehouse")
TODAY = datetime.now(UTC).date()


@pytest.fixture
async def channel(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[grpc.aio.Channel]:
    settings = Settings(
        database_url=await fresh_database("orders"),
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=namespace(),
        catalog_target=f"127.0.0.1:{free_port()}",  # tasks never ask the catalog
    )
    async with running(SPEC, settings) as channel:
        yield channel


def a_task(assignee: str = "sam", due: int = 3, request_id: str = "") -> pb.CreateTaskRequest:
    return pb.CreateTaskRequest(
        subject_type="sales_order",
        subject_id="o-1",
        title="Call the customer about the delivery date",
        assignee=assignee,
        due_date=(TODAY + timedelta(days=due)).isoformat(),
        request_id=request_id,
    )


async def refused(call: Awaitable[object]) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    return error.value


async def test_a_retried_create_makes_one_task_and_bad_input_names_its_fields(
    channel: grpc.aio.Channel,
) -> None:
    tasks = tasks_pb2_grpc.TasksServiceStub(channel)
    first = (await tasks.CreateTask(a_task(request_id="r-1"), metadata=KIM)).task
    again = (await tasks.CreateTask(a_task(request_id="r-1"), metadata=KIM)).task
    assert again == first
    assert (first.status, first.created_by, first.overdue) == ("open", "kim", False)
    listed = await tasks.ListTasks(pb.ListTasksRequest(), metadata=DESK)
    assert [t.id for t in listed.tasks] == [first.id]
    other = await refused(tasks.CreateTask(a_task(due=4, request_id="r-1"), metadata=KIM))
    assert other.code() == grpc.StatusCode.ALREADY_EXISTS
    bad = pb.CreateTaskRequest(subject_type="invoice", title="", assignee="x", due_date="soon")
    error = await refused(tasks.CreateTask(bad, metadata=WAREHOUSE))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in violations_of(error)} == {
        "subject_type",
        "subject_id",
        "title",
        "due_date",
    }


async def test_people_see_and_change_their_own_tasks_managers_every_task(
    channel: grpc.aio.Channel,
) -> None:
    tasks = tasks_pb2_grpc.TasksServiceStub(channel)
    for_sam = (await tasks.CreateTask(a_task("sam"), metadata=DESK)).task
    for_lea = (await tasks.CreateTask(a_task("lea", due=1), metadata=KIM)).task
    mine = await tasks.ListTasks(pb.ListTasksRequest(), metadata=SAM)
    assert [t.id for t in mine.tasks] == [for_sam.id]
    every = await tasks.ListTasks(pb.ListTasksRequest(), metadata=DESK)
    assert [t.id for t in every.tasks] == [for_lea.id, for_sam.id]
    hidden = await refused(tasks.GetTask(pb.GetTaskRequest(task_id=for_lea.id), metadata=SAM))
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    change = pb.UpdateTaskRequest(task_id=for_lea.id, status="done")
    assert (await refused(tasks.UpdateTask(change, metadata=SAM))).code() == (
        grpc.StatusCode.NOT_FOUND
    )
    done = (await tasks.UpdateTask(change, metadata=KIM)).task
    assert done.status == "done"
    assert done.HasField("done_at")
    edit = pb.UpdateTaskRequest(task_id=for_lea.id, title="Something else")
    closed = await refused(tasks.UpdateTask(edit, metadata=KIM))
    assert closed.code() == grpc.StatusCode.FAILED_PRECONDITION
    reopened = (
        await tasks.UpdateTask(
            pb.UpdateTaskRequest(task_id=for_lea.id, status="open", assignee="sam"),
            metadata=DESK,
        )
    ).task
    assert (reopened.status, reopened.assignee, reopened.HasField("done_at")) == (
        "open",
        "sam",
        False,
    )
    assert len((await tasks.ListTasks(pb.ListTasksRequest(), metadata=SAM)).tasks) == 2
    audit = audit_pb2_grpc.AuditServiceStub(channel)
    log = await audit.ListAuditEntries(
        audit_pb2.ListAuditEntriesRequest(entity_type="task", entity_id=for_lea.id)
    )
    assert [c.action for c in reversed(log.entries)] == ["created", "updated", "updated"]


async def test_overdue_filters_and_pages(channel: grpc.aio.Channel) -> None:
    tasks = tasks_pb2_grpc.TasksServiceStub(channel)
    late = (await tasks.CreateTask(a_task(due=-2), metadata=DESK)).task
    due_today = (await tasks.CreateTask(a_task(due=0), metadata=DESK)).task
    later = (await tasks.CreateTask(a_task(due=5), metadata=DESK)).task
    assert late.overdue
    assert not due_today.overdue
    overdue = await tasks.ListTasks(pb.ListTasksRequest(overdue_only=True), metadata=DESK)
    assert [t.id for t in overdue.tasks] == [late.id]
    first = await tasks.ListTasks(pb.ListTasksRequest(page_size=2), metadata=DESK)
    rest = await tasks.ListTasks(
        pb.ListTasksRequest(page_size=2, page_token=first.next_page_token), metadata=DESK
    )
    assert [t.id for t in [*first.tasks, *rest.tasks]] == [late.id, due_today.id, later.id]
    assert rest.next_page_token == ""
    mine = await tasks.ListTasks(
        pb.ListTasksRequest(
            assignee="sam", status="open", subject_type="sales_order", subject_id="o-1"
        ),
        metadata=SAM,
    )
    assert len(mine.tasks) == 3
