"""HTML rendering: one Jinja2 environment (autoescaped) and cached page bytes."""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from smartmed.catalog import feeds, urls
from smartmed.catalog.assets import ASSETS
from smartmed.catalog.catalog import Catalog
from smartmed.catalog.payload import LRU, Payload
from smartmed.content import help
from smartmed.http.responses import respond

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
HTML = "text/html; charset=utf-8"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
    # Every template and every string rendered through this environment is escaped.
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals["static"] = ASSETS.url
# Addresses come from catalog/urls.py, in templates too.
_env.globals.update(article_path=urls.article_path, tip_path=urls.tip_path,
                    topic_path=urls.topic_path)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(day: dt.date) -> str:
    # Spelled out here, not with strftime: the process locale must not change the pages.
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


_env.filters["long_date"] = long_date
_env.filters["month_year"] = month_year
_env.filters["tel"] = help.tel
_env.filters["reference_date"] = feeds.reference_date
templates = Jinja2Templates(env=_env)


def render(name: str, **context: Any) -> Payload:
    body = templates.get_template(name).render(context)
    return Payload.build(body.encode(), HTML)


def html_response(request: Request, payload: Payload, cache_control: str,
                  version: str) -> Response:
    return respond(request, payload, cache_control, {"x-content-version": version})


_caches: weakref.WeakKeyDictionary[Catalog, LRU] = weakref.WeakKeyDictionary()


def cached(catalog: Catalog, key: Any, build: Callable[[], Payload], size: int) -> Payload:
    """Render a page once per catalog: a content reload brings a fresh, empty cache."""
    cache = _caches.get(catalog)
    if cache is None:
        cache = _caches.setdefault(catalog, LRU(size))
    return cache.get(key, build)
