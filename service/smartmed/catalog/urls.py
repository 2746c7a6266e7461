"""Every address the service gives out: its pages, API documents and feeds.

Paths are relative; ``absolute`` puts the public base URL in front. Feeds, API documents,
pages and templates all build their links here, so an address changes in one place.
"""

from __future__ import annotations

import datetime as dt

from smartmed.content.model import Article


def article_path(slug: str) -> str:
    return f"/articles/{slug}"


def article_api_path(slug: str) -> str:
    return f"/v1/articles/{slug}"


def tip_path(day: dt.date) -> str:
    return f"/tips/{day.isoformat()}"


def topic_path(topic_id: str) -> str:
    return f"/topics/{topic_id}"


def feed_path(name: str, fmt: str) -> str:
    """``name``: "tips", "articles" or "topics/<id>"; ``fmt``: rss, atom or json."""
    return f"/feeds/{name}.{fmt}"


def article_url(base: str, article: Article) -> str:
    """Where an article is read: its canonical URL when it has one, else its page here."""
    return article.canonical_url or base + article_path(article.slug)
