"""Every JSON answer the API gives, built from a Library and kept as ready bytes."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from smartmed.catalog import articlejson, feeds, i18n, urls
from smartmed.catalog.clock import (
    EARLIEST,
    latest_date,
    oldest_current_date,
    seconds_until_midnight,
)
from smartmed.catalog.encoding import JSON
from smartmed.catalog.payload import LRU, Payload
from smartmed.content import help, parallel
from smartmed.content.model import Article, Library, Partner, Site, Tip
from smartmed.content.rotation import Rotations
from smartmed.errors import BadRequest, NotFound

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
FEED_DAYS = 30


@dataclass(frozen=True, slots=True)
class Dates:
    """What the request path derives from "now": the same for a whole wall-clock second.

    Time-zone offsets and their changes fall on whole seconds, so computing these once per
    second (not four time-zone conversions per request) gives the same answers.
    """

    second: int  # the Unix second they hold for
    site_today: dt.date  # the date in the site's time zone
    newest: dt.date  # the newest date anyone on Earth is living in (clock.latest_date)
    oldest_current: dt.date  # the oldest date that is still "today" somewhere
    until_site_midnight: int  # whole seconds left in the site's day


def with_utm(url: str, partner: Partner | None) -> str:
    if partner is None:
        return url
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}utm_source={partner.id}&utm_medium=widget"


def encode_cursor(slug: str) -> str:
    return base64.urlsafe_b64encode(f"after:{slug}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    slug = raw.removeprefix("after:")
    # base64 decoding skips characters outside its alphabet and padding: many spellings
    # decode to one cursor, and each would be a cache entry of its own. Only the spelling
    # this service issues is accepted.
    if len(cursor) > 200 or not raw.startswith("after:") or encode_cursor(slug) != cursor:
        raise BadRequest("cursor: not a cursor this service issued; use next_cursor as given")
    return slug


def ready_payloads(site: Site, base: str,
                   help_docs: dict[str, dict[str, str] | None] | None,
                   item: Article | feeds.Feed) -> Payload | dict[str, Payload]:
    """What the catalog serializes ahead of requests, one item at a time: an article's own
    document (articlejson.article_body), or a feed in every format (feeds.render), as
    packed payloads (catalog/payload.py): only their gzip bytes travel back and are kept.

    Module-level, with plain arguments: the catalog runs it in worker processes.
    """
    if isinstance(item, feeds.Feed):
        return feed_payloads(item, Payload.packed)
    return Payload.packed(articlejson.article_body(site, base, help_docs, item), JSON)


def feed_payloads(feed: feeds.Feed, make: Callable[[bytes, str, dt.datetime], Payload]
                  ) -> dict[str, Payload]:
    """A feed in every format (feeds.render), each made a payload by ``make``."""
    modified = feed.updated.astimezone(dt.UTC)  # an HTTP date is in GMT
    return {fmt: make(body, feeds.MEDIA_TYPES[fmt], modified)
            for fmt, body in feeds.render(feed).items()}


def spread(few: list[Any], many: Sequence[Any]) -> list[Any]:
    """``few`` spaced evenly among ``many``, the first of ``few`` first. The feeds are
    large (fifty whole articles each, three formats): spread, each chunk a worker takes
    holds about one, instead of one worker rendering them all and holding every result at
    once. unspread() undoes it."""
    if not few:
        return list(many)
    step = -(-len(many) // len(few))  # ceil: every one of ``few`` has its place
    out: list[Any] = []
    for i, item in enumerate(few):
        out.append(item)
        out.extend(many[i * step:(i + 1) * step])
    return out


def unspread(results: list[Any], few: int, many: int) -> list[Any]:
    """The results of spread()'s items, back in the order ``[*few, *many]``."""
    if not few:
        return results
    step = -(-many // few)
    at = [i + min(i * step, many) for i in range(few)]  # after i of few, i slices of many
    firsts = [results[i] for i in at]
    taken = set(at)
    return firsts + [r for i, r in enumerate(results) if i not in taken]


class Catalog:
    def __init__(self, library: Library, base_url: str, cache_entries: int,
                 now: dt.datetime) -> None:
        self.library = library
        self.site = library.site
        self.base = base_url.rstrip("/") or library.site.base_url
        self.rotations = Rotations(library.tips)
        self._lru = LRU(cache_entries)
        # (topics, lang, medical included?) -> the listing.
        self._lists: dict[tuple[tuple[str, ...], str | None, bool], tuple[Article, ...]] = {}
        # Feeds, keyed (lang, name, format): articles and topics once per catalog, tips per
        # day, each in every language of the site.
        self._feeds: dict[tuple[str, str, str], Payload] = {}
        # The article and topic feeds and every article's own document are serialized and
        # compressed in worker processes (content/parallel.py) while this one builds the
        # rest; they are kept packed (gzip only: most of a large catalog's memory otherwise).
        article_feeds = list(feeds.article_feeds(library, self.base))
        help_docs = ({lang: self.help_doc(None, lang) for lang in self.site.languages}
                     if library.help else None)
        build = functools.partial(ready_payloads, self.site, self.base, help_docs)
        with parallel.process_map(build, spread(article_feeds, library.articles)) as built:
            self.help_payloads = self._build_help_payloads()
            self._lists.update(self._topic_lists())
            # Every language's first pages: what a widget asks for, ready before any request.
            self._first_pages = {
                (topics, lang): self.articles(topics=topics, lang=lang, limit=DEFAULT_LIMIT,
                                              cursor=None, partner=None)
                for lang in self.site.languages
                for topics in [(), *((t.id,) for t in self.site.topics)]
            }
            self.topics_payloads = {lang: Payload.json(self.topics_doc(lang))
                                    for lang in self.site.languages}
            self._window: tuple[dt.date, dt.date] | None = None
            self._tips: dict[tuple[str, str | None, dt.date], Payload] = {}
            self._tips_feed_day: dt.date | None = None
            self._dates: Dates | None = None
            self.turn(now)
            ready = unspread(built(), len(article_feeds), len(library.articles))
        for feed, formats in zip(article_feeds, ready, strict=False):
            assert isinstance(formats, dict)
            self._feeds.update({(feed.lang, feed.name, fmt): payload
                                for fmt, payload in formats.items()})
        self._article_payloads: dict[str, Payload] = {}
        for article, payload in zip(library.articles, ready[len(article_feeds):], strict=True):
            assert isinstance(payload, Payload)
            self._article_payloads[article.slug] = payload

    def _build_help_payloads(self) -> dict[tuple[str, str], Payload]:
        """GET /v1/help for every country in every language, as ready bytes."""
        countries = sorted(self.library.help.values(), key=lambda c: c.code)
        return {(c.code, lang): Payload.json(help.country_doc(self.base, c, lang, countries))
                for c in countries for lang in self.site.languages}

    def where(self, lang: str) -> urls.Lang:
        """A language as addresses carry it (no prefix for the site's default)."""
        return urls.Lang(lang, self.site.default_lang)

    def help_doc(self, partner: Partner | None, lang: str) -> dict[str, str] | None:
        """The ``help`` object for a request: its partner's country, else the site's; its
        page in the request's language."""
        country = self.library.help_for(partner)
        if country is None:
            return None
        doc = help.summary_doc(self.base, country)
        url = self.base + urls.help_path(country.code, self.where(lang))
        doc["url"] = with_utm(url, partner)  # like every link a partner shows
        return doc

    def _with_help(self, doc: dict[str, Any], partner: Partner | None,
                   lang: str) -> dict[str, Any]:
        # Content without help data keeps the documents it always had, byte for byte.
        if self.library.help:
            doc["help"] = self.help_doc(partner, lang)
        return doc

    def _topic_lists(self) -> dict[tuple[tuple[str, ...], str | None, bool],
                                  tuple[Article, ...]]:
        """What listing() gives for all articles and for each topic alone, in every
        language, in one pass over the articles (not one pass per list): the first pages,
        the topic counts and the lists without medical articles are built from them."""
        found: dict[tuple[tuple[str, ...], str | None], list[Article]] = {
            (topics, lang): [] for topics in [(), *((t.id,) for t in self.site.topics)]
            for lang in (None, *self.site.languages)}
        for article in self.library.articles:
            found[(), None].append(article)
            found.setdefault(((), article.lang), []).append(article)
            for topic in set(article.topics):
                if ((topic,), None) in found:
                    found[(topic,), None].append(article)
                    found.setdefault(((topic,), article.lang), []).append(article)
        return {(*key, True): tuple(articles) for key, articles in found.items()}

    # -- the daily tip -------------------------------------------------------------------

    def site_today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.site.timezone).date()

    def dates(self, now: dt.datetime) -> Dates:
        """This second's dates. Nothing is built here: see turn()."""
        second = int(now.timestamp())
        dates = self._dates
        if dates is not None and dates.second == second:
            return dates
        dates = Dates(second, self.site_today(now), latest_date(now), oldest_current_date(now),
                      seconds_until_midnight(now, self.site.timezone))
        self._dates = dates
        return dates

    def turn(self, now: dt.datetime) -> None:
        """Build what the day of ``now`` serves: the tips of every date from a month back to
        the newest date on Earth, and the site's tips feed. At construction, and from the
        lifespan's daybreak task (ops/daybreak.py) whenever seconds_to_turn() runs out; a
        date outside the window is still answered, built on demand like a partner's tip."""
        self._refresh_window(self.dates(now))

    def seconds_to_turn(self, now: dt.datetime) -> int:
        """Seconds until the window turn() builds changes: the site's midnight, or a new
        date beginning on Earth, whichever comes first."""
        return min(seconds_until_midnight(now, self.site.timezone),
                   seconds_until_midnight(now, EARLIEST))

    def _refresh_window(self, dates: Dates) -> None:
        """Precompute every rotation's tips from a month back to the newest date on Earth."""
        today = dates.site_today
        if today != self._tips_feed_day:
            self._refresh_tips_feed(today)
        window = (today - dt.timedelta(days=FEED_DAYS + 1), dates.newest)
        if window == self._window:
            return
        first, last = window
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        tips = {}
        for lang, topic in self.rotations.names():
            for day in days:
                key = (lang, topic, day)
                payload = self._tips.get(key)
                if payload is None and self.rotations.tip_for(lang, topic, day):
                    payload = Payload.json(self.tip_doc(lang, topic, day, None))
                if payload is not None:
                    tips[key] = payload
        self._tips, self._window = tips, window

    # -- feeds ---------------------------------------------------------------------------

    def _refresh_tips_feed(self, today: dt.date) -> None:
        fresh = {key: payload for lang in self.site.languages
                 for feed in [feeds.tips_feed(self.library, self.base, today, self.rotations,
                                              lang)]
                 for fmt, payload in feed_payloads(feed, Payload.build).items()
                 for key in [(feed.lang, feed.name, fmt)]}
        # One assignment: a concurrent reader sees the old day's feeds or the new day's.
        self._feeds, self._tips_feed_day = {**self._feeds, **fresh}, today

    def feed(self, name: str, fmt: str, lang: str | None = None) -> Payload | None:
        """A feed's ready bytes: name is "tips", "articles" or "topics/{id}"; ``lang``
        defaults to the site's language."""
        return self._feeds.get((lang or self.site.default_lang, name, fmt))

    def tip_url(self, day: dt.date, lang: str | None = None) -> str:
        return self.base + urls.tip_path(day, self.where(lang or self.site.default_lang))

    def article_url(self, article: Article) -> str:
        return urls.article_url(self.base, article, self.site.default_lang)

    def tip_for(self, lang: str, topic: str | None, day: dt.date) -> Tip | None:
        return self.rotations.tip_for(lang, topic, day)

    def tip_doc(self, lang: str, topic: str | None, day: dt.date,
                partner: Partner | None) -> dict[str, Any]:
        tip = self.tip_for(lang, topic, day)
        if tip is None:
            raise NotFound(f"date: no tip for {day.isoformat()} in language {lang!r}"
                           + (f" and topic {topic!r}" if topic else ""))
        article = self.library.article(tip.article) if tip.article else None
        review = self.site.tips_review_in(lang)
        url = with_utm(self.tip_url(day, lang), partner)
        return {
            "date": day.isoformat(),
            "lang": lang,
            "topic": topic,
            "tip": {
                "id": tip.id,
                "text": tip.text,
                "topic": self._topic(tip.topic, lang),
                "pinned": tip.pin is not None,
                # Carries the urgent-help block ("help" below): show it with the tip.
                "help_block": tip.help,
                "url": url,
                "article": {
                    "slug": article.slug,
                    "title": article.title,
                    "url": with_utm(self.article_url(article), partner),
                    "api_url": urls.article_api_path(article.slug),
                } if article else None,
            },
            "attribution": {
                "brand": self.site.name,
                "reviewed_by": review.reviewed_by,
                "review_status": review.status,
                "review_label": i18n.review_label(review, lang),
                "last_reviewed": review.last_reviewed.isoformat(),
                "url": url,
            },
            "review": articlejson.review_doc(review, lang),
            "partner": self._partner(partner),
            "labels": i18n.labels(lang),
        } | ({"help": self.help_doc(partner, lang)} if self.library.help else {})

    def tip(self, lang: str, topic: str | None, day: dt.date,
            partner: Partner | None) -> Payload:
        if partner is None and (payload := self._tips.get((lang, topic, day))):
            return payload
        pid = partner.id if partner else None
        return self._lru.get(("tip", lang, topic, day, pid),
                             lambda: Payload.json(self.tip_doc(lang, topic, day, partner)))

    # -- articles ------------------------------------------------------------------------

    def _topic(self, topic_id: str, lang: str) -> dict[str, str]:
        return articlejson.topic_doc(self.site, topic_id, lang)

    @staticmethod
    def _partner(partner: Partner | None) -> dict[str, Any] | None:
        if partner is None:
            return None
        return {"id": partner.id, "name": partner.name, "theme": partner.theme}

    def snippet_doc(self, article: Article, partner: Partner | None) -> dict[str, Any]:
        return articlejson.snippet_doc(self.site, article,
                                       with_utm(self.article_url(article), partner))

    def article_doc(self, article: Article, partner: Partner | None) -> dict[str, Any]:
        return self._with_help(articlejson.article_doc(
            self.site, article, with_utm(self.article_url(article), partner),
            self._partner(partner)), partner, article.lang)

    def article(self, slug: str, partner: Partner | None) -> Payload:
        article = self.library.article(slug)
        if article is None:
            raise NotFound("slug: no such article; see /v1/articles")
        if partner is None:
            return self._article_payloads[slug]
        return self._lru.get(("article", slug, partner.id),
                             lambda: Payload.json(self.article_doc(article, partner)))

    def listing(self, topics: tuple[str, ...], lang: str | None,
                medical: bool = True) -> tuple[Article, ...]:
        """Articles of these topics and language, newest first; ``medical`` False leaves
        out medical:true articles (embeds and lists that did not opt in)."""
        key: tuple[tuple[str, ...], str | None, bool] = (topics, lang, medical)
        found = self._lists.get(key)
        if found is None:
            every = self._lists.get((topics, lang, True))
            if not medical and every is not None:
                found = tuple(a for a in every if not a.medical)
            else:
                found = tuple(
                    a for a in self.library.articles
                    if (not topics or set(topics) & set(a.topics)) and lang in (None, a.lang)
                    and (medical or not a.medical)
                )
            self._lists[key] = found
        return found

    def articles(self, topics: tuple[str, ...], lang: str | None, limit: int,
                 cursor: str | None, partner: Partner | None,
                 medical: bool = False) -> Payload:
        """A page of snippets; ``medical`` says whether medical:true articles are in it
        (the request's medical=include, else the partner's choice, else not)."""
        if cursor is None and limit == DEFAULT_LIMIT and partner is None and not medical:
            first: Payload | None = self.__dict__.get("_first_pages", {}).get((topics, lang))
            if first is not None:
                return first
        pid = partner.id if partner else None
        return self._lru.get(
            ("articles", topics, lang, limit, cursor, pid, medical),
            lambda: Payload.json(self.page_doc(topics, lang, limit, cursor, partner, medical)),
        )

    def page_doc(self, topics: tuple[str, ...], lang: str | None, limit: int,
                 cursor: str | None, partner: Partner | None,
                 medical: bool = False) -> dict[str, Any]:
        items = self.listing(topics, lang, medical)
        start = 0
        if cursor is not None:
            after = decode_cursor(cursor)
            index = next((i for i, a in enumerate(items) if a.slug == after), None)
            if index is None:
                raise BadRequest("cursor: it points at no article in this list")
            start = index + 1
        page = items[start : start + limit]
        more = start + limit < len(items)
        return {
            "articles": [self.snippet_doc(a, partner) for a in page],
            "total": len(items),
            "next_cursor": encode_cursor(page[-1].slug) if more and page else None,
            "topic": ",".join(topics) or None,
            "lang": lang,
            "partner": self._partner(partner),
        } | ({"labels": i18n.labels(lang)} if lang else {}) | (
            {"help": self.help_doc(partner, lang or self.site.default_lang)}
            if self.library.help else {})

    def topics_doc(self, lang: str | None = None) -> dict[str, Any]:
        """Every topic, titled in ``lang`` (default: the site's language), with its counts
        across every language."""
        lang = lang or self.site.default_lang
        tips = Counter(tip.topic for tip in self.library.tips if tip.lang == lang)
        return {
            "lang": lang,
            "topics": [
                {
                    "id": t.id,
                    "title": t.title_in(lang),
                    "articles": len(self.listing((t.id,), lang)),
                    "tips": tips[t.id],
                }
                for t in self.site.topics
            ]
        }
