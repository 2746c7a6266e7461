"""Starlette's router, with the routes a path can match found by its first segment.

Starlette tries every route in order until one matches: with the two dozen routes this
service has, a feed request tried seven regular expressions first and routing was a sixth
of its time. Here routes are grouped by the first segment of their path ("v1", "feeds",
"widget.js", ...); a request tries only its group, in the original order. Routes whose first
segment holds a parameter ("/widget.{digest}.js") belong to every group. Whatever the group
does not match fully (no route, 405, a trailing-slash redirect) goes to Starlette's own
loop over every route, so the answers are exactly Starlette's. The groups are built once,
from the routes given: routes added afterwards are only found by that fallback loop.

Most requests repeat a few paths (today's tip, the feeds): the route and parameters a path
matched are remembered, so a repeat skips the regular expressions too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

MATCH_CACHE_ENTRIES = 1024
# What quote() leaves alone in a path: RFC 3986 pchar and "/".
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def first_segment(path: str) -> str:
    return path.lstrip("/").partition("/")[0]


class IndexedRouter(Router):
    def __init__(self, routes: Sequence[BaseRoute], **options: Any) -> None:
        super().__init__(routes, **options)
        keys: list[str | None] = []
        for route in self.routes:
            # A Mount, a Host or a parameter in the first segment: no literal to file it under.
            segment = first_segment(route.path) if isinstance(route, Route) else "{"
            keys.append(None if "{" in segment else segment)
        pairs = list(zip(self.routes, keys, strict=True))
        self._everywhere = tuple(route for route, key in pairs if key is None)
        self._groups = {
            literal: tuple(route for route, key in pairs if key in (literal, None))
            for literal in {key for key in keys if key is not None}
        }
        # path -> (route, its path parameters): full matches of routes with a method list.
        self._matched: dict[str, tuple[Route, dict[str, Any]]] = {}

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            path = scope["path"]
            hit = self._matched.get(path)
            if hit is not None and scope["method"] in hit[0].methods:  # type: ignore[operator]
                route, params = hit
                scope.setdefault("router", self)
                scope["route"] = route
                scope["endpoint"] = route.endpoint
                scope["path_params"] = dict(params)  # the handler's own copy
                await route.handle(scope, receive, send)
                return
            end = path.find("/", 1)
            candidates = self._groups.get(path[1:end] if end > 0 else path[1:],
                                          self._everywhere)
            for route in candidates:
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    if isinstance(route, Route) and route.methods:
                        self._remember(path, route, child_scope["path_params"])
                    scope.setdefault("router", self)
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)

    def _remember(self, path: str, route: Route, params: dict[str, Any]) -> None:
        if len(self._matched) >= MATCH_CACHE_ENTRIES:
            self._matched.clear()  # paths are the client's choice: bounded, start over
        self._matched[path] = (route, dict(params))


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
