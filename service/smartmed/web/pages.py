"""Reading pages: articles, topics and daily tips as HTML, and the friendly error page.

These are the targets of feed ids, of "read on" links and of the embed code's <noscript>
link, so every one of them works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from smartmed.catalog import clock, feeds, i18n, structured, urls
from smartmed.catalog.catalog import Catalog
from smartmed.content import help
from smartmed.content.model import Article, Tip
from smartmed.errors import NotFound
from smartmed.http import params as strict
from smartmed.http.caching import CACHE_CONTROL, LIST_SECONDS, until
from smartmed.ops.state import current
from smartmed.web.pagelang import everywhere, in_every_language, language_name, page_lang
from smartmed.web.templating import cached, html_response, render

tr = i18n.gettext


def feed_links(catalog: Catalog, lang: str | None = None,
               topic: str | None = None) -> list[feeds.Alternate]:
    """The <link rel="alternate"> tags of a page in ``lang``: that language's tips and
    articles feeds, and first the topic's own feeds on a topic page."""
    lang = lang or catalog.site.default_lang
    links = feeds.alternate_links(catalog.base, catalog.site, lang)
    found = catalog.site.topic(topic) if topic else None
    if found is not None:
        links = feeds.topic_alternate_links(catalog.base, catalog.site, found, lang) + links
    return links


