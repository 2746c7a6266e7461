"""Building a catalog: what is precomputed equals what the request-time methods compute."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import NOW, TODAY, ContentFactory, article
from smartmed.catalog import feeds
from smartmed.catalog.catalog import Catalog, spread, unspread
from smartmed.catalog.payload import GZIP_MIN_BYTES, Payload
from smartmed.content import loader
from smartmed.content.model import Library


@pytest.fixture
def library(make_content: ContentFactory) -> Library:
    files = {
        f"articles/a{n:02d}.md": article(
            f"Article {n}", published=f"2026-10-{n:02d}",
            topics=["[sleep]", "[anxiety, stress]", "[stress, stress]", "[sleep, anxiety]"][n % 4])
        for n in range(1, 29)
    }
    return loader.load(make_content(files), today=TODAY)


def test_topic_lists_are_what_listing_computes(library: Library) -> None:
    catalog = Catalog(library, "", 16, NOW)
    for topic in library.site.topics:
        expected = tuple(a for a in library.articles if {topic.id} & set(a.topics))
        assert catalog.listing((topic.id,), None) == expected
    counts = {t["id"]: t["articles"] for t in catalog.topics_doc()["topics"]}
    assert counts == {t.id: sum(t.id in a.topics for a in library.articles)
                      for t in library.site.topics}


def test_first_pages_are_the_pages_built_on_request(library: Library) -> None:
    catalog = Catalog(library, "", 16, NOW)
    for topics in [(), *((t.id,) for t in library.site.topics)]:
        ready = catalog.articles(topics, None, 10, None, None)
        assert ready == Payload.json(catalog.page_doc(topics, None, 10, None, None))


def test_every_feed_is_compressed_before_the_catalog_serves(library: Library) -> None:
    catalog = Catalog(library, "https://cdn.example", 16, NOW)
    names = ["articles", *(f"topics/{t.id}" for t in library.site.topics), "tips"]
    for name in names:
        for fmt in feeds.FORMATS:
            payload = catalog.feed(name, fmt)
            assert payload is not None
            if len(payload.body) >= GZIP_MIN_BYTES:
                assert payload.gzipped is not None, (name, fmt)


def test_feeds_are_the_rendered_feeds(library: Library) -> None:
    base = "https://cdn.example"
    catalog = Catalog(library, base, 16, NOW)
    for feed in feeds.article_feeds(library, base):
        for fmt, body in feeds.render(feed).items():
            payload = catalog.feed(feed.name, fmt, feed.lang)
            assert payload is not None and payload.body == body
            assert payload.last_modified == feed.updated.astimezone(dt.UTC)


def test_a_request_builds_no_day_the_catalog_turns_only_when_told(
        make_content: ContentFactory) -> None:
    now = NOW  # noon in London (UTC in November)
    catalog = Catalog(loader.load(make_content(), today=TODAY), "", 16, now)
    feed = catalog.feed("tips", "json")
    later = now + dt.timedelta(days=1)
    catalog.dates(later)  # what a request asks
    assert catalog.feed("tips", "json") is feed
    assert catalog.seconds_to_turn(now) == 12 * 3600  # London's midnight; Kiribati's passed
    catalog.turn(later)
    assert catalog.feed("tips", "json") is not feed


@given(st.integers(0, 60), st.integers(0, 3000))
def test_spread_places_the_few_among_the_many_and_unspread_undoes_it(few: int,
                                                                    many: int) -> None:
    feeds_ = [("feed", i) for i in range(few)]
    articles = [("article", i) for i in range(many)]
    items = spread(feeds_, articles)
    assert sorted(items) == sorted(feeds_ + articles)
    assert unspread(items, few, many) == feeds_ + articles
    # Evenly: one of the few first, then never more of the many in a row than an even
    # split gives each.
    at = [i for i, item in enumerate(items) if item[0] == "feed"]
    if few:
        assert at[0] == 0
        gaps = [b - a - 1 for a, b in zip(at, [*at[1:], len(items)], strict=True)]
        assert max(gaps) <= -(-many // few)


def test_the_article_documents_and_feeds_are_kept_packed(library: Library) -> None:
    catalog = Catalog(library, "https://cdn.example", 16, NOW)
    for one in library.articles:
        payload = catalog.article(one.slug, None)
        assert payload.plain is None and payload.gzipped is not None
    for feed in feeds.article_feeds(library, "https://cdn.example"):
        for fmt in feeds.FORMATS:
            payload = catalog.feed(feed.name, fmt, feed.lang)
            assert payload is not None
            # An empty feed is too small for gzip, and is kept as it is.
            assert (payload.plain is None) == (payload.size >= GZIP_MIN_BYTES)
