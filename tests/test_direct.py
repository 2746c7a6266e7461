"""Direct routes: a plain handler's response sent as is, with the data security headers."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.testclient import TestClient

from smartmed.app import create_app
from smartmed.errors import NotFound
from smartmed.http import direct
from smartmed.http.edge import Edge
from smartmed.http.security import COMPLETE, DATA_CSP, HEADERS
from smartmed.settings import Settings

from conftest import fixed_clock


def hello(request: Request) -> Response:
    if request.path_params["name"] == "nobody":
        raise NotFound("name: nobody is here")
    return Response(f"hello {request.path_params['name']}", media_type="text/plain",
                    headers={"cache-control": "no-store"})


def test_the_handlers_response_goes_out_with_the_data_headers_once() -> None:
    app = Starlette(routes=[direct.route("/v1/hello/{name}", hello, name="hello")])
    sent: list[dict] = []

    async def capture(scope, receive, send):  # type: ignore[no-untyped-def]
        async def keep(message):  # type: ignore[no-untyped-def]
            sent.append(message)
            await send(message)
        await app(scope, receive, keep)

    with TestClient(capture) as client:
        response = client.get("/v1/hello/you")
        head = client.head("/v1/hello/you")
        post = client.post("/v1/hello/you")
    assert response.text == "hello you" and response.headers["cache-control"] == "no-store"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.headers["content-security-policy"] == DATA_CSP.decode()
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start[COMPLETE] is True
    names = [name for name, _ in start["headers"]]
    assert len(names) == len(set(names))
    assert set(HEADERS[True, False]) <= set(start["headers"])
    assert head.status_code == 200 and head.content == b""
    assert post.status_code == 405


def test_a_same_site_path_gets_the_same_site_set() -> None:
    route = direct.route("/healthcheck", hello, name="x")
    assert route.endpoint.security == HEADERS[False, False]  # type: ignore[attr-defined]


def test_an_error_from_the_handler_is_answered_by_the_apps_handlers(content_dir) -> None:
    app = create_app(Settings(content_dir=content_dir, reload_interval=0, access_log=False),
                     clock=fixed_clock())
    with TestClient(app) as client:
        response = client.get("/v1/articles/nobody")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("slug:")
    # Not a direct response: the edge middleware added the security headers.
    assert response.headers["content-security-policy"] == DATA_CSP.decode()
    assert Edge in [m.cls for m in app.user_middleware]
