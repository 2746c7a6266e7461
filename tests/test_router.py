"""The indexed router answers exactly as Starlette's own, by first segment and from memory."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, Router
from starlette.testclient import TestClient

from smartmed.http import router as router_module
from smartmed.http.router import IndexedRouter


async def echo(request: Request) -> Response:
    route = request.scope["route"]
    request.path_params["seen"] = True  # a handler may change its copy, never the next one's
    return JSONResponse({"route": route.path, "params": {
        k: v for k, v in request.path_params.items() if k != "seen"}})


async def mounted(request: Request) -> Response:
    return JSONResponse({"route": "mounted", "params": dict(request.path_params)})


def routes() -> list:
    return [
        Route("/v1/tips/today", echo),
        Route("/v1/tips/{date}", echo),
        Route("/v1/items/{n:int}", echo),
        Route("/feeds/{name}.{fmt}", echo),
        Route("/only-post", echo, methods=["POST"]),
        Route("/", echo),
        Route("/widget.{digest}.js", echo),
        Route("/widget.js", echo),
        Route("/slash/", echo),
        Mount("/mounted", routes=[Route("/{x}", mounted)]),
    ]


PATHS = ["/v1/tips/today", "/v1/tips/2026-11-27", "/v1/tips/2026-11-27/", "/v1/items/7",
         "/v1/items/x", "/feeds/tips.rss", "/feeds/tips", "/only-post", "/", "/widget.js",
         "/widget.abc.js", "/slash", "/mounted/a", "/mounted", "/nothing", "/v1", "//x",
         "/v1/tips/%32026-11-27"]


def answers(app: Starlette, method: str, path: str) -> tuple[int, bytes, str | None]:
    with TestClient(app) as client:
        response = client.request(method, path, follow_redirects=False)
        return response.status_code, response.content, response.headers.get("location")


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_every_answer_is_starlettes(method: str) -> None:
    plain, indexed = Starlette(routes=routes()), Starlette()
    indexed.router = IndexedRouter(routes())
    for _ in range(2):  # the second time from the remembered matches
        for path in PATHS:
            assert answers(indexed, method, path) == answers(plain, method, path), path


def test_a_path_remembered_for_get_still_refuses_other_methods() -> None:
    app = Starlette()
    app.router = IndexedRouter(routes())
    with TestClient(app) as client:
        assert client.get("/v1/tips/2026-11-27").status_code == 200
        assert client.post("/v1/tips/2026-11-27").status_code == 405
        assert client.get("/v1/tips/2026-11-27").json() == {
            "route": "/v1/tips/{date}", "params": {"date": "2026-11-27"}}
        assert client.get("/v1/items/7").json()["params"] == {"n": 7}  # converted, as before


def test_routes_are_tried_only_within_their_first_segment() -> None:
    indexed = IndexedRouter(routes())
    tried: list[str] = []
    for route in indexed.routes:
        original = route.matches

        def spy(scope, route=route, original=original):  # type: ignore[no-untyped-def]
            tried.append(getattr(route, "path", "?"))
            return original(scope)
        route.matches = spy  # type: ignore[method-assign]
    app = Starlette()
    app.router = indexed
    with TestClient(app) as client:
        client.get("/feeds/tips.rss")
    # Its own group, plus the routes with a parameter in the first segment, in order.
    assert tried == ["/feeds/{name}.{fmt}"]


def test_remembered_paths_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(router_module, "MATCH_CACHE_ENTRIES", 3)
    app = Starlette()
    app.router = IndexedRouter(routes())
    with TestClient(app) as client:
        for day in range(1, 8):
            assert client.get(f"/v1/tips/2026-11-0{day}").status_code == 200
    assert 1 <= len(app.router._matched) <= 3


def test_a_plain_router_and_ours_agree_on_the_service_routes() -> None:
    from smartmed.web import api, feedroutes, pages
    table = [*api.routes, *feedroutes.routes, *pages.routes]
    plain, indexed = Router(table), IndexedRouter(table)
    for path in ["/v1/tips/today", "/v1/tips/2026-01-01", "/feeds/topics/sleep.rss",
                 "/feeds/tips.json", "/articles/x", "/tips/today", "/topics"]:
        scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
        expected = next(r for r in plain.routes if r.matches(scope)[0].name == "FULL")
        group = indexed._groups.get(path.split("/")[1], indexed._everywhere)
        assert next(r for r in group if r.matches(scope)[0].name == "FULL") is expected
