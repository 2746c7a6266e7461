"""The events route's floor: what answering a beacon costs with nothing of the service.

    python bench/events_floor.py starlette|asgi PORT HEADERS.json

Both answer `POST /v1/events` by reading the whole body and answering 202 with the
headers the service sends for a beacon (HEADERS.json, captured from the service by
bench/events_bench.py; uvicorn adds Date itself), and `GET /healthz` for readiness:
- starlette: a bare Starlette app, one `async def` endpoint (`await request.body()`);
- asgi: the same as a raw ASGI callable, without Starlette.
They run under exactly the uvicorn options `smartmed serve` uses (runner.uvicorn_options:
uvicorn's default loop and HTTP implementation — uvloop and httptools when installed, as
they are with uvicorn[standard] — one worker, no access log, no server header).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.ops import runner
from smartmed.settings import Settings


def starlette_app(headers: dict[str, str]) -> Starlette:
    headers = {k: v for k, v in headers.items() if k != "content-length"}  # Response's own

    async def post_event(request: Request) -> Response:
        await request.body()
        return Response(status_code=202, headers=headers)

    async def healthz(request: Request) -> Response:
        return Response(b"ok")

    return Starlette(routes=[Route("/v1/events", post_event, methods=["POST"]),
                             Route("/healthz", healthz)])


def asgi_app(headers: dict[str, str]) -> Any:
    accepted = [(k.encode(), v.encode()) for k, v in headers.items()]
    ok = [(b"content-length", b"2")]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":  # lifespan: nothing to set up
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
                await receive()
                await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["path"] == "/v1/events" and scope["method"] == "POST":
            more = True
            while more:
                message = await receive()
                more = message.get("more_body", False)
            await send({"type": "http.response.start", "status": 202, "headers": accepted})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": ok})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    headers = json.loads(Path(sys.argv[3]).read_text())
    options = runner.uvicorn_options("127.0.0.1", port, 1, Settings(log_level="warning"))
    app = starlette_app(headers) if kind == "starlette" else asgi_app(headers)
    options.update(app=app, factory=False)
    uvicorn.run(**options)


if __name__ == "__main__":
    main()
