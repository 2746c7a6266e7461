"""An article's API document, and its JSON bytes built where the article is compiled.

GET /v1/articles/{slug} is answered from ready bytes for every article (catalog.py).
Serializing 10,000 documents in the serving process once the content is loaded was most
of a second of a cold start; the worker processes that compile the articles
(loader.py) serialize them too, in parallel.

The document holds the article's URL, which depends on the base URL a catalog serves
under (SMARTMED_BASE_URL, else the site's). The bytes are built for the site's base URL
and remember where that URL stands in them, so that a catalog with another base splices
its own in instead of serializing again.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from smartmed.catalog import i18n, urls
from smartmed.catalog.encoding import dumps
from smartmed.content.model import Article, Reference, Review, Site

# Stands for the URL while the document is serialized: text fields may not hold control
# characters (problems.CONTROL), so its JSON form is found only where the URL goes.
_PLACEHOLDER = "\x00"
_PLACEHOLDER_JSON = b'"\\u0000"'


def topic_doc(site: Site, topic_id: str, lang: str) -> dict[str, str]:
    """A topic's id and its title in ``lang`` (the default language's where it has none)."""
    topic = site.topic(topic_id)
    return {"id": topic_id, "title": topic.title_in(lang) if topic else topic_id}


def review_doc(review: Review, lang: str) -> dict[str, Any]:
    """Who reviewed, when, and whether that review is real: ``status`` is "reviewed" only
    when a non-placeholder reviewer signed it, else "awaiting-clinical-review"."""
    return {
        "status": review.status,
        "label": i18n.review_label(review, lang),
        "last_reviewed": review.last_reviewed.isoformat(),
        "next_review": review.next_review.isoformat(),
        "history": [{"date": event.date.isoformat(),
                     "reviewers": [{"id": r.id, "name": r.name, "profession": r.profession,
                                    "placeholder": r.placeholder} for r in event.reviewers]}
                    for event in review.history],
    }


def reference_doc(ref: Reference) -> dict[str, Any]:
    return {"title": ref.title, "publisher": ref.publisher, "year": ref.year,
            "accessed": ref.accessed.isoformat() if ref.accessed else None, "url": ref.url,
            "kind": ref.kind}


def snippet_doc(site: Site, article: Article, url: str) -> dict[str, Any]:
    """An article in a list; ``url`` is where a reader opens it (with a partner's UTM)."""
    return {
        "slug": article.slug,
        "title": article.title,
        "snippet": article.snippet,
        "topics": [topic_doc(site, t, article.lang) for t in article.topics],
        "lang": article.lang,
        "author": article.author,
        # None while the review awaits a real reviewer: "review" says so.
        "reviewed_by": article.review.reviewed_by,
        "review_status": article.review.status,
        "published": article.published.isoformat(),
        "updated": article.updated.isoformat() if article.updated else None,
        "last_reviewed": article.review.last_reviewed.isoformat(),
        "next_review": article.review.next_review.isoformat(),
        "medical": article.medical,
        "reading_minutes": article.reading_minutes,
        "url": url,
        "api_url": urls.article_api_path(article.slug),
    }


def article_doc(site: Site, article: Article, url: str,
                partner: dict[str, Any] | None) -> dict[str, Any]:
    """GET /v1/articles/{slug}: the whole article, with its attribution; ``partner`` is the
    partner's own document, when a partner asks."""
    doc = snippet_doc(site, article, url)
    doc.update(summary=article.summary, html=article.html, word_count=article.word_count,
               disclaimer=site.disclaimer_in(article.lang) if article.medical else None,
               review=review_doc(article.review, article.lang),
               references=[reference_doc(r) for r in article.references])
    return {
        "article": doc,
        "attribution": {
            "brand": site.name,
            "reviewed_by": article.review.reviewed_by,
            "review_status": article.review.status,
            "review_label": i18n.review_label(article.review, article.lang),
            "last_reviewed": article.review.last_reviewed.isoformat(),
            "url": doc["url"],
        },
        "partner": partner,
    }


class ArticleJson(NamedTuple):
    """An article's document (no partner) as JSON bytes, built for one base URL.

    A named tuple: a worker process sends 10,000 of them back, and a tuple is the cheapest
    thing to unpickle.
    """

    base: str  # the base URL ``body`` was built for
    default_lang: str  # the site's: an article in another one has its /{lang}/ address
    body: bytes
    # Where the URL's JSON string starts in ``body`` (it is there twice), and its length.
    url_at: tuple[int, ...]
    url_len: int

    def for_base(self, base: str, article: Article) -> bytes:
        """The same document's bytes for ``base``: the URL spliced in, nothing re-encoded."""
        if base == self.base or article.canonical_url:
            return self.body
        url = dumps(urls.article_url(base, article, self.default_lang))
        parts, start = [], 0
        for at in self.url_at:
            parts += [self.body[start:at], url]
            start = at + self.url_len
        parts.append(self.body[start:])
        return b"".join(parts)


def build(site: Site, article: Article) -> ArticleJson | None:
    """The article's document for the site's base URL; None in the impossible case that the
    placeholder is not found exactly where the URL goes (the catalog then serializes it)."""
    pieces = dumps(article_doc(site, article, _PLACEHOLDER, None)).split(_PLACEHOLDER_JSON)
    if len(pieces) != 3:
        return None
    url = dumps(urls.article_url(site.base_url, article, site.default_lang))
    at = (len(pieces[0]), len(pieces[0]) + len(url) + len(pieces[1]))
    return ArticleJson(site.base_url, site.default_lang, url.join(pieces), at, len(url))
