"""/tasks: who is to do what about a sales order, a quote or a customer request, by when. Every
office role keeps tasks; the orders service decides whose each person sees and changes (their
own: assigned to or created by them; every task for sales managers, the order desk and admins)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import AnyUser
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from gateway.tasks.schemas import SubjectType, Task, TaskChangeIn, TaskIn, TaskPage
from oms.orders.v1 import tasks_pb2 as pb
from servicekit.context import Principal

router = APIRouter(prefix="/tasks", tags=["tasks"])
routers = (router,)

TaskId = IdPath
ME = "me"


@router.post(
    "",
    status_code=201,
    response_model=Task,
    dependencies=[AnyUser],
    operation_id="createTask",
    summary="Create a task",
    responses=located("getTask", "task_id"),
)
async def create_task(body: TaskIn, request: Request, response: Response) -> Task:
    """An open task on a sales order, a quote or a customer request, for a person by a date.
    Any office role may create one."""
    reply = await request.app.state.clients.tasks.CreateTask(body.to_proto(request_id(request)))
    response.headers["Location"] = f"{request.url.path}/{reply.task.id}"
    return Task.model_validate(reply.task)


@router.get(
    "",
    response_model=TaskPage,
    operation_id="listTasks",
    summary="List tasks",
)
async def list_tasks(
    request: Request,
    caller: Annotated[Principal, AnyUser],
    assignee: Annotated[
        str, Query(max_length=200, description="a person's subject; `me` for the caller")
    ] = "",
    status: Annotated[Literal["open", "done", "cancelled", ""], Query()] = "",
    subject_type: Annotated[SubjectType | Literal[""], Query()] = "",
    subject_id: IdQuery = "",
    overdue: Annotated[bool, Query(description="only open tasks due before today")] = False,
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> TaskPage:
    """The tasks the caller may see (their own, or every task for a manager), by due date then
    id; `next_page_token` fetches the next page."""
    reply = await request.app.state.clients.tasks.ListTasks(
        pb.ListTasksRequest(
            assignee=caller.subject if assignee == ME else assignee,
            status=status,
            subject_type=subject_type,
            subject_id=subject_id,
            overdue_only=overdue,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return TaskPage(
        items=[Task.model_validate(t) for t in reply.tasks], next_page_token=reply.next_page_token
    )


@router.get(
    "/{task_id}",
    response_model=Task,
    dependencies=[AnyUser],
    operation_id="getTask",
    summary="Get a task",
    responses=problems(404),
)
async def get_task(task_id: TaskId, request: Request) -> Task:
    """One task; 404 for one the caller may not see."""
    reply = await request.app.state.clients.tasks.GetTask(pb.GetTaskRequest(task_id=task_id))
    return Task.model_validate(reply.task)


@router.patch(
    "/{task_id}",
    response_model=Task,
    dependencies=[AnyUser],
    operation_id="changeTask",
    summary="Change a task",
    responses=problems(404, 409),
)
async def change_task(task_id: TaskId, body: TaskChangeIn, request: Request) -> Task:
    """Changes the fields the body names and, with `status`, moves the task (done, cancelled,
    or open again). Its assignee, its creator or a manager may (404 for anyone else); 409 for a
    move it cannot make or an edit while it is not open."""
    reply = await request.app.state.clients.tasks.UpdateTask(body.to_proto(task_id))
    return Task.model_validate(reply.task)
