"""An article's API documents, and the bytes of its own document (article_body).

GET /v1/articles/{slug} is answered from ready bytes for every article (catalog.py).
Serializing 10,000 documents is most of a second: the catalog runs article_body in
worker processes (content/parallel.py).
"""

from __future__ import annotations

from typing import Any

from smartmed.catalog import i18n, urls
from smartmed.catalog.encoding import dumps
from smartmed.content.model import Article, Reference, Review, Site


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


def article_body(site: Site, base: str, help_docs: dict[str, dict[str, str] | None] | None,
                 article: Article) -> bytes:
    """GET /v1/articles/{slug} without a partner, as bytes: what Catalog.article_doc gives
    for ``article`` under ``base``, with ``help`` (in the article's language, from
    ``help_docs``) last when the content has help data.

    Module-level, with plain arguments: the catalog runs it in worker processes
    (content/parallel.py), one article per call.
    """
    doc = article_doc(site, article, urls.article_url(base, article, site.default_lang), None)
    if help_docs is not None:
        doc["help"] = help_docs[article.lang]
    return dumps(doc)
