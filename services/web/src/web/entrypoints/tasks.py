"""Tasks: follow-ups on an order, a quote or a customer request, with an assignee and a due
date. The page lists mine (overdue ones first and marked) and those I gave others; two helpers
give other pages a part of their own: a subject's tasks with a form to add one
(`tasks_for` + tasks/_for_subject.html) and an order's timeline across the services
(`timeline_for` + tasks/_timeline.html)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.domain.pages import Page
from web.entrypoints.security import Web, user_for, web_of

router = APIRouter(prefix="/tasks")
Worker = Annotated[Current, Depends(user_for(Page.TASKS))]
Text = Annotated[str, Form(max_length=200)]
Notes = Annotated[str, Form(max_length=2000)]
SUBJECTS = {"sales_order": "Order", "quote": "Quote", "request": "Request"}
STATUSES = ("open", "done", "cancelled")
SHOWN = "100"


def local_path(given: str, default: str = "/tasks") -> str:
    """Where to go back after a form: a path of this site only (no other host, no scheme)."""
    if given.startswith("/") and not given.startswith("//") and "\\" not in given:
        return given
    return default


async def patch(web: Web, token: str, path: str, body: dict[str, Any]) -> Any:
    """PATCH through the gateway client (it has no method of its own for it yet)."""
    return await web.gateway.patch(token, path, body)


def _why(error: GatewayError) -> str:
    if error.status == 403:
        return "not available to your role"
    if error.status == 404:
        return "not available"
    return error.detail


async def tasks_for(web: Web, token: str, subject_type: str, subject_id: str) -> dict[str, Any]:
    """One subject's tasks, for tasks/_for_subject.html (given as `subject_tasks`): never
    raises for an answer of the gateway, says why instead (`error`)."""
    part: dict[str, Any] = {
        "subject_type": subject_type,
        "subject_id": subject_id,
        "label": SUBJECTS.get(subject_type, subject_type),
        "items": [],
        "error": "",
    }
    try:
        found = await web.gateway.get(
            token, "/tasks", subject_type=subject_type, subject_id=subject_id, page_size=SHOWN
        )
    except GatewayError as error:
        part["error"] = _why(error)
        return part
    part["items"] = found.get("items", [])
    return part


async def timeline_for(web: Web, token: str, order_id: str) -> dict[str, Any]:
    """An order's events across the services in time order, for tasks/_timeline.html (given as
    `timeline`); an empty list with a note when the gateway has no timeline (404) or refuses."""
    part: dict[str, Any] = {"order_id": order_id, "items": [], "note": ""}
    try:
        found = await web.gateway.get(token, f"/sales-orders/{order_id}/timeline")
    except GatewayError as error:
        part["note"] = (
            "The timeline is not available yet."
            if error.status == 404
            else f"The timeline is not shown: {_why(error)}."
        )
        return part
    part["items"] = found.get("items", [])
    return part


async def _list(web: Web, token: str, **params: str) -> tuple[list[dict[str, Any]], str]:
    try:
        found = await web.gateway.get(token, "/tasks", page_size=SHOWN, **params)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return [], _why(error)
    return found.get("items", []), ""


async def _page(
    request: Request,
    who: Current,
    status_code: int = 200,
    error: GatewayError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    web = web_of(request)
    token = web.token(who)
    status = request.query_params.get("status", "open")
    status = status if status in (*STATUSES, "all") else "open"
    mine, mine_error = await _list(
        web, token, assignee="me", status="" if status == "all" else status
    )
    mine.sort(key=lambda t: (not t.get("overdue"), t.get("due_date") or ""))
    every, given_error = await _list(web, token, status="open")
    me = who.user.username
    given = [t for t in every if t.get("created_by") == me and t.get("assignee") != me]
    return web.render(
        request,
        "tasks/index.html",
        status_code,
        title="Tasks",
        status=status,
        statuses=STATUSES,
        mine=mine,
        mine_error=mine_error,
        given=given,
        given_error=given_error,
        subjects=SUBJECTS,
        form=form or {"assignee": me},
        error=error,
        done=request.query_params.get("done", ""),
    )


@router.get("", response_class=HTMLResponse)
async def tasks_page(request: Request, who: Worker) -> Response:
    return await _page(request, who)


@router.post("")
async def add_task(
    request: Request,
    who: Worker,
    subject_type: Text = "",
    subject_id: Text = "",
    title: Text = "",
    notes: Notes = "",
    assignee: Text = "",
    due_date: Annotated[str, Form(max_length=10)] = "",
    back: Text = "",
) -> Response:
    web = web_of(request)
    form = {
        "subject_type": subject_type,
        "subject_id": subject_id.strip(),
        "title": title.strip(),
        "notes": notes,
        "assignee": assignee.strip(),
        "due_date": due_date,
    }
    if subject_type not in SUBJECTS:
        problem = GatewayError(400, "choose what the task is about", {"subject_type": "required"})
        return await _page(request, who, 400, problem, form)
    body: dict[str, Any] = {k: v for k, v in form.items() if k != "notes"}
    if notes.strip():
        body["notes"] = notes
    try:
        task = await web.gateway.post(web.token(who), "/tasks", body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _page(request, who, error.status, error, form)
    return RedirectResponse(
        local_path(back, f"/tasks?done=Added+task+{task.get('id', '')}"), status_code=303
    )


async def _set_status(
    request: Request, who: Current, task_id: str, status: str, back: str
) -> Response:
    web = web_of(request)
    try:
        await patch(web, web.token(who), f"/tasks/{task_id}", {"status": status})
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _page(request, who, error.status, error)
    word = {"done": "Done", "open": "Reopened", "cancelled": "Cancelled"}[status]
    return RedirectResponse(local_path(back, f"/tasks?done={word}+{task_id}"), status_code=303)


@router.post("/{task_id}/done")
async def mark_done(request: Request, task_id: str, who: Worker, back: Text = "") -> Response:
    return await _set_status(request, who, task_id, "done", back)


@router.post("/{task_id}/reopen")
async def reopen(request: Request, task_id: str, who: Worker, back: Text = "") -> Response:
    return await _set_status(request, who, task_id, "open", back)


@router.post("/{task_id}/cancel")
async def cancel(request: Request, task_id: str, who: Worker, back: Text = "") -> Response:
    return await _set_status(request, who, task_id, "cancelled", back)
