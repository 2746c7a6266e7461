"""Subscriber feeds: tips and articles from a Library, as RSS 2.0, Atom and JSON Feed bytes.

Pure: a Library (and the day, for tips) in, bytes out. Every date comes from the content,
never from the clock, so the same content gives the same bytes and the same ETag on every
worker and every request. RSS and Atom are written by feedgen (feedxml.py); JSON Feed 1.1
is a plain dict.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple

from smartmed.catalog import i18n, urls
from smartmed.catalog.assets import ASSETS
from smartmed.catalog.clock import start_of_day
from smartmed.catalog.encoding import dumps
from smartmed.catalog.feedxml import ATOM_TYPE, RSS_TYPE, render_atom, render_rss
from smartmed.content import help
from smartmed.content.model import Article, Library, Reference, Site, Tip, Topic
from smartmed.content.rotation import Rotations

TIP_DAYS = 30
ARTICLE_LIMIT = 50
FORMATS = ("rss", "atom", "json")
# The bare types are what autodiscovery links name; responses add the charset.
TYPES = {"rss": RSS_TYPE, "atom": ATOM_TYPE, "json": "application/feed+json"}
MEDIA_TYPES = {fmt: f"{kind}; charset=utf-8" for fmt, kind in TYPES.items()}
LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Item:
    id: str  # a stable permalink: the reading page of this tip's day or this article
    url: str  # where a reader opens it (an article's canonical_url when it has one)
    title: str
    summary: str  # plain text
    content_html: str  # sanitized HTML
    content_text: str | None  # the plain text, where the item has one (a tip)
    published: dt.datetime
    updated: dt.datetime
    author: str
    lang: str
    topics: tuple[Topic, ...]
    related: tuple[str, str] | None = None  # (url, title) of a tip's article


@dataclass(frozen=True)
class Feed:
    name: str  # the path under /feeds/, without the extension: "tips", "topics/sleep"
    title: str
    description: str
    home: str  # the HTML page this feed follows; also its Atom id
    base: str
    lang: str
    default_lang: str  # the site's: a feed in another language lives under /{lang}/
    author: str
    items: tuple[Item, ...]  # newest first
    updated: dt.datetime  # the newest item's date; never "now"

    @property
    def where(self) -> urls.Lang:
        return urls.Lang(self.lang, self.default_lang)

    def url(self, fmt: str) -> str:
        return self.base + urls.feed_path(self.name, fmt, self.where)

    @property
    def topic_scheme(self) -> str:
        return self.base + urls.topics_path(self.where)

    def icon(self, size: int) -> str:
        """The square icon of that size (64, 144 or 512 pixels): what readers show."""
        return self.base + ASSETS.url(f"icon-{size}.png")


class Alternate(NamedTuple):
    """One `<link rel="alternate">` autodiscovery tag: href, type, title."""

    href: str
    type: str
    title: str


# -- titles (shared by the feeds and their autodiscovery links) -----------------------------

def tips_title(site: Site, lang: str) -> str:
    return i18n.gettext(lang, "%(name)s: tip of the day") % {"name": site.name}


def articles_title(site: Site, lang: str) -> str:
    return i18n.gettext(lang, "%(name)s: articles") % {"name": site.name}


def topic_title(site: Site, topic: Topic, lang: str) -> str:
    return f"{site.name}: {topic.title_in(lang)}"


def _alternates(base: str, name: str, title: str, where: urls.Lang) -> list[Alternate]:
    return [Alternate(base + urls.feed_path(name, fmt, where), TYPES[fmt],
                      f"{title} ({LABELS[fmt]})") for fmt in FORMATS]


def alternate_links(base: str, site: Site, lang: str | None = None) -> list[Alternate]:
    """Autodiscovery links for the tips and articles feeds of a language (default: the
    site's), for the head of every HTML page in that language."""
    lang = lang or site.default_lang
    base, where = base.rstrip("/"), urls.Lang(lang, site.default_lang)
    return (_alternates(base, "tips", tips_title(site, lang), where)
            + _alternates(base, "articles", articles_title(site, lang), where))


def topic_alternate_links(base: str, site: Site, topic: Topic,
                          lang: str | None = None) -> list[Alternate]:
    """Autodiscovery links for one topic's feeds, for that topic's page."""
    lang = lang or site.default_lang
    return _alternates(base.rstrip("/"), f"topics/{topic.id}", topic_title(site, topic, lang),
                       urls.Lang(lang, site.default_lang))


# -- feeds from content ---------------------------------------------------------------------

def tips_feed(library: Library, base: str, today: dt.date,
              rotations: Rotations | None = None, lang: str | None = None) -> Feed:
    """One item per day, the TIP_DAYS days up to ``today`` (the site's date), newest first,
    from the tip library of ``lang`` (default: the site's language)."""
    site, base = library.site, base.rstrip("/")
    lang = lang or site.default_lang
    rotations = rotations or Rotations(library.tips)
    items = []
    for back in range(TIP_DAYS):
        day = today - dt.timedelta(days=back)
        tip = rotations.tip_for(lang, None, day)
        if tip is not None:
            items.append(_tip_item(library, base, day, tip, lang))
    review = i18n.review_label(site.tips_review_in(lang), lang)
    description = i18n.gettext(lang, "One tip a day from %(name)s.") % {"name": site.name}
    where = urls.Lang(lang, site.default_lang)
    return Feed(
        name="tips", title=tips_title(site, lang), description=f"{description} {review}.",
        home=base + urls.tips_path(where), base=base, lang=lang,
        default_lang=site.default_lang, author=site.name, items=tuple(items),
        # An empty feed still needs a date: the start of the day it was built for.
        updated=items[0].updated if items else start_of_day(today, site.timezone),
    )


def help_block(library: Library, base: str, lang: str) -> str:
    """The urgent-help block of the site's country in ``lang`` ("" without help data)."""
    country = library.help_for(None)  # feeds are public: the site's country
    if country is None:
        return ""
    where = urls.Lang(lang, library.site.default_lang)
    # A country's texts exist in every language of the site (help.py checks it).
    return help.block_html(base, country, lang, words=i18n.translations(lang).gettext,
                           index=base + urls.help_path(None, where))


def _tip_item(library: Library, base: str, day: dt.date, tip: Tip, lang: str) -> Item:
    site = library.site
    where = urls.Lang(lang, site.default_lang)
    permalink = base + urls.tip_path(day, where)
    article = library.article(tip.article) if tip.article else None
    text = html.escape(tip.text, quote=False)
    body = f"<p>{text}</p>"
    related = None
    if article is not None:
        related = (urls.article_url(base, article, site.default_lang), article.title)
        learn_more = i18n.gettext(lang, "Learn more")
        body += (f'<p><a href="{html.escape(related[0])}">'
                 f"{html.escape(learn_more, quote=False)}: "
                 f"{html.escape(article.title, quote=False)}</a></p>")
    # The same attribution every other surface shows: never "Reviewed by" a placeholder.
    label = i18n.review_label(site.tips_review_in(lang), lang)
    body += f"<p><em>{html.escape(label, quote=False)}.</em></p>"
    if tip.help:
        body += help_block(library, base, lang)
    topic = site.topic(tip.topic)
    start = start_of_day(day, site.timezone)
    title = i18n.gettext(lang, "Tip for %(date)s") % {"date": day.isoformat()}
    return Item(
        id=permalink, url=permalink,
        title=title + (f": {topic.title_in(lang)}" if topic else ""),
        summary=tip.text, content_html=body, content_text=tip.text,
        published=start, updated=start, author=site.name, lang=tip.lang,
        topics=(topic,) if topic else (), related=related,
    )


def article_feeds(library: Library, base: str) -> Iterator[Feed]:
    """For every language: the articles feed and one feed per topic (empty topics
    included: their URLs exist). One at a time: a feed's items (fifty whole articles) are
    garbage once it is rendered, so a catalog never holds every language's at once."""
    for lang in library.site.languages:
        yield articles_feed(library, base, None, lang)
        for topic in library.site.topics:
            yield articles_feed(library, base, topic, lang)


def articles_feed(library: Library, base: str, topic: Topic | None = None,
                  lang: str | None = None) -> Feed:
    """The newest articles written in ``lang`` (default: the site's language)."""
    site, base = library.site, base.rstrip("/")
    lang = lang or site.default_lang
    where = urls.Lang(lang, site.default_lang)
    # The newest ARTICLE_LIMIT of the topic: the scan stops there, not at the last article.
    chosen = islice((a for a in library.articles if a.lang == lang
                     and (topic is None or topic.id in a.topics)), ARTICLE_LIMIT)
    block = help_block(library, base, lang)
    items = tuple(_article_item(site, base, a, block) for a in chosen)
    values = {"name": site.name}
    if topic is None:
        name, title, home = "articles", articles_title(site, lang), \
            base + urls.articles_path(where)
        description = i18n.gettext(lang, "The newest articles from %(name)s, with their "
                                         "sources and review.") % values
    else:
        name, title, home = f"topics/{topic.id}", topic_title(site, topic, lang), \
            base + urls.topic_path(topic.id, where)
        description = i18n.gettext(lang, "Articles about %(topic)s from %(name)s.") % {
            **values, "topic": topic.title_in(lang)}
    # Only an empty feed needs the content's date: it looks at every article.
    updated = max((i.updated for i in items), default=None) or _content_date(library)
    return Feed(name=name, title=title, description=description, home=home, base=base,
                lang=lang, default_lang=site.default_lang, author=site.name, items=items,
                updated=updated)


def _content_date(library: Library) -> dt.datetime:
    """A topic with no articles yet still needs a date that does not move: the newest
    date anywhere in the content."""
    days = [library.site.tips_review.last_reviewed]
    days += [a.updated or a.published for a in library.articles]
    return start_of_day(max(days), library.site.timezone)


def article_html(site: Site, article: Article, help_block: str = "") -> str:
    """The article's sanitized HTML with the attribution a reader must always see, ending
    with the urgent-help block (help.block_html) when the content has help data."""
    review, lang = article.review, article.lang
    # "Reviewed by … on" only for a real review; a placeholder's is still awaited.
    dates = {"last": review.last_reviewed.isoformat(), "next": review.next_review.isoformat()}
    when = (i18n.gettext(lang, "on %(last)s; next review due %(next)s") if review.reviewed_by
            else i18n.gettext(lang, "last editorial check %(last)s; next review due %(next)s"))
    sep = " " if review.reviewed_by else "; "
    footer = (f"<p><em>{html.escape(i18n.review_label(review, lang), quote=False)}{sep}"
              f"{html.escape(when % dates, quote=False)}.</em></p>")
    footer += sources_html(article.references, lang)
    if article.medical:
        footer += f"<p><em>{html.escape(site.disclaimer_in(lang), quote=False)}</em></p>"
    return article.html + footer + help_block


def reference_date(ref: Reference, lang: str = i18n.SOURCE_LANG) -> str:
    """A source's year, or the day an undated web page was read."""
    if ref.year:
        return str(ref.year)
    if ref.accessed:
        return i18n.gettext(lang, "accessed %(date)s") % {"date": ref.accessed.isoformat()}
    return i18n.gettext(lang, "undated")


def sources_html(references: tuple[Reference, ...], lang: str = i18n.SOURCE_LANG) -> str:
    """The "Sources" list feed readers see under an article."""
    if not references:
        return ""
    items = "".join(
        f'<li><a href="{html.escape(r.url)}">{html.escape(r.title, quote=False)}</a>, '
        f"{html.escape(r.publisher, quote=False)} ({reference_date(r, lang)})</li>"
        for r in references)
    heading = html.escape(i18n.gettext(lang, "Sources"))
    return f"<h2>{heading}</h2><ul>{items}</ul>"


def _article_item(site: Site, base: str, article: Article, help_block: str) -> Item:
    published = start_of_day(article.published, site.timezone)
    updated = start_of_day(article.updated, site.timezone) if article.updated else published
    topics = tuple(t for t in (site.topic(tid) for tid in article.topics) if t is not None)
    where = urls.Lang(article.lang, site.default_lang)
    return Item(
        id=base + urls.article_path(article.slug, where),
        url=urls.article_url(base, article, site.default_lang),
        title=article.title, summary=article.summary,
        content_html=article_html(site, article, help_block), content_text=None,
        published=published, updated=updated, author=article.author, lang=article.lang,
        topics=topics,
    )


# -- JSON Feed 1.1 --------------------------------------------------------------------------

def rfc3339(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def json_feed(feed: Feed) -> dict[str, Any]:
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed.url("json"),
        "description": feed.description,
        "language": feed.lang,
        "authors": [{"name": feed.author, "url": feed.base}],
        "icon": feed.icon(512),  # JSON Feed 1.1: 512 x 512 for timelines
        "favicon": feed.icon(64),  # 64 x 64 for lists of feeds
        "items": [_json_item(feed, item) for item in feed.items],
    }


def _json_item(feed: Feed, item: Item) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": item.id, "url": item.url}
    if item.related:
        doc["external_url"] = item.related[0]
    doc.update(title=item.title, summary=item.summary, content_html=item.content_html)
    if item.content_text is not None:
        doc["content_text"] = item.content_text
    doc.update(
        date_published=rfc3339(item.published), date_modified=rfc3339(item.updated),
        authors=[{"name": item.author}], tags=[t.title_in(item.lang) for t in item.topics],
        language=item.lang,
    )
    return doc


def render_json(feed: Feed) -> bytes:
    # ensure_ascii=False keeps emoji and right-to-left text readable; JSON still escapes
    # every control character.
    return dumps(json_feed(feed))


def render(feed: Feed) -> dict[str, bytes]:
    """All three formats of one feed."""
    return {"rss": render_rss(feed), "atom": render_atom(feed), "json": render_json(feed)}
