"""HTML rendering: one Jinja2 environment (autoescaped) per language, and cached page bytes."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response

from smartmed.catalog import feeds, i18n, urls
from smartmed.catalog.assets import ASSETS
from smartmed.catalog.catalog import Catalog
from smartmed.catalog.payload import LRU, Payload
from smartmed.content import help
from smartmed.http.responses import respond

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
HTML = "text/html; charset=utf-8"


@functools.cache
def environment(lang: str, default: str) -> jinja2.Environment:
    """The templates in one language: its gettext catalog, its dates, its addresses."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        # Every template and every string rendered through this environment is escaped.
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # newstyle: _() and ngettext() escape their arguments and fill %(name)s themselves.
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    where = urls.Lang(lang, default)
    env.globals["static"] = ASSETS.url
    # Addresses come from catalog/urls.py, in templates too, in the page's language.
    env.globals.update(
        article_path=lambda slug: urls.article_path(slug, where),
        tip_path=lambda day: urls.tip_path(day, where),
        topic_path=lambda topic_id: urls.topic_path(topic_id, where),
        articles_path=urls.articles_path(where), topics_path=urls.topics_path(where),
        tips_path=urls.tips_path(where), tip_today_path=urls.tip_today_path(where),
        help_path=lambda code=None: urls.help_path(code, where),
        home_path=urls.home_path(where),
    )
    env.filters["long_date"] = lambda day: i18n.long_date(day, lang)
    env.filters["month_year"] = lambda day: i18n.month_year(day, lang)
    env.filters["number"] = lambda n: i18n.number(lang, n)
    env.filters["tel"] = help.tel
    env.filters["reference_date"] = lambda ref: feeds.reference_date(ref, lang)
    return env


def render(name: str, **context: Any) -> Payload:
    """A template rendered in the context's ``lang`` (pages.page_context sets it)."""
    env = environment(context["lang"], context["site"].default_lang)
    body = env.get_template(name).render(context)
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
