"""Article documents: the bytes the catalog serves are the document serialized whole, for
any base URL, whether they were built in this process or in worker processes."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

from helpers import NOW, TODAY, ContentFactory, article
from smartmed.catalog import articlejson, feeds, urls
from smartmed.catalog.catalog import Catalog, ready_payloads
from smartmed.catalog.encoding import dumps
from smartmed.catalog.payload import Payload
from smartmed.content.loader import load
from smartmed.content.model import Article, Library
from smartmed.content.parallel import process_map

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


def test_the_catalog_serves_each_article_as_its_document_serialized_whole(
    make_content: ContentFactory,
) -> None:
    library = library_with_odd_articles(make_content)
    by_slug = {a.slug: a for a in library.articles}
    assert '"' in by_slug["quotes"].title and "\\" in by_slug["quotes"].title
    assert by_slug["elsewhere"].canonical_url and by_slug["medical"].medical
    for base in OTHER_BASES:
        catalog = Catalog(library, base, 16, NOW)
        for a in library.articles:
            body = catalog.article(a.slug, None).body
            assert body == dumps(catalog.article_doc(a, None)), (a.slug, base)
            assert json.loads(body)["article"]["url"] == catalog.article_url(a)


def test_article_bodies_and_feeds_built_in_workers_are_the_ones_built_here(
    make_content: ContentFactory,
) -> None:
    library = library_with_odd_articles(make_content)
    help_docs = {"en": {"url": "https://b.example/help/gb"}}
    build = functools.partial(ready_payloads, library.site, "https://b.example", help_docs)
    items = [*feeds.article_feeds(library, "https://b.example"), *library.articles]
    assert len(items) > len(library.articles)
    with process_map(build, items, min_items=1) as in_workers:
        assert in_workers() == [build(item) for item in items]
    documents = [build(a) for a in library.articles]
    assert [d.body for d in documents if isinstance(d, Payload)] == [
        articlejson.article_body(library.site, "https://b.example", help_docs, a)
        for a in library.articles]


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


def test_a_loaded_library_holds_no_serialized_documents(content_dir: Path) -> None:
    """The content layer builds the model only; JSON is the catalog's."""
    library = load(content_dir, today=TODAY)
    assert {f.name for f in dataclasses.fields(library)} == {
        "site", "articles", "tips", "partners", "version", "warnings", "help"}
