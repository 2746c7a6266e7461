"""Every address the service gives out: its pages, API documents and feeds.

Paths are relative; ``absolute`` puts the public base URL in front. Feeds, API documents,
pages and templates all build their links here, so an address changes in one place.

Pages and feeds in a language other than the site's default live under ``/{lang}/``
(``/es/articles/{slug}``, ``/de/feeds/tips.rss``); the default language has no prefix. Every
function takes ``lang``: None or the default language give the unprefixed address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from smartmed.content.model import Article


@dataclass(frozen=True, slots=True)
class Lang:
    """A language as addresses carry it: ``prefix`` is "" for the site's default."""

    code: str
    default: str

    @property
    def prefix(self) -> str:
        return "" if self.code == self.default else f"/{self.code}"


def prefix(lang: Lang | None) -> str:
    return lang.prefix if lang is not None else ""


def home_path(lang: Lang | None = None) -> str:
    """The configurator: "/" in the default language, "/es/" in another."""
    return f"{prefix(lang)}/"


def articles_path(lang: Lang | None = None) -> str:
    return f"{prefix(lang)}/articles"


def article_path(slug: str, lang: Lang | None = None) -> str:
    return f"{prefix(lang)}/articles/{slug}"


def article_api_path(slug: str) -> str:
    return f"/v1/articles/{slug}"


def tips_path(lang: Lang | None = None) -> str:
    return f"{prefix(lang)}/tips"


def tip_today_path(lang: Lang | None = None) -> str:
    return f"{prefix(lang)}/tips/today"


def tip_path(day: dt.date, lang: Lang | None = None) -> str:
    return f"{prefix(lang)}/tips/{day.isoformat()}"


def topics_path(lang: Lang | None = None) -> str:
    return f"{prefix(lang)}/topics"


def topic_path(topic_id: str, lang: Lang | None = None) -> str:
    return f"{prefix(lang)}/topics/{topic_id}"


def help_path(code: str | None = None, lang: Lang | None = None) -> str:
    """The urgent-help pages: the index, or one country's (its code in lower case)."""
    return f"{prefix(lang)}/help" + (f"/{code.lower()}" if code else "")


def feed_path(name: str, fmt: str, lang: Lang | None = None) -> str:
    """``name``: "tips", "articles" or "topics/<id>"; ``fmt``: rss, atom or json."""
    return f"{prefix(lang)}/feeds/{name}.{fmt}"


def partner_stats_path(partner: str, lang: Lang | None = None) -> str:
    """A partner's stats page (sign-in form, then the numbers). The id comes from the
    request's path: quoted whole, so that it stays one path segment of this address."""
    return f"{prefix(lang)}/partners/{quote(partner, safe='')}/stats"


def partner_stats_dir(partner: str, lang: Lang | None = None) -> str:
    """The folder of a partner's pages in one language: its session cookie's Path."""
    return f"{prefix(lang)}/partners/{quote(partner, safe='')}/"


def partner_stats_csv_path(partner: str) -> str:
    return f"/v1/partners/{quote(partner, safe='')}/stats.csv"


def article_lang(article: Article, default: str) -> Lang:
    return Lang(article.lang, default)


def article_url(base: str, article: Article, default: str) -> str:
    """Where an article is read: its canonical URL when it has one, else its page here,
    under its own language's prefix."""
    return article.canonical_url or base + article_path(article.slug,
                                                        article_lang(article, default))
