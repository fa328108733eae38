"""Rempart's server: the Streamlit app (``app.py``) and the one HTTP route it needs besides,
served by Streamlit's ASGI server (``st.App``). Run ``streamlit run serve.py`` (``make run``).

``POST /api/rempart/session`` exchanges the one-time hand-off code of a sign-in, sent in the
request's body, for the session cookie: ``HttpOnly`` (the page's scripts cannot read it),
``SameSite=Strict``, ``Secure`` when the request came over HTTPS, ``Max-Age`` to the session's
expiry (:mod:`roadmap.security.sessions`). ``DELETE`` on the same route clears the cookie at
logout (the session itself is revoked on the server by the app). A request from another origin
is refused.

At start, the first dashboard is prepared on a background thread (:mod:`app_pages.warmup`).
"""

from __future__ import annotations

import functools

import streamlit as st
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app_pages.warmup import start_warm_up
from roadmap import RoadmapError
from roadmap.security.sessions import COOKIE, ROUTE, redeem_handoff
from roadmap.store.database import database_url, open_store


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


@functools.cache
def _store(url: str) -> Engine:
    return open_store(url)  # migrated once per process, as the app's own cached engine


def _redeem(code: str) -> tuple[str, int] | None:
    return redeem_handoff(_store(database_url()), code)


async def session_cookie(request: Request) -> Response:
    """Set (``POST``, body: the hand-off code) or clear (``DELETE``) the session cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    if request.method == "DELETE":
        response = Response(status_code=204)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
        return response
    code = (await request.body())[:200].decode(errors="replace").strip()
    try:
        redeemed = await run_in_threadpool(_redeem, code)
    except RoadmapError:
        return Response(status_code=503)
    if redeemed is None:
        return Response(status_code=403)
    token, seconds = redeemed
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE, token, max_age=seconds, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


start_warm_up()  # the first dashboard prepared while the server starts (app_pages.warmup)
app = st.App("app.py", routes=[Route(ROUTE, session_cookie, methods=["POST", "DELETE"])])
