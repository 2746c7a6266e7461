"""The JSON API: /v1/tips, /v1/articles, /v1/topics."""

from __future__ import annotations

import datetime as dt
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed import clock
from smartmed.catalog import DEFAULT_LIMIT, MAX_LIMIT, Catalog
from smartmed.errors import BadRequest, NotFound
from smartmed.httpcache import respond
from smartmed.partners import cors_headers, resolve
from smartmed.state import current

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PAST_MAX_AGE = 86400
CURRENT_MAX_AGE = 3600
LIST_MAX_AGE = 300


def _params(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    if not request.scope["query_string"]:
        return {}  # most requests (the widget's tip, feed readers): no parsing at all
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key not in allowed:
            raise BadRequest(f"{key}: unknown parameter; allowed: {', '.join(allowed)}")
        if key in params:
            raise BadRequest(f"{key}: given more than once")
        params[key] = value
    return params


def _lang(value: str | None, languages: tuple[str, ...]) -> str | None:
    if value is not None and value not in languages:
        raise BadRequest(f"lang: {value!r} is not one of: {', '.join(languages)}")
    return value


def _topic(value: str | None, catalog: Catalog) -> str | None:
    if value is not None and catalog.site.topic(value) is None:
        raise NotFound(f"topic: no topic {value!r}; see /v1/topics")
    return value


def parse_date(value: str) -> dt.date:
    if not _DATE.match(value):
        raise BadRequest(f"date: {value[:40]!r} is not a date in YYYY-MM-DD form")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"date: {value} is not a calendar date") from None


async def tip_of_day(request: Request) -> Response:
    state = current(request)
    now = state.now()
    params = _params(request, ("lang", "topic", "partner"))
    day = parse_date(request.path_params["date"])
    newest = clock.latest_date(now)
    if day > newest:
        raise NotFound(f"date: {day} has not begun anywhere yet; the newest is {newest}")
    max_age = PAST_MAX_AGE if day < clock.oldest_current_date(now) else CURRENT_MAX_AGE
    return _tip(request, state.catalog, params, day, f"public, max-age={max_age}", now)


async def tip_today(request: Request) -> Response:
    state = current(request)
    now = state.now()
    params = _params(request, ("tz", "lang", "topic", "partner"))
    tz = state.catalog.site.timezone
    if "tz" in params:
        try:
            tz = clock.zone(params["tz"])
        except ValueError as exc:
            raise BadRequest(f"tz: {exc}") from None
    day = now.astimezone(tz).date()
    max_age = min(CURRENT_MAX_AGE, clock.seconds_until_midnight(now, tz))
    return _tip(request, state.catalog, params, day, f"public, max-age={max_age}", now)


def _tip(request: Request, catalog: Catalog, params: dict[str, str], day: dt.date, cache: str,
         now: dt.datetime) -> Response:
    partner = resolve(request, catalog.library, catalog.base, params.get("partner"))
    catalog.refresh_window(now)
    lang = _lang(params.get("lang"), catalog.site.languages) or (
        partner.lang if partner and partner.lang else catalog.site.default_lang)
    topic = _topic(params.get("topic"), catalog)
    if topic is None and partner and len(partner.topics) == 1:
        topic = partner.topics[0]
    payload = catalog.tip(lang, topic, day, partner)
    return respond(request, payload, cache, _headers(request, catalog.library.version, partner))


def _headers(request: Request, version: str, partner: object) -> dict[str, str]:
    headers = cors_headers(request, partner)  # type: ignore[arg-type]
    headers["x-content-version"] = version
    return headers


def _limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadRequest(f"limit: {value[:20]!r} must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


async def article_list(request: Request) -> Response:
    catalog = current(request).catalog
    params = _params(request, ("topic", "lang", "limit", "cursor", "partner"))
    partner = resolve(request, catalog.library, catalog.base, params.get("partner"))
    limit = _limit(params.get("limit"))
    lang = _lang(params.get("lang"), catalog.site.languages)
    topic = _topic(params.get("topic"), catalog)
    topics = (topic,) if topic else (partner.topics if partner else ())
    if lang is None and partner is not None:
        lang = partner.lang
    payload = catalog.articles(topics, lang, limit, params.get("cursor"), partner)
    return respond(request, payload, f"public, max-age={LIST_MAX_AGE}",
                   _headers(request, catalog.library.version, partner))


async def article_detail(request: Request) -> Response:
    catalog = current(request).catalog
    params = _params(request, ("partner",))
    partner = resolve(request, catalog.library, catalog.base, params.get("partner"))
    payload = catalog.article(request.path_params["slug"], partner)
    return respond(request, payload, f"public, max-age={LIST_MAX_AGE}",
                   _headers(request, catalog.library.version, partner))


async def topic_list(request: Request) -> Response:
    catalog = current(request).catalog
    _params(request, ())
    return respond(request, catalog.topics_payload, f"public, max-age={LIST_MAX_AGE}",
                   _headers(request, catalog.library.version, None))


routes = [
    Route("/v1/tips/today", tip_today, name="tip-today"),
    Route("/v1/tips/{date}", tip_of_day, name="tip-of-day"),
    Route("/v1/articles", article_list, name="article-list"),
    Route("/v1/articles/{slug}", article_detail, name="article-detail"),
    Route("/v1/topics", topic_list, name="topic-list"),
]
