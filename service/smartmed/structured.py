"""schema.org structured data (JSON-LD) for article pages.

Search engines and health-information checkers read who published a page, when it was
last reviewed, by whom, and on what sources. ``reviewedBy`` is given only for a real
review: a page signed off by a placeholder role claims no reviewer at all.
"""

from __future__ import annotations

import json
from typing import Any

from smartmed.model import Article, Site

CONTEXT = "https://schema.org"


def document(site: Site, base: str, article: Article) -> dict[str, Any]:
    """The page's JSON-LD: MedicalWebPage for medical articles, Article otherwise."""
    url = f"{base}/articles/{article.slug}"
    review = article.review
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage" if article.medical else "Article",
        "@id": url,
        "url": url,
        "headline": article.title,
        "name": article.title,
        "description": article.summary,
        "inLanguage": article.lang,
        "datePublished": article.published.isoformat(),
        "dateModified": (article.updated or article.published).isoformat(),
        "lastReviewed": review.last_reviewed.isoformat(),
        "author": {"@type": "Organization", "name": article.author},
        "publisher": {"@type": "Organization", "name": site.name, "url": base},
        "citation": [
            {"@type": "CreativeWork", "name": ref.title, "url": ref.url,
             "publisher": {"@type": "Organization", "name": ref.publisher}}
            | ({"datePublished": str(ref.year)} if ref.year else {})
            for ref in article.references
        ],
    }
    real = [r for r in review.reviewers if not r.placeholder]
    if real:
        doc["reviewedBy"] = [{"@type": "Person", "name": r.name, "jobTitle": r.profession}
                             for r in real]
    return doc


def json_ld(site: Site, base: str, article: Article) -> str:
    """The document as text safe inside <script type="application/ld+json">: no "<" can
    end the element early (JSON allows the \\u003c escape for it)."""
    text = json.dumps(document(site, base, article), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