def page_context(catalog: Catalog, *, section: str, title: str, path: str | None,
                 description: str = "", topic: str | None = None,
                 canonical: str | None = None, lang: str | None = None,
                 versions: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What base.html needs. ``versions``: the page's address in each language it exists
    in (its hreflang alternates and the language links); ``lang`` defaults to the site's."""
    site = catalog.site
    lang = lang or site.default_lang
    versions = versions or {}
    alternates = [(other, catalog.base + versions[other]) for other in site.languages
                  if other in versions]
    if site.default_lang in versions:
        alternates.append(("x-default", catalog.base + versions[site.default_lang]))
    return {
        "site": site,
        "lang": lang,
        "dir": i18n.direction(lang),
        "section": section,
        "title": title,
        "description": description,
        # Error pages (path None) have no canonical address.
        "canonical": canonical or (f"{catalog.base}{path}" if path else None),
        "alternates": alternates if len(versions) > 1 else [],
        # Links to the page in the other languages (their home page where it has none).
        "language_links": [
            (other, language_name(other),
             versions.get(other) or urls.articles_path(catalog.where(other)))
            for other in site.languages if other != lang],
        "feeds": feed_links(catalog, lang, topic),
        "topics": site.topics,
        "topic_title": lambda tid: (t.title_in(lang) if (t := site.topic(tid)) else tid),
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
    lang = page_lang(request, catalog)
    slug = request.path_params["slug"]
    article = catalog.library.article(slug)
    if article is None or article.lang != lang:
        raise NotFound(tr(lang, "There is no article at this address. It may have moved, "
                               "or the link may be mistyped."))

    def build() -> Any:
        assert article is not None
        versions = {other: urls.article_path(a.slug, catalog.where(other))
                    for other, a in catalog.library.versions(article).items()}
        return render(
            "article.html",
            **page_context(catalog, section="articles", title=article.title,
                           path=urls.article_path(slug, catalog.where(lang)),
                           description=article.summary, canonical=article.canonical_url,
                           lang=lang, versions=versions),
            article=article,
            # Sanitized with nh3 when the content was loaded: safe to insert as HTML.
            body=Markup(article.html),
            disclaimer=catalog.site.disclaimer_in(lang) if article.medical else None,
            review_label=i18n.review_label(article.review, lang),
            structured_data=Markup(structured.json_ld(catalog.site, catalog.base, article)),
            **help_context(catalog, article),
        )

    payload = cached(catalog, ("article", slug), build, _size(request))
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


def _article_list(catalog: Catalog, lang: str, articles: tuple[Article, ...], *, title: str,
                  address: Callable[[urls.Lang], str], intro: str, topic: str | None) -> Any:
    return render(
        "articles.html",
        **page_context(catalog, section="articles", title=title,
                       path=address(catalog.where(lang)), description=intro, topic=topic,
                       lang=lang, versions=everywhere(catalog, address)),
        intro=intro, articles=articles, current_topic=topic,
    )


async def articles_page(request: Request) -> Response:
    catalog = current(request).catalog
    lang = page_lang(request, catalog)
    payload = cached(catalog, ("articles", lang), lambda: _article_list(
        catalog, lang, catalog.listing((), lang), title=tr(lang, "Articles"),
        address=urls.articles_path,
        intro=tr(lang, "Articles from the Smart Meditation team, each with its sources and "
                      "review status, newest first."),
        topic=None), _size(request))
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


async def topic_page(request: Request) -> Response:
    catalog = current(request).catalog
    lang = page_lang(request, catalog)
    topic_id = request.path_params["topic"]
    topic = catalog.site.topic(topic_id)
    if topic is None:
        raise NotFound(tr(lang, "There is no topic at this address. "
                               "The list of topics below may help."))
    title = topic.title_in(lang)
    payload = cached(catalog, ("topic", topic.id, lang), lambda: _article_list(
        catalog, lang, catalog.listing((topic.id,), lang), title=title,
        address=lambda where: urls.topic_path(topic.id, where), topic=topic.id,
        intro=tr(lang, "Articles about %(topic)s, newest first.") % {
            "topic": i18n.in_sentence(title, lang)}), _size(request))
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


async def topics_page(request: Request) -> Response:
    catalog = current(request).catalog
    lang = page_lang(request, catalog)
    payload = cached(catalog, ("topics", lang), lambda: render(
        "topics.html",
        **page_context(catalog, section="topics", title=tr(lang, "Topics"),
                       path=urls.topics_path(catalog.where(lang)),
                       description=tr(lang, "Every topic Smart Meditation writes about."),
                       lang=lang, versions=everywhere(catalog, urls.topics_path)),
        counts=catalog.topics_doc(lang)["topics"],
    ), _size(request))
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


# -- tips ------------------------------------------------------------------------------

def _parse_day(value: str, lang: str) -> dt.date:
    try:
        if strict.DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise NotFound(tr(lang, "This address names no date this site has a tip for. "
                           "Tip pages have addresses like /tips/2026-11-27."))


def _tip_view(catalog: Catalog, tip: Tip) -> dict[str, Any]:
    article = catalog.library.article(tip.article) if tip.article else None
    where = catalog.where(article.lang) if article else None
    return {"tip": tip, "article": article,
            "article_path": urls.article_path(article.slug, where) if article else None}


def _tip_page(catalog: Catalog, lang: str, day: dt.date, newest: dt.date) -> Any:
    main = catalog.tip_for(lang, None, day)
    assert main is not None
    by_topic = [
        (topic, _tip_view(catalog, tip)) for topic in catalog.site.topics
        if (tip := catalog.tip_for(lang, topic.id, day)) is not None and tip.id != main.id
    ]
    versions = {other: urls.tip_path(day, catalog.where(other))
                for other in catalog.site.languages if catalog.tip_for(other, None, day)}
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    return render(
        "tip.html",
        **page_context(catalog, section="tips",
                       title=tr(lang, "Tip for %(date)s") % {
                           "date": i18n.long_date(day, lang)},
                       path=urls.tip_path(day, catalog.where(lang)), description=main.text,
                       lang=lang, versions=versions),
        day=day, main=_tip_view(catalog, main), by_topic=by_topic,
        help_country=catalog.library.help_for(None),
        review=catalog.site.tips_review_in(lang),
        review_label=i18n.review_label(catalog.site.tips_review_in(lang), lang),
        previous=before if catalog.tip_for(lang, None, before) else None,
        next=after if after <= newest else None,
    )


async def tip_page(request: Request) -> Response:
    state = current(request)
    catalog, now = state.catalog, state.now()
    lang = page_lang(request, catalog)
    day = _parse_day(request.path_params["date"], lang)
    newest = clock.latest_date(now)
    if day > newest:
        raise NotFound(tr(lang, "The tip for %(date)s is not out yet: that day has not begun "
                               "anywhere in the world.") % {"date": day.isoformat()})
    if catalog.tip_for(lang, None, day) is None:
        raise NotFound(tr(lang, "There is no tip for %(date)s: the tip library starts later "
                               "than that.") % {"date": day.isoformat()})
    payload = cached(catalog, ("tip", lang, day, newest),
                     lambda: _tip_page(catalog, lang, day, newest), _size(request))
    old = day < clock.oldest_current_date(now) - dt.timedelta(days=1)
    return html_response(request, payload, CACHE_CONTROL["past" if old else "current"],
                         catalog.library.version)


async def tip_today(request: Request) -> Response:
    state = current(request)
    lang = page_lang(request, state.catalog)
    day = state.catalog.site_today(state.now())
    # A stable address for "today's tip" (the embed code's <noscript> link): it moves
    # with the site's calendar, so it must not be cached past a few minutes. The query
    # (a partner's utm_ tags) goes along to the page the reader lands on.
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(urls.tip_path(day, state.catalog.where(lang)) + query,
                            status_code=302, headers={"cache-control": CACHE_CONTROL["redirect"]})


def _archive(catalog: Catalog, lang: str, today: dt.date) -> Any:
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
    review = catalog.site.tips_review_in(lang)
    return render(
        "tips.html",
        **page_context(catalog, section="tips", title=tr(lang, "Daily tips"),
                       path=urls.tips_path(catalog.where(lang)),
                       description=tr(lang, "Every tip of the day so far, newest first."),
                       lang=lang, versions=everywhere(catalog, urls.tips_path)),
        months=months, today=today, review=review,
        review_in_sentence=i18n.in_sentence(i18n.review_label(review, lang), lang),
    )


async def tips_page(request: Request) -> Response:
    state = current(request)
    catalog, now = state.catalog, state.now()
    lang = page_lang(request, catalog)
    today = catalog.site_today(now)
    payload = cached(catalog, ("tips", lang, today), lambda: _archive(catalog, lang, today),
                     _size(request))
    left = clock.seconds_until_midnight(now, catalog.site.timezone)
    return html_response(request, payload, until(left, LIST_SECONDS),
                         catalog.library.version)


routes = in_every_language([
    Route("/articles", articles_page, name="articles-page"),
    Route("/articles/{slug}", article_page, name="article-page"),
    Route("/topics", topics_page, name="topics-page"),
    Route("/topics/{topic}", topic_page, name="topic-page"),
    Route("/tips", tips_page, name="tips-page"),
    Route("/tips/today", tip_today, name="tip-today-page"),
    Route("/tips/{date}", tip_page, name="tip-page"),
])
