"""/tasks and an order's timeline over fake services: what the gateway passes on (the request id
from the Idempotency-Key, the caller for `assignee=me`, only the fields a change names), the
bounds it holds at the edge, and the answers it shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from oms.orders.v1 import orders_pb2, orders_pb2_grpc, tasks_pb2, tasks_pb2_grpc
from services.gateway.tests.unit.conftest import GatewayOver
from testkit.services import signed_in

API = "/api/v1"
AT = Timestamp(seconds=1_796_000_000)


class Seen:
    def __init__(self) -> None:
        self.requests: dict[str, list[Any]] = {}

    def add(self, name: str, request: Any) -> None:
        self.requests.setdefault(name, []).append(request)

    def last(self, name: str) -> Any:
        return self.requests[name][-1]


seen = Seen()


def a_task(**changes: Any) -> tasks_pb2.Task:
    task = tasks_pb2.Task(
        id="t-1",
        subject_type="sales_order",
        subject_id="o-1",
        title="Call the customer",
        assignee="sam",
        due_date="2026-12-10",
        status="open",
        created_by="olga",
        created_at=AT,
    )
    for name, value in changes.items():
        if name == "done_at":
            task.done_at.CopyFrom(value)
        else:
            setattr(task, name, value)
    return task


class FakeTasks(tasks_pb2_grpc.TasksServiceServicer):
    async def CreateTask(self, request: Any, context: Any) -> Any:
        seen.add("CreateTask", request)
        return tasks_pb2.CreateTaskResponse(task=a_task())

    async def GetTask(self, request: Any, context: Any) -> Any:
        if request.task_id != "t-1":
            await context.abort(grpc.StatusCode.NOT_FOUND, f"task {request.task_id} not found")
        return tasks_pb2.GetTaskResponse(task=a_task())

    async def UpdateTask(self, request: Any, context: Any) -> Any:
        seen.add("UpdateTask", request)
        if request.HasField("title") and request.title == "too late":
            await context.abort(grpc.StatusCode.FAILED_PRECONDITION, "task t-1 is done")
        return tasks_pb2.UpdateTaskResponse(task=a_task(status="done", done_at=AT))

    async def ListTasks(self, request: Any, context: Any) -> Any:
        seen.add("ListTasks", request)
        late = a_task(id="t-2", due_date="2026-11-01", overdue=True)
        return tasks_pb2.ListTasksResponse(tasks=[late, a_task()], next_page_token="more")


class FakeOrders(orders_pb2_grpc.OrdersServiceServicer):
    async def GetOrderTimeline(self, request: Any, context: Any) -> Any:
        seen.add("GetOrderTimeline", request)
        if request.order_id == "not-mine":
            await context.abort(grpc.StatusCode.PERMISSION_DENIED, "sales order is not yours")
        entry = orders_pb2.TimelineEntry(
            event_id="e-1",
            at=AT,
            service="inventory",
            event_type="oms.inventory.StockReserved.v1",
            summary="Stock reserved for 1 line",
            actor="sam",
            cause_id="e-0",
            correlation_id="flow-1",
            trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
        )
        return orders_pb2.GetOrderTimelineResponse(entries=[entry])


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over(
        [
            (tasks_pb2_grpc.add_TasksServiceServicer_to_server, FakeTasks()),
            (orders_pb2_grpc.add_OrdersServiceServicer_to_server, FakeOrders()),
        ],
        "http://gw",
    ) as client:
        yield client


TASK_IN = {
    "subject_type": "sales_order",
    "subject_id": "o-1",
    "title": "Call the customer",
    "assignee": "sam",
    "due_date": "2026-12-10",
}


async def test_a_task_is_created_with_the_request_id_and_located(api: httpx.AsyncClient) -> None:
    headers = signed_in("walt", "warehouse") | {"Idempotency-Key": "task-1"}
    response = await api.post(f"{API}/tasks", json=TASK_IN, headers=headers)
    assert response.status_code == 201
    assert response.headers["Location"] == f"{API}/tasks/t-1"
    passed = seen.last("CreateTask")
    assert (passed.subject_type, passed.due_date, passed.notes) == (
        "sales_order",
        "2026-12-10",
        "",
    )
    assert len(passed.request_id) == 36  # derived from the caller and their key
    body = response.json()
    assert body == {
        "id": "t-1",
        "subject_type": "sales_order",
        "subject_id": "o-1",
        "title": "Call the customer",
        "notes": "",
        "assignee": "sam",
        "due_date": "2026-12-10",
        "status": "open",
        "overdue": False,
        "created_by": "olga",
        "created_at": "2026-11-30T00:53:20Z",
        "done_at": None,
    }
    read = await api.get(f"{API}/tasks/t-1", headers=signed_in("sam", "sales"))
    assert read.json() == body
    missing = await api.get(f"{API}/tasks/t-9", headers=signed_in("sam", "sales"))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject_type": "invoice"}, "subject_type"),
        ({"due_date": "10.12.2026"}, "due_date"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"notes": "n" * 4001}, "notes"),
        ({"assignee": ""}, "assignee"),
        ({"subject_id": "s" * 101}, "subject_id"),
    ],
)
async def test_bad_tasks_are_422_at_the_edge_naming_the_field(
    api: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    response = await api.post(
        f"{API}/tasks", json=TASK_IN | change, headers=signed_in("sam", "sales")
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_a_list_passes_its_filters_and_me_is_the_caller(api: httpx.AsyncClient) -> None:
    query = "assignee=me&status=open&subject_type=quote&subject_id=q-1&overdue=true"
    listed = await api.get(
        f"{API}/tasks?{query}&page_size=2&page_token=p1", headers=signed_in("sam", "sales")
    )
    assert listed.status_code == 200
    passed = seen.last("ListTasks")
    assert (passed.assignee, passed.status, passed.subject_type, passed.subject_id) == (
        "sam",
        "open",
        "quote",
        "q-1",
    )
    assert (passed.overdue_only, passed.page_size, passed.page_token) == (True, 2, "p1")
    body = listed.json()
    assert [(t["id"], t["overdue"]) for t in body["items"]] == [("t-2", True), ("t-1", False)]
    assert body["next_page_token"] == "more"
    await api.get(f"{API}/tasks?assignee=kim", headers=signed_in("olga", "order-desk"))
    assert seen.last("ListTasks").assignee == "kim"
    for bad in ("status=closed", "subject_type=invoice", "page_size=201", "overdue=perhaps"):
        response = await api.get(f"{API}/tasks?{bad}", headers=signed_in("sam", "sales"))
        assert response.status_code == 422, bad


async def test_a_change_passes_only_the_fields_it_names(api: httpx.AsyncClient) -> None:
    sam = signed_in("sam", "sales")
    changed = await api.patch(f"{API}/tasks/t-1", json={"status": "done"}, headers=sam)
    assert changed.status_code == 200
    assert changed.json()["done_at"] == "2026-11-30T00:53:20Z"
    passed = seen.last("UpdateTask")
    assert [f.name for f, _ in passed.ListFields()] == ["task_id", "status"]
    await api.patch(f"{API}/tasks/t-1", json={"notes": None, "due_date": "2026-12-24"}, headers=sam)
    passed = seen.last("UpdateTask")
    assert (passed.HasField("notes"), passed.notes, passed.due_date) == (True, "", "2026-12-24")
    assert not passed.HasField("title")
    refused = await api.patch(f"{API}/tasks/t-1", json={"title": "too late"}, headers=sam)
    assert refused.status_code == 409
    for bad in ({"status": "closed"}, {"due_date": "soon"}, {"owner": "kim"}):
        response = await api.patch(f"{API}/tasks/t-1", json=bad, headers=sam)
        assert response.status_code == 422, bad


async def test_an_orders_timeline_is_its_entries_in_order(api: httpx.AsyncClient) -> None:
    response = await api.get(
        f"{API}/sales-orders/o-1/timeline", headers=signed_in("walt", "warehouse")
    )
    assert response.status_code == 200
    assert seen.last("GetOrderTimeline").order_id == "o-1"
    assert response.json() == {
        "items": [
            {
                "at": "2026-11-30T00:53:20Z",
                "service": "inventory",
                "event_type": "oms.inventory.StockReserved.v1",
                "summary": "Stock reserved for 1 line",
                "actor": "sam",
                "cause_id": "e-0",
                "correlation_id": "flow-1",
                "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
                "event_id": "e-1",
            }
        ]
    }
    refused = await api.get(
        f"{API}/sales-orders/not-mine/timeline", headers=signed_in("kim", "sales")
    )
    assert refused.status_code == 403
