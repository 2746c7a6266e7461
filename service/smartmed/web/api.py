"""The JSON API: /v1/tips, /v1/articles, /v1/topics.

Language: an explicit ``lang`` wins; without one, the request's Accept-Language picks among
the site's languages (the partner's language, else the site's default, when it names none
of them), and the answer says ``Vary: Accept-Language``.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.catalog import clock
from smartmed.catalog.catalog import DEFAULT_LIMIT, MAX_LIMIT, Catalog
from smartmed.content.model import Partner
from smartmed.errors import BadRequest, NotFound
from smartmed.http import params as strict
from smartmed.http.caching import CACHE_CONTROL, until
from smartmed.http.languages import negotiate
from smartmed.http.partners import cors_headers, resolve
from smartmed.http.responses import respond
from smartmed.ops.state import current


def query_params(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    """The query as a dict; a parameter not in ``allowed``, or one given twice, is a 400:
    each unknown parameter would otherwise be a cache entry of its own."""
    if not request.scope["query_string"]:
        return {}  # most requests (the widget's tip, feed readers): no parsing at all
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key not in allowed:
            raise BadRequest(f"{key[:40]}: unknown parameter; allowed: {', '.join(allowed)}"
                             if allowed else f"{key[:40]}: unknown parameter; this address "
                             "takes none")
        if key in params:
            raise BadRequest(f"{key}: given more than once")
        params[key] = value
    return params


def _medical(value: str | None, partner: Partner | None) -> bool:
    """Whether a list shows medical:true articles: medical=include|exclude, else the
    partner's choice in partners.yaml, else (a public request) not."""
    if value is None:
        return partner.medical if partner else False
    if value not in ("include", "exclude"):
        raise BadRequest(f"medical: {value[:40]!r} is not one of: include, exclude")
    return value == "include"


def lang_param(value: str | None, languages: tuple[str, ...]) -> str | None:
    if value is not None and value not in languages:
        raise BadRequest(f"lang: {value[:40]!r} is not one of: {', '.join(languages)}")
    return value


def choose_lang(request: Request, params: dict[str, str], catalog: Catalog,
                partner: Partner | None = None) -> tuple[str, bool]:
    """The answer's language, and whether Accept-Language chose it (the answer then varies
    with that header): ``lang`` if given, else the header's pick among the site's
    languages, else the partner's language, else the site's default."""
    given = lang_param(params.get("lang"), catalog.site.languages)
    if given is not None:
        return given, False
    fallback = partner.lang if partner and partner.lang else catalog.site.default_lang
    return negotiate(request.headers.get("accept-language"), catalog.site.languages,
                     fallback), True


def _topic(value: str | None, catalog: Catalog) -> str | None:
    if value is not None and catalog.site.topic(value) is None:
        raise NotFound(f"topic: no topic {value!r}; see /v1/topics")
    return value


def parse_date(value: str) -> dt.date:
    if strict.DATE.fullmatch(value) is None:
        raise BadRequest(f"date: {value[:40]!r} is not a date in YYYY-MM-DD form")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"date: {value} is not a calendar date") from None


async def tip_of_day(request: Request) -> Response:
    state = current(request)
    now = state.now()
    params = query_params(request, ("lang", "topic", "partner"))
    day = parse_date(request.path_params["date"])
    catalog = state.catalog  # once: a content reload swaps it
    dates = catalog.dates(now)
    if day > dates.newest:
        raise NotFound(f"date: {day} has not begun anywhere yet; the newest is {dates.newest}")
    cache = CACHE_CONTROL["past" if day < dates.oldest_current else "current"]
    return _tip(request, catalog, params, day, cache)


