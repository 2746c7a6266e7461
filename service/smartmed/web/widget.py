"""The embeddable widget script: /widget.js, its content-hashed immutable twin, and SRI."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import rjsmin
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.catalog.payload import Payload
from smartmed.errors import NotFound
from smartmed.http.caching import CACHE_CONTROL
from smartmed.http.responses import respond
from smartmed.ops.state import current

# Explicit: the type Starlette would guess for .js varies across operating systems.
MEDIA_TYPE = "text/javascript; charset=utf-8"
# Partner pages load the script cross-origin, often with SRI (which needs CORS) and
# sometimes under Cross-Origin-Embedder-Policy (which needs CORP: /widget paths are
# cross-origin in http/security.py).
SCRIPT_HEADERS = {"access-control-allow-origin": "*"}


class WidgetError(RuntimeError):
    """The widget script cannot be served: raised when the app is created, not per request."""


@dataclass(frozen=True, slots=True)
class WidgetAsset:
    payload: Payload
    path: str  # the content-hashed URL path, e.g. /widget.3f2a9c1b.js
    integrity: str  # sha384-… of the served (minified, uncompressed) bytes
    digest: str  # the hash part of `path`
    source: Path


def load_widget(path: Path) -> WidgetAsset:
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WidgetError(f"widget script not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WidgetError(f"widget script unreadable: {path}: {exc}") from None
    # rjsmin only drops comments and whitespace (strings and regexes stay byte-identical),
    # so what the browser tests exercise is the source's behaviour, just smaller.
    body = rjsmin.jsmin(source, keep_bang_comments=True).encode()
    digest = hashlib.sha256(body).hexdigest()[:12]
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
    return WidgetAsset(Payload.build(body, MEDIA_TYPE), f"/widget.{digest}.js", integrity,
                       digest, path)


def asset(request: Request) -> WidgetAsset:
    widget: WidgetAsset = request.app.state.widget
    return widget


async def latest(request: Request) -> Response:
    return respond(request, asset(request).payload, CACHE_CONTROL["list"], dict(SCRIPT_HEADERS))


async def hashed(request: Request) -> Response:
    widget = asset(request)
    if request.path_params["digest"] != widget.digest:
        raise NotFound(f"widget: no such version of the script; the current one is "
                       f"{widget.path}")
    return respond(request, widget.payload, CACHE_CONTROL["immutable"], dict(SCRIPT_HEADERS))


async def embed_info(request: Request) -> Response:
    """What the embed code needs: the immutable URL and its SRI hash."""
    widget, base = asset(request), current(request).catalog.base
    doc = {
        "src": base + widget.path,
        "integrity": widget.integrity,
        "crossorigin": "anonymous",
        "latest": base + "/widget.js",
    }
    return respond(request, Payload.json(doc), CACHE_CONTROL["list"],
                   {"access-control-allow-origin": "*"})


routes = [
    Route("/widget.js", latest, name="widget"),
    Route("/widget.json", embed_info, name="widget-info"),
    Route("/widget.{digest}.js", hashed, name="widget-hashed"),
]
