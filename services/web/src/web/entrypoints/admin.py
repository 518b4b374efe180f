"""Users, managed by an admin: create one with a role and a team, deactivate one, reset a
password."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from servicekit.auth import ROLES
from servicekit.errors import AlreadyExists, InvalidArgument
from web.application.accounts import Current
from web.application.people import create_user, deactivate_user, list_users, reset_password
from web.domain.pages import Page
from web.domain.users import UserId
from web.entrypoints.security import user_for, web_of

router = APIRouter(prefix="/users")
Admin = Annotated[Current, Depends(user_for(Page.USERS))]
Text = Annotated[str, Form(max_length=300)]


async def _page(
    request: Request,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    message: str = "",
    form: dict[str, str] | None = None,
) -> Response:
    web = web_of(request)
    return web.render(
        request,
        "users.html",
        status_code,
        title="Users",
        users=await list_users(web.units),
        roles=ROLES,
        errors=errors or {},
        message=message or request.query_params.get("done", ""),
        form=form or {},
    )


@router.get("", response_class=HTMLResponse)
async def users_page(request: Request, who: Admin) -> Response:
    return await _page(request)


@router.post("")
async def add_user(
    request: Request,
    who: Admin,
    username: Text = "",
    role: Text = "",
    team: Text = "",
    password: Text = "",
) -> Response:
    web = web_of(request)
    form = {"username": username, "role": role, "team": team}
    try:
        user = await create_user(
            web.units,
            web.hasher,
            username=username,
            role=role,
            team=team,
            password=password,
            now=datetime.now(UTC),
        )
    except InvalidArgument as error:
        errors = {v.field: v.description for v in error.violations}
        return await _page(request, 400, errors, "The user was not created.", form)
    except AlreadyExists as error:
        return await _page(request, 409, {"username": error.message}, "Not created.", form)
    return RedirectResponse(f"/users?done=Created+{user.username}", status_code=303)


@router.post("/{user_id}/deactivate")
async def deactivate(request: Request, user_id: str, who: Admin) -> Response:
    user = await deactivate_user(web_of(request).units, UserId(user_id))
    return RedirectResponse(f"/users?done=Deactivated+{user.username}", status_code=303)


@router.post("/{user_id}/password")
async def new_password(request: Request, user_id: str, who: Admin, password: Text = "") -> Response:
    web = web_of(request)
    try:
        user = await reset_password(web.units, web.hasher, UserId(user_id), password)
    except InvalidArgument as error:
        errors = {f"password-{user_id}": v.description for v in error.violations}
        return await _page(request, 400, errors, "The password was not changed.")
    return RedirectResponse(f"/users?done=New+password+for+{user.username}", status_code=303)
