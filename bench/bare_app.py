"""The floor: a bare Starlette app that answers each benchmarked path with constant bytes.

It runs under exactly the uvicorn options `smartmed serve` uses (runner.uvicorn_options:
one worker, the same HTTP protocol class, no access log, no server header), so that the
ratio service / bare measures what the service adds on top of Starlette and uvicorn.

    python bench/bare_app.py PORT MANIFEST.json
MANIFEST maps a path to {"file": bytes to answer, "media_type": ..., "headers": {...}}:
with the service's own headers it answers byte for byte what the service answers (but
Date); without them it is the floor of Starlette itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.ops import runner
from smartmed.settings import Settings


def endpoint(body: bytes, media_type: str, headers: dict[str, str]):
    async def answer(request: Request) -> Response:
        return Response(body, media_type=media_type, headers=headers)
    return answer


def create(manifest: dict[str, dict[str, str]]) -> Starlette:
    routes = [Route(path, endpoint(Path(spec["file"]).read_bytes(), spec["media_type"],
                                   spec.get("headers") or {}))
              for path, spec in manifest.items()]
    return Starlette(routes=routes)


def main() -> None:
    port, manifest = int(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
    options = runner.uvicorn_options("127.0.0.1", port, 1, Settings(log_level="warning"))
    options.update(app=create(manifest), factory=False)
    uvicorn.run(**options)


if __name__ == "__main__":
    main()
