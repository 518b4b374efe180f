"""Signing in and out, and where a signed-in user lands."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from web.application.accounts import Current, SignInRefused, Throttled, sign_in, sign_out
from web.domain.pages import pages_for
from web.domain.sessions import new_secret, same_token
from web.entrypoints.security import Forbidden, Web, check_origin, user_for, web_of

router = APIRouter()


@router.get("/")
async def home(who: Annotated[Current, Depends(user_for())]) -> Response:
    pages = pages_for(who.user.role)
    target = f"/{pages[0].value}" if pages else "/account"
    return RedirectResponse(target, status_code=303)


@router.get("/account", response_class=HTMLResponse)
async def account(request: Request, who: Annotated[Current, Depends(user_for())]) -> Response:
    return web_of(request).render(request, "account.html", title="Your account")


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request) -> Response:
    return _sign_in_form(request)


@router.post("/sign-in")
async def sign_in_post(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    sign_in_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    web = web_of(request)
    check_origin(request, web.settings)
    # before a session exists, the form's token must match the cookie set with the form
    if not same_token(request.cookies.get(_sign_in_cookie(web), ""), sign_in_token):
        raise Forbidden("this form has expired: open the sign-in page again")
    address = request.client.host if request.client else ""
    try:
        signed = await sign_in(
            web.units,
            web.hasher,
            web.throttle,
            web.policy,
            username=username.strip(),
            password=password,
            address=address,
            now=datetime.now(UTC),
        )
    except SignInRefused:
        return _sign_in_form(request, "Wrong username or password.", username, 401)
    except Throttled as error:
        response = _sign_in_form(request, str(error).capitalize() + ".", username, 429)
        response.headers["Retry-After"] = str(int(error.retry_after) + 1)
        return response
    # a fresh session id at every sign-in: one planted before it opens nothing
    response = RedirectResponse("/", status_code=303)
    old = request.cookies.get(web.cookie_name)
    if old:
        await sign_out(web.units, old)
    web.set_session_cookie(response, signed.secret)
    response.delete_cookie(_sign_in_cookie(web), path="/", secure=web.settings.cookie_secure)
    return response


@router.post("/sign-out")
async def sign_out_post(request: Request, who: Annotated[Current, Depends(user_for())]) -> Response:
    web = web_of(request)
    await sign_out(web.units, request.cookies.get(web.cookie_name, ""))
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    web.clear_session_cookie(response)
    return response


def _sign_in_cookie(web: Web) -> str:
    return "__Host-sign-in" if web.settings.cookie_secure else "sign-in"


def _sign_in_form(
    request: Request, error: str = "", username: str = "", status_code: int = 200
) -> Response:
    web = web_of(request)
    token = new_secret()
    response = web.render(
        request,
        "sign_in.html",
        status_code,
        title="Sign in",
        error=error,
        username=username,
        sign_in_token=token,
        signed_out=request.query_params.get("signed_out") == "1",
        provider=web.provider is not None,
    )
    response.set_cookie(
        _sign_in_cookie(web),
        token,
        max_age=3600,
        path="/",
        secure=web.settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response
