"""/feeds/…: the precomputed RSS, Atom and JSON feeds, served with conditional GET.

The default language's feeds are at /feeds/…, another language's at /{lang}/feeds/….
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.catalog import feeds
from smartmed.catalog.catalog import Catalog
from smartmed.errors import NotFound
from smartmed.http.caching import until
from smartmed.http.partners import cors_headers
from smartmed.http.responses import respond
from smartmed.ops.state import current
from smartmed.web.api import query_params

_FORMATS = ", ".join(f".{fmt}" for fmt in feeds.FORMATS)


def feed_lang(request: Request, catalog: Catalog) -> str:
    """The language of a feed's address; /en/feeds/… (the default's own code) and a code
    the site does not have are 404."""
    lang = request.path_params.get("lang")
    if lang is None:
        return catalog.site.default_lang
    others = [code for code in catalog.site.languages if code != catalog.site.default_lang]
    if lang not in others:
        raise NotFound(f"lang: no feeds in {lang[:20]!r}; "
                       + (f"other languages: {', '.join(others)}" if others else
                          "this site has one language, at /feeds/"))
    return str(lang)


def _serve(request: Request, catalog: Catalog, name: str, fmt: str,
           missing: str) -> Response:
    query_params(request, ())  # a feed takes no parameters: each one would be a cache entry
    lang = feed_lang(request, catalog)
    dates = catalog.dates(current(request).now())
    payload = catalog.feed(name, fmt, lang) if fmt in feeds.FORMATS else None
    if payload is None:
        raise NotFound(missing)
    headers = cors_headers(request, None)  # feeds are public: any web reader may fetch
    headers["x-content-version"] = catalog.library.version
    # A reader must not keep yesterday's tips feed past the site's midnight.
    return respond(request, payload, until(dates.until_site_midnight), headers)


async def feed(request: Request) -> Response:
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    return _serve(request, current(request).catalog, name, fmt,
                  f"feed: no such feed; feeds are tips and articles, each as {_FORMATS}")


async def topic_feed(request: Request) -> Response:
    topic, fmt = request.path_params["topic"], request.path_params["fmt"]
    catalog = current(request).catalog  # once: a content reload swaps it
    if catalog.site.topic(topic) is None:
        raise NotFound("topic: no such topic; see /v1/topics")
    return _serve(request, catalog, f"topics/{topic}", fmt,
                  f"feed: topic feeds are {_FORMATS}")


routes = [
    Route("/feeds/topics/{topic}.{fmt}", topic_feed, methods=["GET"], name="topic-feed"),
    Route("/feeds/{name}.{fmt}", feed, methods=["GET"], name="feed"),
    Route("/{lang}/feeds/topics/{topic}.{fmt}", topic_feed, methods=["GET"],
          name="topic-feed-lang"),
    Route("/{lang}/feeds/{name}.{fmt}", feed, methods=["GET"], name="feed-lang"),
]
