"""schema.org structured data (JSON-LD) for article pages.

Search engines and health-information checkers read who published a page, when it was
last reviewed, by whom, and on what sources. ``reviewedBy`` is given only for a real
review: a page signed off by a placeholder role claims no reviewer at all.
"""

from __future__ import annotations

from typing import Any

from smartmed.catalog import urls
from smartmed.catalog.encoding import dumps
from smartmed.content.model import Article, Site

CONTEXT = "https://schema.org"


def document(site: Site, base: str, article: Article) -> dict[str, Any]:
    """The page's JSON-LD: a MedicalWebPage for medical articles, else an Article.

    schema.org puts ``lastReviewed`` and ``reviewedBy`` on a WebPage, not on an Article:
    a non-medical article carries them on the WebPage it is the main entity of.
    """
    url = base + urls.article_path(article.slug, urls.Lang(article.lang, site.default_lang))
    review = article.review
    page: dict[str, Any] = {"url": url, "lastReviewed": review.last_reviewed.isoformat()}
    real = [r for r in review.reviewers if not r.placeholder]
    if real:
        page["reviewedBy"] = [{"@type": "Person", "name": r.name, "jobTitle": r.profession}
                              for r in real]
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": url,
        "headline": article.title,
        "name": article.title,
        "description": article.summary,
        "inLanguage": article.lang,
        "datePublished": article.published.isoformat(),
        "dateModified": (article.updated or article.published).isoformat(),
        "author": {"@type": "Organization", "name": article.author},
        "publisher": {"@type": "Organization", "name": site.name, "url": base},
        "citation": [
            {"@type": "CreativeWork", "name": ref.title, "url": ref.url,
             "publisher": {"@type": "Organization", "name": ref.publisher}}
            | ({"datePublished": str(ref.year)} if ref.year else {})
            for ref in article.references
        ],
    }
    if article.medical:
        return doc | {"@type": "MedicalWebPage"} | page
    return doc | {"@type": "Article",
                  "mainEntityOfPage": {"@type": "WebPage", "@id": url} | page}


def json_ld(site: Site, base: str, article: Article) -> str:
    """The document as text safe inside <script type="application/ld+json">: no "<" can
    end the element early (JSON allows the \\u003c escape for it)."""
    text = dumps(document(site, base, article)).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
