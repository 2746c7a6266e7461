"""Reading pages: articles, topics and daily tips as HTML, and the friendly error page.

These are the targets of feed ids, of "read on" links and of the embed code's <noscript>
link, so every one of them works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from smartmed.catalog import clock, feeds, structured, urls
from smartmed.catalog.catalog import Catalog
from smartmed.content import help
from smartmed.content.model import Article, Tip
from smartmed.errors import NotFound
from smartmed.http import params as strict
from smartmed.http.caching import CACHE_CONTROL, LIST_SECONDS, until
from smartmed.ops.state import current
from smartmed.web.templating import cached, html_response, render


def feed_links(catalog: Catalog, topic: str | None = None) -> list[feeds.Alternate]:
    """The <link rel="alternate"> tags of a page: the tips and articles feeds, and first the
    topic's own feeds on a topic page."""
    links = feeds.alternate_links(catalog.base, catalog.site)
    found = catalog.site.topic(topic) if topic else None
    if found is not None:
        links = feeds.topic_alternate_links(catalog.base, catalog.site, found) + links
    return links


def page_context(catalog: Catalog, *, section: str, title: str, path: str | None,
                 description: str = "", topic: str | None = None,
                 canonical: str | None = None) -> dict[str, Any]:
    return {
        "site": catalog.site,
        "section": section,
        "title": title,
        "description": description,
        # Error pages (path None) have no canonical address.
        "canonical": canonical or (f"{catalog.base}{path}" if path else None),
        "feeds": feed_links(catalog, topic),
        "topics": catalog.site.topics,
        "topic_title": lambda tid: (t.title if (t := catalog.site.topic(tid)) else tid),
    }


def help_context(catalog: Catalog, article: Article) -> dict[str, Any]:
    """The urgent-help block of an article page: the site's country, at the end always, and
    near the top too where readers are likeliest to need it at once."""
    country = catalog.library.help_for(None)
    early = country is not None and (article.medical or article.sensitive
                                      or bool(help.EARLY_TOPICS & set(article.topics)))
    return {"help_country": country, "help_early": early, "help_lang": article.lang
            if country and article.lang in country.name else catalog.site.default_lang}


def _size(request: Request) -> int:
    return current(request).settings.response_cache_entries


# -- articles and topics -----------------------------------------------------------------

async def article_page(request: Request) -> Response:
    catalog = current(request).catalog
    slug = request.path_params["slug"]
    article = catalog.library.article(slug)
    if article is None:
        raise NotFound("There is no article at this address. It may have moved, "
                           "or the link may be mistyped.")

    def build() -> Any:
        assert article is not None
        return render(
            "article.html",
            **page_context(catalog, section="articles", title=article.title,
                           path=urls.article_path(slug), description=article.summary,
                           canonical=article.canonical_url),
            article=article,
            # Sanitized with nh3 when the content was loaded: safe to insert as HTML.
            body=Markup(article.html),
            disclaimer=catalog.site.disclaimer if article.medical else None,
            structured_data=Markup(structured.json_ld(catalog.site, catalog.base, article)),
            **help_context(catalog, article),
        )

    payload = cached(catalog, ("article", slug), build, _size(request))
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


def _article_list(catalog: Catalog, articles: tuple[Article, ...], *, title: str, path: str,
                  intro: str, topic: str | None) -> Any:
    return render(
        "articles.html",
        **page_context(catalog, section="articles", title=title, path=path,
                       description=intro, topic=topic),
        intro=intro, articles=articles, current_topic=topic,
    )


async def articles_page(request: Request) -> Response:
    catalog = current(request).catalog
    payload = cached(catalog, ("articles",), lambda: _article_list(
        catalog, catalog.library.articles, title="Articles", path="/articles",
        intro="Articles from the Smart Meditation team, each with its sources and review "
              "status, newest first.",
        topic=None), _size(request))
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


async def topic_page(request: Request) -> Response:
    catalog = current(request).catalog
    topic_id = request.path_params["topic"]
    topic = catalog.site.topic(topic_id)
    if topic is None:
        raise NotFound("There is no topic at this address. "
                           "The list of topics below may help.")
    payload = cached(catalog, ("topic", topic.id), lambda: _article_list(
        catalog, catalog.listing((topic.id,), None), title=topic.title,
        path=urls.topic_path(topic.id), topic=topic.id,
        intro=f"Articles about {topic.title.lower()}, newest first."), _size(request))
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


async def topics_page(request: Request) -> Response:
    catalog = current(request).catalog
    payload = cached(catalog, ("topics",), lambda: render(
        "topics.html",
        **page_context(catalog, section="topics", title="Topics", path="/topics",
                       description="Every topic Smart Meditation writes about."),
        counts=catalog.topics_doc()["topics"],
    ), _size(request))
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


