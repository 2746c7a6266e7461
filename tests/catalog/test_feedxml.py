"""feedgen 1.0.0's traps: each test shows the trap is real, then that our feeds avoid it."""

from __future__ import annotations

import datetime as dt

import pytest
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from helpers import TODAY, ContentFactory, article, tip
from smartmed.catalog import feeds
from smartmed.catalog.feedxml import render_atom, render_rss
from smartmed.content import loader
from smartmed.content.model import Library

ATOM = "{http://www.w3.org/2005/Atom}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
BASE = "https://service.example"


def bare_generator() -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(BASE)
    fg.title("t")
    fg.link(href=BASE)
    fg.description("d")
    return fg


def bare_entry(fg: FeedGenerator, title: str = "e", **kwargs: str) -> FeedEntry:
    fe = fg.add_entry(**kwargs)
    fe.id(f"{BASE}/{title}")
    fe.title(title)
    fe.content("<p>x</p>", type="html")
    return fe


@pytest.fixture
def library(make_content: ContentFactory) -> Library:
    root = make_content({
        "articles/later.md": article("Later", published="2026-11-20",
                                     extra="updated: 2026-11-26\n"),
        "tips/sleep.yaml": tip("sleep-1", extra="article: later"),
        "tips/anxiety.yaml": None,
    })
    return loader.load(root, today=TODAY)


@pytest.fixture
def articles(library: Library) -> feeds.Feed:
    return feeds.articles_feed(library, BASE)


def test_naive_datetimes_raise_so_every_feed_date_is_zoned(articles: feeds.Feed,
                                                           library: Library) -> None:
    with pytest.raises(ValueError, match="timezone"):
        FeedEntry().published(dt.datetime(2026, 11, 27))
    tips = feeds.tips_feed(library, BASE, TODAY)
    dates = [articles.updated, tips.updated]
    dates += [d for f in (articles, tips) for i in f.items for d in (i.published, i.updated)]
    assert all(d.tzinfo is not None and d.utcoffset() is not None for d in dates)


def test_add_entry_prepends_by_default_so_entries_are_appended(articles: feeds.Feed) -> None:
    fg = bare_generator()
    bare_entry(fg, "first")
    bare_entry(fg, "second")
    assert [e.title() for e in fg.entry()] == ["second", "first"]
    items = etree.fromstring(render_rss(articles)).findall("channel/item")
    assert [i.findtext("title") for i in items] == [i.title for i in articles.items]
    assert [i.title for i in articles.items] == ["Later", "Calm Down", "Sleep Better"]


def test_atom_content_cdata_type_is_invalid_so_content_is_html(articles: feeds.Feed) -> None:
    fg = bare_generator()
    bare_entry(fg).content("<p>x</p>", type="CDATA")
    assert b'<content type="CDATA">' in fg.atom_str()
    body = render_atom(articles)
    types = [c.get("type") for c in etree.fromstring(body).iter(f"{ATOM}content")]
    assert types == ["html"] * len(articles.items)
    assert b"CDATA" not in body and b"CDATA" not in render_rss(articles)


def test_entry_links_lose_rel_and_type_so_they_are_restored(library: Library) -> None:
    fg = bare_generator()
    bare_entry(fg).link([{"href": f"{BASE}/a", "rel": "alternate", "type": "text/html"},
                         {"href": f"{BASE}/b", "rel": "related"}])
    trap = etree.fromstring(fg.atom_str()).findall(f"{ATOM}entry/{ATOM}link")
    assert [x.get("rel") for x in trap] == [None, None]
    entry = etree.fromstring(render_atom(feeds.tips_feed(library, BASE, TODAY))).find(
        f"{ATOM}entry")
    links = [(x.get("rel"), x.get("type"), x.get("href"), x.get("title"))
             for x in entry.findall(f"{ATOM}link")]
    assert links == [("alternate", "text/html", f"{BASE}/tips/2026-11-27", None),
                     ("related", "text/html", f"{BASE}/articles/later", "Later")]


def test_updated_without_published_gives_no_pubdate_so_both_are_set(
        articles: feeds.Feed) -> None:
    fg = bare_generator()
    bare_entry(fg).updated(dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
    assert etree.fromstring(fg.rss_str()).find("channel/item/pubDate") is None
    items = etree.fromstring(render_rss(articles)).findall("channel/item")
    assert [i.findtext("pubDate") for i in items] == [
        "Fri, 20 Nov 2026 00:00:00 +0000", "Tue, 10 Nov 2026 00:00:00 +0000",
        "Sun, 01 Nov 2026 00:00:00 +0000"]


def test_build_dates_default_to_now_so_they_come_from_the_content(
        articles: feeds.Feed) -> None:
    fg = bare_generator()
    entry = bare_entry(fg)
    # Never set, yet present: feedgen filled both in from the clock.
    assert fg.updated() is not None and entry.updated() is not None
    channel = etree.fromstring(render_rss(articles)).find("channel")
    assert channel.findtext("lastBuildDate") == "Thu, 26 Nov 2026 00:00:00 +0000"
    atom = etree.fromstring(render_atom(articles))
    assert atom.findtext(f"{ATOM}updated") == "2026-11-26T00:00:00+00:00"
    assert [e.findtext(f"{ATOM}updated") for e in atom.findall(f"{ATOM}entry")] == [
        "2026-11-26T00:00:00+00:00", "2026-11-10T00:00:00+00:00",
        "2026-11-01T00:00:00+00:00"]
    assert render_atom(articles) == render_atom(articles)


def test_description_overwrites_atom_content_so_the_summary_is_set_apart(
        articles: feeds.Feed) -> None:
    fg = bare_generator()
    fe = bare_entry(fg)
    fe.description("short")
    assert fe.content() == {"content": "short"}
    fe.content("<p>full</p>", type="html")
    fe.description("short", isSummary=True)
    assert fe.content() == {"content": "<p>full</p>", "type": "html"}
    entry = etree.fromstring(render_atom(articles)).find(f"{ATOM}entry")
    item = articles.items[0]
    assert entry.findtext(f"{ATOM}content") == item.content_html
    assert entry.findtext(f"{ATOM}summary") == item.summary
    assert entry.findtext(f"{ATOM}content") != entry.findtext(f"{ATOM}summary")


def test_channel_link_is_the_last_link_added_so_the_page_link_goes_last(
        articles: feeds.Feed) -> None:
    fg = bare_generator()
    fg.link(href=f"{BASE}/feed.rss", rel="self")
    assert etree.fromstring(fg.rss_str()).findtext("channel/link") == f"{BASE}/feed.rss"
    channel = etree.fromstring(render_rss(articles)).find("channel")
    assert channel.findtext("link") == f"{BASE}/articles"


def test_rss_author_needs_an_email_so_authors_are_dc_creator(articles: feeds.Feed) -> None:
    fg = bare_generator()
    bare_entry(fg).author(name="Smart Meditation editorial team")
    assert etree.fromstring(fg.rss_str()).find("channel/item/author") is None
    items = etree.fromstring(render_rss(articles)).findall("channel/item")
    assert {i.findtext(DC_CREATOR) for i in items} == {"Smart Meditation editorial team"}
    assert all(i.find("author") is None for i in items)
