"""The one exception handler: every error, as JSON or as an HTML page, chosen by route.

Pages (http/security.py's PAGE_PREFIXES and the configurator at "/") are read by people,
so their 400s and 404s are the friendly HTML page; everything else (the API, feeds, the
widget, addresses outside the pages) answers with the JSON error shape of http/errors.py. A 404
for a path with a trailing slash that a route takes without it is a redirect instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from smartmed.catalog import i18n
from smartmed.catalog.payload import Payload
from smartmed.errors import HTTPError
from smartmed.http.caching import CACHE_CONTROL
from smartmed.http.errors import json_error
from smartmed.http.partners import error_cors_headers
from smartmed.http.security import headers_for, is_page_path
from smartmed.ops.state import current
from smartmed.web.pagelang import lang_of_path
from smartmed.web.pages import page_context
from smartmed.web.templating import HTML, render

log = logging.getLogger("smartmed")

# What quote() leaves alone in a path: RFC 3986 pchar and "/".
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
# Starlette's own 404 and 405 messages would repeat the path: the client's, maybe a probe.
_MESSAGES = {404: "path: there is nothing at this address; see /openapi.json"}
_HEADINGS = {404: "Page not found", 400: "That request did not make sense"}


def slash_redirect(scope: Scope, routes: Sequence[BaseRoute]) -> str | None:
    """Where a path with a trailing slash that no route takes should go: the same path
    without it, when a route takes that. None otherwise.

    Starlette's own redirect_slashes (turned off in app.py) builds an absolute URL from the
    Host header, which the client chooses. This answer is a relative reference, so it can
    only lead to this same service: a path that would start with "//" (another host, to a
    browser) is never an answer.
    """
    path = scope["path"]
    target = path.rstrip("/")
    if not path.endswith("/") or not target or target.startswith("//"):
        return None
    probe = {**scope, "path": target}
    if not any(route.matches(probe)[0] is not Match.NONE for route in routes):
        return None
    query = scope.get("query_string", b"").decode("latin-1")
    return quote(target, safe=_PATH_SAFE) + (f"?{query}" if query else "")


def _version_header(request: Request) -> dict[str, str]:
    service = getattr(request.app.state, "service", None)
    return {"x-content-version": service.library.version} if service is not None else {}


def _cors(request: Request) -> dict[str, str]:
    """The CORS headers the success answer would carry (http/partners decides)."""
    service = getattr(request.app.state, "service", None)
    if service is None:
        return {}
    catalog = service.catalog
    return error_cors_headers(request, catalog.library, catalog.base)


def html_error(request: Request, status: int, message: str) -> Response:
    """The friendly HTML error page of the site."""
    catalog = current(request).catalog
    lang = lang_of_path(catalog, request.url.path)
    heading = i18n.gettext(lang, _HEADINGS.get(status, "Something went wrong"))
    payload: Payload = render("error.html",
                              **page_context(catalog, section="", title=heading, path=None,
                                             lang=lang),
                              heading=heading, message=message, status=status)
    return Response(payload.body, status_code=status, media_type=HTML, headers={
        "cache-control": CACHE_CONTROL["never"], **_version_header(request)})


async def handle_error(request: Request, exc: Exception) -> Response:
    """Every HTTPError the service raises and every HTTPException Starlette raises."""
    path = request.scope["path"]
    if isinstance(exc, HTTPError):
        status, message, code, extra = exc.status, exc.message, exc.code, None
    else:
        assert isinstance(exc, HTTPException)
        status, code, extra = exc.status_code, None, exc.headers
        if status == 404:
            target = slash_redirect(request.scope, request.app.router.routes)
            if target is not None:  # the status and query Starlette's redirect_slashes keeps
                return RedirectResponse(target, status_code=307)
        message = _MESSAGES.get(status) or (
            f"method: {request.method[:20]} is not allowed here" if status == 405
            else str(exc.detail))
    if status in _HEADINGS and is_page_path(path):
        if status == 404 and not isinstance(exc, HTTPError):
            message = i18n.gettext(
                lang_of_path(current(request).catalog, path),
                "There is nothing at this address. The link may be mistyped, or the "
                "page may have moved.")
        return html_error(request, status, message)
    return json_error(status, message, code,
                      {**_version_header(request), **_cors(request), **(extra or {})})


async def handle_crash(request: Request, exc: Exception) -> Response:
    """A 500. Starlette answers it outside every middleware, so the security headers are
    added here, by the same function the edge middleware uses."""
    log.exception("unhandled error on %s", request.url.path)
    response = json_error(500, "the service failed to answer; it has been logged",
                          headers=_version_header(request))
    for name, value in headers_for(request.url.path, html=False):
        response.headers[name.decode()] = value.decode()
    return response