# -- tips ------------------------------------------------------------------------------

def _parse_day(value: str) -> dt.date:
    try:
        if strict.DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise NotFound("This address names no date this site has a tip for. "
                       "Tip pages have addresses like /tips/2026-11-27.")


def _tip_view(catalog: Catalog, tip: Tip) -> dict[str, Any]:
    article = catalog.library.article(tip.article) if tip.article else None
    return {"tip": tip, "article": article}


def _tip_page(catalog: Catalog, day: dt.date, newest: dt.date) -> Any:
    lang = catalog.site.default_lang
    main = catalog.tip_for(lang, None, day)
    assert main is not None
    by_topic = [
        (topic, _tip_view(catalog, tip)) for topic in catalog.site.topics
        if (tip := catalog.tip_for(lang, topic.id, day)) is not None and tip.id != main.id
    ]
    other_langs = [
        _tip_view(catalog, tip) for other in catalog.site.languages
        if other != lang and (tip := catalog.tip_for(other, None, day)) is not None
    ]
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    return render(
        "tip.html",
        **page_context(catalog, section="tips", title=f"Tip for {day.isoformat()}",
                       path=urls.tip_path(day), description=main.text),
        day=day, main=_tip_view(catalog, main), by_topic=by_topic, other_langs=other_langs,
        help_country=catalog.library.help_for(None),
        review=catalog.site.tips_review,
        previous=before if catalog.tip_for(lang, None, before) else None,
        next=after if after <= newest else None,
    )


async def tip_page(request: Request) -> Response:
    state = current(request)
    catalog, now = state.catalog, state.now()
    day = _parse_day(request.path_params["date"])
    newest = clock.latest_date(now)
    if day > newest:
        raise NotFound(f"The tip for {day.isoformat()} is not out yet: that day has not "
                           "begun anywhere in the world.")
    if catalog.tip_for(catalog.site.default_lang, None, day) is None:
        raise NotFound(f"There is no tip for {day.isoformat()}: the tip library starts "
                           "later than that.")
    payload = cached(catalog, ("tip", day, newest), lambda: _tip_page(catalog, day, newest),
                     _size(request))
    old = day < clock.oldest_current_date(now) - dt.timedelta(days=1)
    return html_response(request, payload, CACHE_CONTROL["past" if old else "current"],
                         catalog.library.version)


async def tip_today(request: Request) -> Response:
    state = current(request)
    day = state.catalog.site_today(state.now())
    # A stable address for "today's tip" (the embed code's <noscript> link): it moves
    # with the site's calendar, so it must not be cached past a few minutes. The query
    # (a partner's utm_ tags) goes along to the page the reader lands on.
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(urls.tip_path(day) + query, status_code=302, headers={
        "cache-control": CACHE_CONTROL["redirect"]})


def _archive(catalog: Catalog, today: dt.date) -> Any:
    lang = catalog.site.default_lang
    starts = [t.added for t in catalog.library.tips if t.lang == lang]
    months: list[tuple[str, list[tuple[dt.date, Tip]]]] = []
    day = today
    while starts and day >= min(starts):
        tip = catalog.tip_for(lang, None, day)
        if tip is not None:
            label = f"{day:%Y-%m}"
            if not months or months[-1][0] != label:
                months.append((label, []))
            months[-1][1].append((day, tip))
        day -= dt.timedelta(days=1)
    return render(
        "tips.html",
        **page_context(catalog, section="tips", title="Daily tips", path="/tips",
                       description="Every tip of the day so far, newest first."),
        months=months, today=today, review=catalog.site.tips_review,
    )


async def tips_page(request: Request) -> Response:
    state = current(request)
    catalog, now = state.catalog, state.now()
    today = catalog.site_today(now)
    payload = cached(catalog, ("tips", today), lambda: _archive(catalog, today),
                     _size(request))
    left = clock.seconds_until_midnight(now, catalog.site.timezone)
    return html_response(request, payload, until(left, LIST_SECONDS),
                         catalog.library.version)


routes = [
    Route("/articles", articles_page, name="articles-page"),
    Route("/articles/{slug}", article_page, name="article-page"),
    Route("/topics", topics_page, name="topics-page"),
    Route("/topics/{topic}", topic_page, name="topic-page"),
    Route("/tips", tips_page, name="tips-page"),
    Route("/tips/today", tip_today, name="tip-today-page"),
    Route("/tips/{date}", tip_page, name="tip-page"),
]
