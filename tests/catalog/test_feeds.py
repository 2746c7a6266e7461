"""Feeds built from content: RSS 2.0, Atom and JSON Feed 1.1, checked against their specs."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import tempfile
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from lxml import etree

from helpers import REVIEWERS, SITE, TODAY, ContentFactory, article, tip
from smartmed.catalog import feeds
from smartmed.content import bundled, loader
from smartmed.content.model import Library

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://service.example"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
                    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
                    r"\d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


# -- structural checks against each specification's required elements ---------------------

def check_rss(body: bytes) -> etree._Element:
    """RSS 2.0 (rssboard.org): required channel and item elements, plus what we promise."""
    root = etree.fromstring(body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    [channel] = root.findall("channel")
    for name in ("title", "link", "description", "language", "ttl", "lastBuildDate"):
        assert len(channel.findall(name)) == 1, name
        assert channel.findtext(name).strip(), name
    assert int(channel.findtext("ttl")) > 0
    [self_link] = [x for x in channel.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert self_link.get("type") == "application/rss+xml"
    assert RFC822.match(channel.findtext("lastBuildDate"))
    guids = []
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")
        [guid] = item.findall("guid")
        guids.append(guid.text)
        assert RFC822.match(item.findtext("pubDate"))
    assert len(set(guids)) == len(guids)
    dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in channel.findall("item")]
    if dates:
        # The newest change: an updated article can be newer than every pubDate.
        assert parsedate_to_datetime(channel.findtext("lastBuildDate")) >= max(dates)
    return channel


def check_atom(body: bytes) -> etree._Element:
    """Atom (RFC 4287 §4.1): required feed and entry elements, plus what we promise."""
    root = etree.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    assert root.get(XML_LANG)
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}author/{ATOM}name").text  # so no entry needs its own
    [self_link] = [x for x in root.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert self_link.get("type") == "application/atom+xml"
    ids, updated = [], []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        ids.append(entry.findtext(f"{ATOM}id"))
        updated.append(dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")))
        for name in ("updated", "published"):
            assert RFC3339.match(entry.findtext(f"{ATOM}{name}"))
        for content in entry.findall(f"{ATOM}content") + entry.findall(f"{ATOM}summary"):
            assert content.get("type") in {"text", "html", "xhtml"}
        alternates = [x for x in entry.findall(f"{ATOM}link")
                      if x.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1  # RFC 4287 §4.1.1: at most one per type and language
        assert entry.find(f"{ATOM}content") is not None
    assert len(set(ids)) == len(ids)
    if updated:
        assert dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == max(updated)
    return root


def check_json(body: bytes) -> dict[str, Any]:
    """JSON Feed 1.1 (jsonfeed.org/version/1.1): required keys and their types."""
    doc: dict[str, Any] = json.loads(body)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(doc["title"], str) and doc["title"]
    assert doc["feed_url"].endswith(".json") and doc["home_page_url"].startswith("https://")
    assert doc["language"]
    assert all(a["name"] for a in doc["authors"])
    ids = []
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"]
        ids.append(item["id"])
        assert item.get("content_html") or item.get("content_text")
        assert RFC3339.match(item["date_published"]) and RFC3339.match(item["date_modified"])
        assert all(isinstance(t, str) for t in item["tags"])
    assert len(set(ids)) == len(ids)
    return doc


def parse(body: bytes, version: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    return parsed


# -- content --------------------------------------------------------------------------------

def build(root: Path, today: dt.date = TODAY) -> Library:
    return loader.load(root, today=today)


@pytest.fixture
def library(make_content: ContentFactory) -> Library:
    return build(make_content({
        "articles/medical-one.md": article(
            "Meds & <Sleep>", topics="[sleep, anxiety]", published="2026-11-20",
            extra="updated: 2026-11-25\nsummary: Short & sweet <summary>\n"
                  "canonical_url: https://smartmeditation.example/medical-one\n",
        ).replace("medical: false", "medical: true"),
        "tips/sleep.yaml": tip("sleep-1", extra="article: medical-one")
        + "".join(tip(f"sleep-{n}") for n in range(2, 6)),
    }))


def tips_feed(library: Library, today: dt.date = TODAY) -> feeds.Feed:
    return feeds.tips_feed(library, BASE, today)


def test_tips_feed_has_one_item_per_day_for_thirty_days_ending_today(library: Library) -> None:
    out = feeds.render(tips_feed(library))
    days = [TODAY - dt.timedelta(days=n) for n in range(30)]
    ids = [f"{BASE}/tips/{d.isoformat()}" for d in days]
    rss = parse(out["rss"], "rss20")
    atom = parse(out["atom"], "atom10")
    doc = check_json(out["json"])
    assert [e.id for e in rss.entries] == ids
    assert [e.id for e in atom.entries] == ids
    assert [i["id"] for i in doc["items"]] == ids
    assert rss.entries[0].published_parsed[:3] == (2026, 11, 27)
    assert atom.entries[-1].updated_parsed[:3] == days[-1].timetuple()[:3]
    assert [i["date_published"] for i in doc["items"]][:2] == [
        "2026-11-27T00:00:00+00:00", "2026-11-26T00:00:00+00:00"]
    check_rss(out["rss"])
    check_atom(out["atom"])


@pytest.mark.parametrize(("zone", "newest"), [
    ("Pacific/Auckland", "2026-11-28T00:00:00+13:00"),  # already the 28th there at 12:00 UTC
    ("America/Los_Angeles", "2026-11-27T00:00:00-08:00"),
])
def test_tips_feed_days_start_at_midnight_in_the_site_time_zone_and_never_run_ahead(
        make_content: ContentFactory, zone: str, newest: str) -> None:
    root = make_content({"site.yaml": SITE.replace("Europe/London", zone)})
    lib = build(root)
    today = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC).astimezone(ZoneInfo(zone)).date()
    doc = check_json(feeds.render(tips_feed(lib, today))["json"])
    assert doc["items"][0]["date_published"] == newest
    assert len(doc["items"]) == 30
    assert doc["items"][0]["id"] == f"{BASE}/tips/{newest[:10]}"
    channel = check_rss(feeds.render(tips_feed(lib, today))["rss"])
    assert channel.findtext("lastBuildDate") == channel.find("item").findtext("pubDate")


def test_tip_with_an_article_links_to_it_in_every_format(library: Library) -> None:
    feed = tips_feed(library)
    [day] = [i.id for i in feed.items if i.related][:1]
    out = feeds.render(feed)
    url = "https://smartmeditation.example/medical-one"
    atom = check_atom(out["atom"])
    entry = next(e for e in atom.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == day)
    related = [x for x in entry.findall(f"{ATOM}link") if x.get("rel") == "related"]
    assert [(x.get("href"), x.get("type")) for x in related] == [(url, "text/html")]
    rss = check_rss(out["rss"])
    item = next(i for i in rss.findall("item") if i.findtext("guid") == day)
    assert item.findtext("link") == day
    assert f'<a href="{url}">Learn more: Meds &amp; &lt;Sleep&gt;</a>' in item.findtext(CONTENT)
    doc = check_json(out["json"])
    assert next(i for i in doc["items"] if i["id"] == day)["external_url"] == url


def test_tips_feed_with_no_tips_is_valid_and_dated_today(make_content: ContentFactory) -> None:
    lib = build(make_content({"tips/sleep.yaml": None, "tips/anxiety.yaml": None}))
    out = feeds.render(tips_feed(lib))
    assert parse(out["rss"], "rss20").entries == []
    assert check_atom(out["atom"]).findtext(f"{ATOM}updated") == "2026-11-27T00:00:00+00:00"
    assert check_json(out["json"])["items"] == []


def test_articles_feed_carries_summary_full_html_author_topics_and_dates(
        library: Library) -> None:
    feed = feeds.articles_feed(library, BASE)
    out = feeds.render(feed)
    art = library.article("medical-one")
    assert art is not None
    full = feeds.article_html(library.site, art)
    assert full.startswith(art.html) and library.site.disclaimer in full

    channel = check_rss(out["rss"])
    item = channel.find("item")
    assert item.findtext("guid") == f"{BASE}/articles/medical-one"
    assert item.find("guid").get("isPermaLink") == "true"
    assert item.findtext("link") == "https://smartmeditation.example/medical-one"
    assert item.findtext("description") == "Short &amp; sweet &lt;summary&gt;"
    assert item.findtext(CONTENT) == full
    assert item.findtext(DC_CREATOR) == "Smart Meditation editorial team"
    assert [c.text for c in item.findall("category")] == ["Sleep", "Anxiety"]
    assert item.findtext("pubDate") == "Fri, 20 Nov 2026 00:00:00 +0000"
    assert channel.findtext("lastBuildDate") == "Wed, 25 Nov 2026 00:00:00 +0000"

    entry = check_atom(out["atom"]).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}content").get("type") == "html"
    assert entry.findtext(f"{ATOM}content") == full
    assert entry.findtext(f"{ATOM}summary") == "Short &amp; sweet &lt;summary&gt;"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Smart Meditation editorial team"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["sleep", "anxiety"]
    assert entry.findtext(f"{ATOM}published") == "2026-11-20T00:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2026-11-25T00:00:00+00:00"

    item_doc = check_json(out["json"])["items"][0]
    assert item_doc["summary"] == "Short & sweet <summary>"
    assert item_doc["content_html"] == full
    assert item_doc["authors"] == [{"name": "Smart Meditation editorial team"}]
    assert item_doc["tags"] == ["Sleep", "Anxiety"]
    assert item_doc["date_modified"] == "2026-11-25T00:00:00+00:00"

    parsed = parse(out["atom"], "atom10")
    assert parsed.entries[0].author == "Smart Meditation editorial team"
    assert parse(out["rss"], "rss20").entries[0].author == "Smart Meditation editorial team"


def test_articles_feed_holds_the_newest_fifty(make_content: ContentFactory) -> None:
    files = {f"articles/a-{n:02d}.md": article(f"Article {n}",
                                               published=f"2026-10-{n % 28 + 1:02d}")
             for n in range(55)}
    lib = build(make_content(files))
    out = feeds.render(feeds.articles_feed(lib, BASE))
    newest = [f"{BASE}/articles/{a.slug}" for a in lib.articles[:50]]
    assert [e.id for e in parse(out["rss"], "rss20").entries] == newest
    assert [e.id for e in parse(out["atom"], "atom10").entries] == newest
    assert [i["id"] for i in check_json(out["json"])["items"]] == newest


def test_every_topic_has_a_feed_of_its_articles_only(library: Library) -> None:
    built = {f.name: f for f in feeds.article_feeds(library, BASE)
             if f.lang == library.site.default_lang}
    assert set(built) == {"articles", "topics/sleep", "topics/anxiety", "topics/stress"}
    stress = feeds.render(built["topics/stress"])
    assert [e.id for e in parse(stress["atom"], "atom10").entries] == [
        f"{BASE}/articles/calm-down"]
    assert check_json(stress["json"])["feed_url"] == f"{BASE}/feeds/topics/stress.json"
    assert check_rss(stress["rss"]).findtext("link") == f"{BASE}/topics/stress"


def test_empty_topic_feed_is_valid_and_dated_by_the_content(make_content: ContentFactory) -> None:
    lib = build(make_content({"articles/calm-down.md": None}))
    feed = feeds.articles_feed(lib, BASE, lib.site.topic("stress"))
    out = feeds.render(feed)
    assert parse(out["rss"], "rss20").entries == []
    assert check_rss(out["rss"]).findtext("lastBuildDate") == "Sun, 01 Nov 2026 00:00:00 +0000"
    check_atom(out["atom"])


def test_channel_links_self_links_language_and_ttl(library: Library) -> None:
    out = feeds.render(feeds.articles_feed(library, BASE))
    channel = check_rss(out["rss"])
    assert channel.findtext("link") == f"{BASE}/articles"
    assert channel.find(f"{ATOM}link").get("href") == f"{BASE}/feeds/articles.rss"
    assert channel.findtext("language") == "en"
    assert channel.findtext("ttl") == "60"
    atom = check_atom(out["atom"])
    links = {x.get("rel"): x.get("href") for x in atom.findall(f"{ATOM}link")}
    assert links == {"self": f"{BASE}/feeds/articles.atom", "alternate": f"{BASE}/articles"}
    assert atom.get(XML_LANG) == "en"
    assert parse(out["atom"], "atom10").feed.language == "en"
    assert check_json(out["json"])["feed_url"] == f"{BASE}/feeds/articles.json"


def test_same_content_gives_the_same_bytes(make_content: ContentFactory) -> None:
    root = make_content()
    first = [feeds.render(f) for f in feeds.article_feeds(build(root), BASE)]
    again = [feeds.render(f) for f in feeds.article_feeds(build(root, TODAY.replace(day=28)),
                                                          BASE)]
    assert first == again
    lib = build(root)
    assert feeds.render(tips_feed(lib)) == feeds.render(tips_feed(lib))


def test_autodiscovery_links_render_in_a_jinja_template(library: Library) -> None:
    links = feeds.alternate_links(BASE + "/", library.site)
    assert [(href.rsplit("/", 1)[1], kind) for href, kind, _ in links] == [
        ("tips.rss", "application/rss+xml"), ("tips.atom", "application/atom+xml"),
        ("tips.json", "application/feed+json"), ("articles.rss", "application/rss+xml"),
        ("articles.atom", "application/atom+xml"), ("articles.json", "application/feed+json")]
    assert links[0].title == "Smart Meditation: tip of the day (RSS)"
    topic = library.site.topic("sleep")
    assert topic is not None
    assert [x.href for x in feeds.topic_alternate_links(BASE, library.site, topic)] == [
        f"{BASE}/feeds/topics/sleep.rss", f"{BASE}/feeds/topics/sleep.atom",
        f"{BASE}/feeds/topics/sleep.json"]
    template = Environment(autoescape=True).from_string(
        '{% for href, type, title in links %}<link rel="alternate" type="{{ type }}" '
        'title="{{ title }}" href="{{ href }}">{% endfor %}')
    site = library.site.__class__(**{**library.site.__dict__, "name": 'Calm "&" <Co>'})
    rendered = template.render(links=feeds.alternate_links(BASE, site))
    assert 'title="Calm &#34;&amp;&#34; &lt;Co&gt;: tip of the day (RSS)"' in rendered
    assert rendered.count("<link ") == 6


# -- any text survives every format, or the content check refuses it ------------------------

AWKWARD = st.sampled_from(["&", "&amp;", "<", ">", "<b>", "]]>", '"', "'", "😀", "🧘🏽‍♀️",
                           "שלום", "مرحبا", "\u202e", "\u200f", "\r", "\t", "\n",
                           "\u2028", "\ufeff", "  "])
CONTROLS = st.sampled_from(["\x00", "\x08", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff"])
CLEAN = st.lists(
    st.one_of(AWKWARD, st.characters(codec="utf-8", exclude_categories=["Cc", "Cn"])),
    min_size=1, max_size=30,
).map("".join).filter(str.strip)
FUZZ = settings(max_examples=60, deadline=None)


def write_content(root: Path, tip_text: str, title: str, summary: str, body: str) -> None:
    front = yaml.safe_dump({
        "title": title, "summary": summary, "topics": ["sleep"], "lang": "en",
        "author": "Smart Meditation editorial team", "reviewed_by": "clinical-reviewer",
        "published": "2026-11-01", "last_reviewed": "2026-11-02", "next_review": "2027-11-02",
        "medical": False})
    tips = yaml.safe_dump([{"id": "only", "text": tip_text, "topic": "sleep",
                            "added": "2026-01-01", "article": "fuzzed",
                            "technique": "only"}])
    (root / "articles").mkdir(parents=True)
    (root / "tips").mkdir()
    (root / "site.yaml").write_text(SITE, encoding="utf-8")
    (root / "partners.yaml").write_text("[]\n", encoding="utf-8")
    (root / "reviewers.yaml").write_text(REVIEWERS, encoding="utf-8")
    (root / "articles" / "fuzzed.md").write_text(f"---\n{front}---\n\n{body}\n",
                                                 encoding="utf-8", newline="")
    (root / "tips" / "tips.yaml").write_text(tips, encoding="utf-8", newline="")


def content_root(tip_text: str, title: str, summary: str, body: str) -> Path:
    # A fresh directory per example: hypothesis runs many examples in one test call.
    root = Path(tempfile.mkdtemp(prefix="smartmed-feeds-"))
    write_content(root, tip_text, title, summary, body)
    return root


@FUZZ
@given(field=st.sampled_from(["text", "title", "summary", "body"]), clean=CLEAN,
       control=CONTROLS, at=st.integers(0, 30))
def test_text_with_control_characters_is_refused_by_the_content_check(
        field: str, clean: str, control: str, at: int) -> None:
    texts = {"text": "A tip.", "title": "A title", "summary": "A summary.", "body": "A body."}
    texts[field] = clean[:at] + control + clean[at:]
    root = content_root(texts["text"], texts["title"], texts["summary"], texts["body"])
    try:
        lib, report = loader.check(root, today=TODAY)
    finally:
        shutil.rmtree(root)
    assert lib is None
    assert f"control character U+{ord(control):04X}" in str(report.errors)
    assert field in {p.field for p in report.errors}


@FUZZ
@given(tip_text=CLEAN, title=CLEAN, summary=CLEAN, body=CLEAN)
def test_any_text_survives_all_three_formats_intact(tip_text: str, title: str,
                                                    summary: str, body: str) -> None:
    root = content_root(tip_text, title, summary, body)
    try:
        lib = loader.load(root, today=TODAY)
    finally:
        shutil.rmtree(root)
    art, [the_tip] = lib.articles[0], lib.tips
    assert (the_tip.text, art.title, art.summary) == (
        tip_text.strip(), title.strip(), summary.strip())
    full_html = feeds.article_html(lib.site, art)
    tips_out = feeds.render(feeds.tips_feed(lib, BASE, TODAY))
    arts_out = feeds.render(feeds.articles_feed(lib, BASE))

    item = check_rss(tips_out["rss"]).find("item")
    assert item.findtext("description") == html.escape(the_tip.text, quote=False)
    entry = check_atom(tips_out["atom"]).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary") == html.escape(the_tip.text, quote=False)
    assert html.escape(the_tip.text, quote=False) in entry.findtext(f"{ATOM}content")
    assert check_json(tips_out["json"])["items"][0]["content_text"] == the_tip.text

    item = check_rss(arts_out["rss"]).find("item")
    assert item.findtext("title") == art.title
    assert item.findtext("description") == html.escape(art.summary, quote=False)
    assert item.findtext(CONTENT) == full_html
    entry = check_atom(arts_out["atom"]).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == art.title
    assert entry.findtext(f"{ATOM}content") == full_html
    doc = check_json(arts_out["json"])["items"][0]
    assert (doc["title"], doc["summary"], doc["content_html"]) == (
        art.title, art.summary, full_html)

    # feedparser reads them without complaint. Its text is not compared: it "repairs" what
    # looks like mojibake ("Â¡" comes back as "¡") and reads C1 controls as windows-1252.
    for out, first_id in ((tips_out, f"{BASE}/tips/2026-11-27"),
                          (arts_out, f"{BASE}/articles/fuzzed")):
        for fmt, version in (("rss", "rss20"), ("atom", "atom10")):
            parsed = parse(out[fmt], version)
            assert parsed.entries[0].id == first_id


def test_the_bundled_content_gives_valid_feeds_in_every_language() -> None:
    lib = build(bundled.content_dir())
    languages = lib.site.languages
    built = [*(feeds.tips_feed(lib, BASE, TODAY, lang=lang) for lang in languages),
             *feeds.article_feeds(lib, BASE)]
    assert len(built) == len(languages) * (2 + len(lib.site.topics))
    for feed in built:
        out = feeds.render(feed)
        count = len(feed.items)
        assert len(parse(out["rss"], "rss20").entries) == count
        assert len(parse(out["atom"], "atom10").entries) == count
        rss, atom = check_rss(out["rss"]), check_atom(out["atom"])
        assert len(rss.findall("item")) == count
        assert len(atom.findall(f"{ATOM}entry")) == count
        doc = check_json(out["json"])
        assert len(doc["items"]) == count
        # Each feed says its language, and every item in it is in that language.
        assert rss.findtext("language") == atom.get(XML_LANG) == doc["language"] == feed.lang
        assert {item["language"] for item in doc["items"]} <= {feed.lang}
        # Its addresses are that language's: /es/feeds/…, no prefix for the default.
        prefix = "" if feed.lang == lib.site.default_lang else f"/{feed.lang}"
        assert doc["feed_url"].startswith(f"{BASE}{prefix}/feeds/")
        assert all(item["id"].startswith(f"{BASE}{prefix}/") for item in doc["items"])
