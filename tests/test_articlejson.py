"""Article documents built while loading are the bytes the catalog would serialize, for
the site's base URL and, spliced, for any other."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from smartmed.catalog import articlejson, urls
from smartmed.catalog.catalog import Catalog
from smartmed.catalog.encoding import dumps
from smartmed.content.loader import load
from smartmed.content.model import Article, Library

from conftest import NOW, TODAY, ContentFactory, article

OTHER_BASES = ["", "https://cdn.example", "http://localhost:8080/", 'https://q.example/"x\\y',
               "https://ünïcödé.example/päth"]


def library_with_odd_articles(make_content: ContentFactory) -> Library:
    return load(make_content({
        "articles/quotes.md": article("'\"Quoted\" \\ title — ünïcödé 🧘'",
                                      topics="[sleep, stress]",
                                      body='Text with "quotes", \\ and <b>tags</b>.\n'),
        "articles/elsewhere.md": article("Elsewhere", extra="canonical_url: "
                                         "https://other.example/elsewhere\n"),
        "articles/medical.md": article("Medical", extra="medical: true\n").replace(
            "medical: false\n", ""),
    }), today=TODAY)


def test_prebuilt_bytes_are_the_serialized_document_for_every_base(
    make_content: ContentFactory,
) -> None:
    library = library_with_odd_articles(make_content)
    site = library.site
    assert set(library.article_json) == {a.slug for a in library.articles}
    by_slug = {a.slug: a for a in library.articles}
    assert '"' in by_slug["quotes"].title and "\\" in by_slug["quotes"].title
    assert by_slug["elsewhere"].canonical_url and by_slug["medical"].medical
    for a in library.articles:
        built = library.article_json[a.slug]
        assert built.base == site.base_url
        for base in [site.base_url, *(b.rstrip("/") for b in OTHER_BASES)]:
            url = urls.article_url(base, a, site.default_lang)
            expected = dumps(articlejson.article_doc(site, a, url, None))
            assert built.for_base(base, a) == expected, (a.slug, base)


def test_the_catalog_serves_the_same_bytes_with_or_without_prebuilt_documents(
    make_content: ContentFactory,
) -> None:
    library = library_with_odd_articles(make_content)
    bare = dataclasses.replace(library, article_json={})
    for base in OTHER_BASES:
        fast, slow = Catalog(library, base, 16, NOW), Catalog(bare, base, 16, NOW)
        for a in library.articles:
            assert fast.article(a.slug, None) == slow.article(a.slug, None)
            assert json.loads(fast.article(a.slug, None).body)["article"]["url"] == (
                fast.article_url(a))


def test_a_document_whose_placeholder_is_not_found_is_left_to_the_catalog(
    make_content: ContentFactory,
) -> None:
    library = library_with_odd_articles(make_content)
    a = library.articles[0]
    # Impossible from the loader (text may hold no control character); built by hand.
    odd = dataclasses.replace(a, title="\x00")
    assert articlejson.build(library.site, odd) is None


def test_article_url_prefers_the_canonical_url_and_else_its_languages_page() -> None:
    fields = {f.name: None for f in dataclasses.fields(Article)}
    plain = Article(**{**fields, "slug": "a", "lang": "en", "canonical_url": None})
    spanish = Article(**{**fields, "slug": "b", "lang": "es", "canonical_url": None})
    elsewhere = Article(**{**fields, "slug": "a", "lang": "en",
                           "canonical_url": "https://x.example/a"})
    assert urls.article_url("https://b.example", plain, "en") == "https://b.example/articles/a"
    assert urls.article_url("https://b.example", spanish, "en") == \
        "https://b.example/es/articles/b"
    assert urls.article_url("https://b.example", elsewhere, "en") == "https://x.example/a"


def test_loaded_library_equality_ignores_the_prebuilt_documents(content_dir: Path) -> None:
    library = load(content_dir, today=TODAY)
    assert dataclasses.replace(library, article_json={}) == library
    assert isinstance(library.articles[0].published, dt.date)
