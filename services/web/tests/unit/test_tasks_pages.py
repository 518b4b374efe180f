"""The tasks page and the fragments other pages include (a subject's tasks, an order's
timeline) over a faked gateway: what they ask, what they send, what they show, errors
included."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from services.web.tests.unit.pages_harness import Harness, csrf, sign_in
from web.entrypoints.tasks import local_path, tasks_for, timeline_for


def task(task_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": task_id,
        "subject_type": "sales_order",
        "subject_id": "o-1",
        "title": f"Call about {task_id}",
        "notes": "",
        "assignee": "olga",
        "due_date": "2026-12-10",
        "status": "open",
        "overdue": False,
        "created_by": "olga",
        "created_at": "2026-12-01T09:00:00Z",
        "done_at": None,
    } | changes


MINE = [
    task("t-late-not", due_date="2026-12-20"),
    task("t-late", overdue=True, due_date="2026-12-01"),
    task("t-closed", status="done", due_date="2026-11-01", title="Closed long ago"),
]
EVERY = [
    *MINE,
    task("t-given", assignee="sam", title="Sam checks stock"),
    task("t-other", assignee="sam", created_by="pat", title="Not mine at all"),
]


class FakeTasks:
    """A gateway answering /tasks (GET by assignee, POST, PATCH) and a timeline, recording
    what it was sent; `refuse` answers a path (and method) with a problem."""

    def __init__(self, refuse: dict[tuple[str, str], tuple[int, dict[str, Any]]] | None = None):
        self.refuse = refuse or {}
        self.timeline: dict[str, Any] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if (request.method, path) in self.refuse:
            status, body = self.refuse[(request.method, path)]
            return httpx.Response(status, json=body)
        if path == "/tasks" and request.method == "GET":
            mine = request.url.params.get("assignee") == "me"
            return httpx.Response(200, json={"items": MINE if mine else EVERY})
        if path == "/tasks" and request.method == "POST":
            return httpx.Response(201, json=task("t-new") | json.loads(request.content))
        if path.startswith("/tasks/") and request.method == "PATCH":
            return httpx.Response(200, json=task(path.split("/")[2]) | json.loads(request.content))
        if path == "/sales-orders/o-1/timeline" and self.timeline is not None:
            return httpx.Response(200, json=self.timeline)
        return httpx.Response(404, json={"detail": f"no {path}"})


async def signed_in(gateway: FakeTasks, role: str = "order-desk") -> tuple[Harness, Any]:
    harness = Harness(gateway)
    await harness.user("olga", role)
    client = harness.client()
    sign_in(client, "olga")
    return harness, client


def sent(harness: Harness, method: str) -> list[httpx.Request]:
    return [c for c in harness.calls if c.method == method]


@pytest.mark.parametrize("role", ["sales", "warehouse", "purchasing", "finance", "admin"])
async def test_every_office_role_opens_the_tasks_page(role: str) -> None:
    _, client = await signed_in(FakeTasks(), role)
    assert client.get("/tasks").status_code == 200


async def test_my_tasks_overdue_first_and_marked_and_those_i_gave_others() -> None:
    harness, client = await signed_in(FakeTasks())
    page = client.get("/tasks")
    assert page.status_code == 200
    text = page.text
    assert 'id="tasks-table"' in text
    assert 'id="task-form"' in text
    mine, given = text.split('id="given-tasks"')
    assert mine.index("Call about t-late<") < mine.index("Call about t-late-not")
    assert mine.index("Call about t-late<") < mine.index("Closed long ago")  # overdue first
    assert 'action="/tasks/t-closed/reopen"' in mine
    assert '<tr class="overdue low" id="task-t-late">' in mine
    assert '<tr class="" id="task-t-late-not">' in mine
    assert "2026-12-01 (overdue)" in mine
    assert "Sam checks stock" in given
    assert "Not mine at all" not in text
    assert 'action="/tasks/t-late/done"' in mine
    first, second = [c for c in harness.calls if c.url.path.endswith("/tasks")]
    assert dict(first.url.params) == {"assignee": "me", "status": "open", "page_size": "100"}
    assert dict(second.url.params) == {"status": "open", "page_size": "100"}


async def test_the_status_filter_is_passed_on_and_all_sends_none() -> None:
    harness, client = await signed_in(FakeTasks())
    client.get("/tasks", params={"status": "done"})
    assert harness.calls[0].url.params["status"] == "done"
    client.get("/tasks", params={"status": "all"})
    assert "status" not in harness.calls[2].url.params
    client.get("/tasks", params={"status": "bogus"})
    assert harness.calls[4].url.params["status"] == "open"


async def test_a_task_is_added_with_the_fields_of_the_contract() -> None:
    harness, client = await signed_in(FakeTasks())
    form = {
        "csrf_token": csrf(client.get("/tasks")),
        "subject_type": "quote",
        "subject_id": " q-1 ",
        "title": "Chase the customer",
        "notes": "",
        "assignee": "sam",
        "due_date": "2026-12-10",
    }
    answer = client.post("/tasks", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/tasks?done=Added+task+t-new"
    (posted,) = sent(harness, "POST")
    assert posted.headers["idempotency-key"]
    assert json.loads(posted.content) == {
        "subject_type": "quote",
        "subject_id": "q-1",
        "title": "Chase the customer",
        "assignee": "sam",
        "due_date": "2026-12-10",
    }
    again = client.post("/tasks", data=form | {"notes": "ask for Ann", "back": "/orders/o-1"})
    assert again.headers["location"] == "/orders/o-1"
    assert json.loads(sent(harness, "POST")[1].content)["notes"] == "ask for Ann"


@pytest.mark.parametrize("back", ["https://evil.example/x", "//evil.example/x", "orders"])
async def test_a_form_goes_back_only_to_a_page_of_this_site(back: str) -> None:
    assert local_path(back) == "/tasks"
    assert local_path("/queues") == "/queues"


async def test_the_gateways_refusal_of_a_new_task_is_shown_with_what_was_typed() -> None:
    problem = {
        "detail": "the request does not match its schema",
        "errors": [{"field": "body.due_date", "detail": "not a date"}],
    }
    _, client = await signed_in(FakeTasks({("POST", "/tasks"): (422, problem)}))
    form = {
        "csrf_token": csrf(client.get("/tasks")),
        "subject_type": "sales_order",
        "subject_id": "o-1",
        "title": "Ring them",
        "assignee": "sam",
        "due_date": "soon",
    }
    answer = client.post("/tasks", data=form)
    assert answer.status_code == 422
    assert "the request does not match its schema" in answer.text
    assert "due_date: not a date" in answer.text
    assert 'value="Ring them"' in answer.text
    assert 'value="sales_order" selected' in answer.text


async def test_a_task_about_something_else_is_refused_before_the_gateway() -> None:
    harness, client = await signed_in(FakeTasks())
    form = {"csrf_token": csrf(client.get("/tasks")), "subject_type": "invoice", "title": "x"}
    answer = client.post("/tasks", data=form)
    assert answer.status_code == 400
    assert "choose what the task is about" in answer.text
    assert sent(harness, "POST") == []


async def test_done_and_reopen_patch_the_status() -> None:
    harness, client = await signed_in(FakeTasks())
    token = csrf(client.get("/tasks"))
    done = client.post("/tasks/t-late/done", data={"csrf_token": token})
    assert done.status_code == 303
    assert done.headers["location"] == "/tasks?done=Done+t-late"
    back = client.post("/tasks/t-late/reopen", data={"csrf_token": token, "back": "/queues"})
    assert back.headers["location"] == "/queues"
    first, second = sent(harness, "PATCH")
    assert first.url.path == "/api/v1/tasks/t-late"
    assert json.loads(first.content) == {"status": "done"}
    assert json.loads(second.content) == {"status": "open"}
    client.post("/tasks/t-late/cancel", data={"csrf_token": token})
    assert json.loads(sent(harness, "PATCH")[2].content) == {"status": "cancelled"}


async def test_a_refused_change_of_status_is_explained() -> None:
    problem = {"detail": "only its assignee or creator closes a task", "errors": []}
    refuse = {("PATCH", "/tasks/t-late"): (403, problem)}
    _, client = await signed_in(FakeTasks(refuse))
    answer = client.post("/tasks/t-late/done", data={"csrf_token": csrf(client.get("/tasks"))})
    assert answer.status_code == 403
    assert "only its assignee or creator closes a task" in answer.text


async def test_changes_without_the_csrf_token_are_refused_and_not_sent() -> None:
    harness, client = await signed_in(FakeTasks())
    client.get("/tasks")
    before = len(harness.calls)
    form = {"subject_type": "quote", "subject_id": "q", "title": "t", "assignee": "a"}
    for path, data in (("/tasks", form), ("/tasks/t-1/done", {}), ("/tasks/t-1/reopen", {})):
        answer = client.post(path, data=data | {"csrf_token": "forged"})
        assert answer.status_code == 403
        assert "did not come from this site" in answer.text
    assert len(harness.calls) == before


async def test_without_the_tasks_api_the_page_says_so_instead_of_failing() -> None:
    refuse = {("GET", "/tasks"): (404, {"detail": "Not Found"})}
    _, client = await signed_in(FakeTasks(refuse))
    page = client.get("/tasks")
    assert page.status_code == 200
    assert page.text.count("Not shown: not available.") == 2
    assert 'id="task-form"' in page.text


async def test_a_gateway_that_cannot_answer_is_a_503_page() -> None:
    refuse = {("GET", "/tasks"): (502, {"detail": "orders is down"})}
    _, client = await signed_in(FakeTasks(refuse))
    page = client.get("/tasks")
    assert page.status_code == 503
    assert "orders is down" in page.text


async def test_a_subjects_tasks_fragment_lists_them_and_adds_one_for_it() -> None:
    harness, _ = await signed_in(FakeTasks())
    part = await tasks_for(harness.web, "token", "sales_order", "o-1")
    assert dict(harness.calls[-1].url.params) == {
        "subject_type": "sales_order",
        "subject_id": "o-1",
        "page_size": "100",
    }
    html = harness.web.templates.get_template("tasks/_for_subject.html").render(
        subject_tasks=part, csrf_token="tok", back="/orders/o-1", current=None
    )
    assert "Call about t-late" in html
    assert "2026-12-01 (overdue)" in html
    assert '<input type="hidden" name="subject_id" value="o-1">' in html
    assert '<input type="hidden" name="back" value="/orders/o-1">' in html
    assert 'name="csrf_token" value="tok"' in html
    assert "Add a task to this order" in html
    for field in ("task-title", "task-assignee", "task-due"):
        assert f'<label for="tasks-sales_order-o-1-{field}">' in html


async def test_a_subjects_tasks_fragment_says_why_they_are_missing() -> None:
    refuse = {("GET", "/tasks"): (403, {"detail": "no"})}
    harness, _ = await signed_in(FakeTasks(refuse))
    part = await tasks_for(harness.web, "token", "quote", "q-1")
    html = harness.web.templates.get_template("tasks/_for_subject.html").render(
        subject_tasks=part, csrf_token="tok", back="/quotes/q-1", current=None
    )
    assert "Not shown: not available to your role." in html
    assert 'action="/tasks"' not in html


async def test_the_timeline_fragment_shows_each_event_with_its_trace() -> None:
    gateway = FakeTasks()
    gateway.timeline = {
        "items": [
            {
                "at": "2026-12-01T09:00:00Z",
                "service": "orders",
                "event_type": "SalesOrderPlaced",
                "summary": "placed <b>by</b> sam",
                "actor": "sam",
                "cause_id": "",
                "correlation_id": "c-1",
                "trace_id": "4bf92f3577b34da6",
                "event_id": "e-1",
            }
        ]
    }
    harness, _ = await signed_in(gateway)
    part = await timeline_for(harness.web, "token", "o-1")
    html = harness.web.templates.get_template("tasks/_timeline.html").render(timeline=part)
    assert 'id="timeline"' in html
    assert "2026-12-01 09:00:00" in html
    assert "SalesOrderPlaced" in html
    assert "4bf92f3577b34da6" in html
    assert "placed &lt;b&gt;by&lt;/b&gt; sam" in html  # escaped


@pytest.mark.parametrize(
    ("status", "note"),
    [
        (404, "The timeline is not available yet."),
        (403, "The timeline is not shown: not available to your role."),
        (503, "The timeline is not shown: down."),
    ],
)
async def test_the_timeline_fragment_without_a_timeline_has_a_note(status: int, note: str) -> None:
    refuse = {("GET", "/sales-orders/o-1/timeline"): (status, {"detail": "down"})}
    harness, _ = await signed_in(FakeTasks(refuse))
    part = await timeline_for(harness.web, "token", "o-1")
    assert part["items"] == []
    html = harness.web.templates.get_template("tasks/_timeline.html").render(timeline=part)
    assert note in html
    assert 'id="timeline"' in html