async def tip_today(request: Request) -> Response:
    state = current(request)
    now = state.now()
    params = query_params(request, ("tz", "lang", "topic", "partner"))
    catalog = state.catalog
    dates = catalog.dates(now)
    day, left = dates.site_today, dates.until_site_midnight
    if "tz" in params:
        try:
            tz = clock.zone(params["tz"])
        except ValueError as exc:
            raise BadRequest(f"tz: {exc}") from None
        day, left = now.astimezone(tz).date(), clock.seconds_until_midnight(now, tz)
    return _tip(request, catalog, params, day, until(left))


def _tip(request: Request, catalog: Catalog, params: dict[str, str], day: dt.date,
         cache: str) -> Response:
    partner = resolve(request, catalog.library, catalog.base, params.get("partner"))
    lang, negotiated = choose_lang(request, params, catalog, partner)
    topic = _topic(params.get("topic"), catalog)
    if topic is None and partner and len(partner.topics) == 1:
        topic = partner.topics[0]
    payload = catalog.tip(lang, topic, day, partner)
    return respond(request, payload, cache,
                   headers(request, catalog.library.version, partner, negotiated))


def headers(request: Request, version: str, partner: Partner | None,
            negotiated: bool = False) -> dict[str, str]:
    """The CORS headers of an answer a partner's page may read, and the content version;
    ``negotiated``: Accept-Language chose the answer's language."""
    headers = cors_headers(request, partner)
    headers["x-content-version"] = version
    if negotiated:
        headers["vary"] = headers.get("vary", "Accept-Encoding") + ", Accept-Language"
    return headers


def _limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    try:
        return strict.integer("limit", value, 1, MAX_LIMIT)
    except strict.InvalidValue as exc:
        raise BadRequest(str(exc)) from None


async def article_list(request: Request) -> Response:
    catalog = current(request).catalog
    params = query_params(request, ("topic", "lang", "limit", "cursor", "partner", "medical"))
    partner = resolve(request, catalog.library, catalog.base, params.get("partner"))
    medical = _medical(params.get("medical"), partner)
    limit = _limit(params.get("limit"))
    lang, negotiated = choose_lang(request, params, catalog, partner)
    topic = _topic(params.get("topic"), catalog)
    topics = (topic,) if topic else (partner.topics if partner else ())
    payload = catalog.articles(topics, lang, limit, params.get("cursor"), partner, medical)
    return respond(request, payload, CACHE_CONTROL["list"],
                   headers(request, catalog.library.version, partner, negotiated))


async def article_detail(request: Request) -> Response:
    """One article; with ``lang``, that language's version of it (every version links to
    the same original), 404 where that language has none yet. The slug names one
    language's article, so without ``lang`` the answer does not negotiate."""
    catalog = current(request).catalog
    params = query_params(request, ("lang", "partner"))
    partner = resolve(request, catalog.library, catalog.base, params.get("partner"))
    slug = request.path_params["slug"]
    lang = lang_param(params.get("lang"), catalog.site.languages)
    article = catalog.library.article(slug)
    if lang is not None and article is not None and article.lang != lang:
        version = catalog.library.versions(article).get(lang)
        if version is None:
            raise NotFound(f"lang: article {slug!r} has no version in {lang!r} yet")
        slug = version.slug
    payload = catalog.article(slug, partner)
    return respond(request, payload, CACHE_CONTROL["list"],
                   headers(request, catalog.library.version, partner))


async def topic_list(request: Request) -> Response:
    catalog = current(request).catalog
    params = query_params(request, ("lang",))
    lang, negotiated = choose_lang(request, params, catalog)
    return respond(request, catalog.topics_payloads[lang], CACHE_CONTROL["list"],
                   headers(request, catalog.library.version, None, negotiated))


routes = [
    Route("/v1/tips/today", tip_today, methods=["GET"], name="tip-today"),
    Route("/v1/tips/{date}", tip_of_day, methods=["GET"], name="tip-of-day"),
    Route("/v1/articles", article_list, methods=["GET"], name="article-list"),
    Route("/v1/articles/{slug}", article_detail, methods=["GET"], name="article-detail"),
    Route("/v1/topics", topic_list, methods=["GET"], name="topic-list"),
]
