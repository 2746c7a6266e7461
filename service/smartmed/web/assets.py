"""The pages' own CSS, JavaScript and icons, served from content-hashed, immutable URLs.

The icons (drawn by scripts/make-icons.py) are the pages' favicon and the images feed
readers show: RSS <image>, Atom <icon> and <logo>, JSON Feed icon and favicon.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.catalog.assets import ASSETS
from smartmed.errors import NotFound
from smartmed.http.caching import CACHE_CONTROL
from smartmed.http.responses import respond


async def static_file(request: Request) -> Response:
    asset = ASSETS.find(request.path_params["file"])
    if asset is None:
        raise NotFound("path: no such static file")
    return respond(request, asset.payload, CACHE_CONTROL["immutable"])


async def favicon(request: Request) -> Response:
    # A fixed address that browsers and crawlers ask for unprompted: cached a day rather
    # than for ever, so that a new icon reaches them.
    return respond(request, ASSETS.named("favicon.ico").payload, CACHE_CONTROL["icon"])


routes = [Route("/static/{file}", static_file, name="static"),
          Route("/favicon.ico", favicon, name="favicon")]
