"""/feeds/…: media types, caching headers, conditional GET, gzip, and the day turning over."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import feedparser
import pytest
from starlette.testclient import TestClient

from helpers import NOW, fixed_clock
from smartmed.app import create_app
from smartmed.ops.state import ServiceState
from smartmed.settings import Settings

TYPES = {"rss": "application/rss+xml; charset=utf-8",
         "atom": "application/atom+xml; charset=utf-8",
         "json": "application/feed+json; charset=utf-8"}
PATHS = [f"/feeds/{name}.{fmt}" for name in ("tips", "articles", "topics/sleep",
                                            "topics/anxiety", "topics/stress")
         for fmt in TYPES]


class MovableClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.mark.parametrize("path", PATHS)
def test_every_feed_is_served_with_its_media_type_and_cache_headers(
        client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"] == TYPES[path.rsplit(".", 1)[1]]
    assert response.headers["etag"].startswith('"') and not response.headers["etag"].startswith(
        "W/")
    assert response.headers["last-modified"].endswith(" GMT")
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert response.headers["x-content-version"]
    assert "Accept-Encoding" in response.headers["vary"]
    assert response.headers["access-control-allow-origin"] == "*"
    if path.endswith(".json"):
        assert response.json()["feed_url"] == f"https://service.example{path}"
    else:
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo
        assert parsed.version in {"rss20", "atom10"}


def test_tips_feed_is_dated_by_its_newest_day_not_by_the_request(client: TestClient) -> None:
    response = client.get("/feeds/tips.atom")
    assert response.status_code == 200
    assert response.headers["last-modified"] == "Fri, 27 Nov 2026 00:00:00 GMT"
    again = client.get("/feeds/tips.atom")
    assert again.headers["etag"] == response.headers["etag"]
    assert again.content == response.content
    assert b"<updated>2026-11-27T00:00:00+00:00</updated>" in response.content


@pytest.mark.parametrize("fmt", list(TYPES))
def test_if_none_match_alone_gives_304(client: TestClient, fmt: str) -> None:
    first = client.get(f"/feeds/articles.{fmt}")
    response = client.get(f"/feeds/articles.{fmt}",
                          headers={"if-none-match": first.headers["etag"]})
    assert response.status_code == 304
    assert response.headers["etag"] == first.headers["etag"]
    assert response.headers["x-content-version"] == first.headers["x-content-version"]
    assert response.content == b""


@pytest.mark.parametrize("fmt", list(TYPES))
def test_if_modified_since_alone_gives_304(client: TestClient, fmt: str) -> None:
    first = client.get(f"/feeds/tips.{fmt}")
    response = client.get(f"/feeds/tips.{fmt}",
                          headers={"if-modified-since": first.headers["last-modified"]})
    assert response.status_code == 304
    assert response.headers["last-modified"] == first.headers["last-modified"]
    assert response.content == b""


def test_changed_feeds_are_sent_in_full(client: TestClient) -> None:
    stale_tag = client.get("/feeds/tips.rss", headers={"if-none-match": '"0123456789abcdef"'})
    assert stale_tag.status_code == 200
    assert stale_tag.content.startswith(b"<?xml")
    older = client.get("/feeds/tips.rss",
                       headers={"if-modified-since": "Thu, 26 Nov 2026 23:59:59 GMT"})
    assert older.status_code == 200
    assert older.content == stale_tag.content


def test_feeds_are_gzipped_for_clients_that_accept_it(client: TestClient) -> None:
    plain = client.get("/feeds/articles.rss", headers={"accept-encoding": "identity"})
    zipped = client.get("/feeds/articles.rss", headers={"accept-encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert zipped.content == plain.content  # httpx has already decompressed it
    revalidate = client.get("/feeds/articles.rss", headers={
        "accept-encoding": "gzip", "if-none-match": zipped.headers["etag"]})
    assert revalidate.status_code == 304


@pytest.mark.parametrize(("path", "message"), [
    ("/feeds/topics/nope.rss", "topic: no such topic"),
    ("/feeds/topics/sleep.xml", "feed: topic feeds are .rss, .atom, .json"),
    ("/feeds/everything.rss", "feed: no such feed"),
    ("/feeds/tips.html", "feed: no such feed"),
])
def test_unknown_feeds_are_404_with_the_json_error_shape(client: TestClient, path: str,
                                                         message: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"].startswith(message)


def test_max_age_never_outlives_the_site_day(content_dir: Path) -> None:
    late = dt.datetime(2026, 11, 27, 23, 50, tzinfo=dt.UTC)  # 23:50 in Europe/London
    app = create_app(Settings(content_dir=content_dir), clock=fixed_clock(late))
    with TestClient(app) as client:
        for path in ("/feeds/tips.json", "/feeds/articles.json"):
            response = client.get(path)
            assert response.status_code == 200
            assert response.headers["cache-control"] == "public, max-age=600"


def test_the_daybreak_task_builds_the_new_days_tips_feed_without_a_restart(
        content_dir: Path) -> None:
    # A second before the site's midnight: the lifespan's task wakes at midnight and builds.
    before_midnight = dt.datetime(2026, 11, 27, 23, 59, 59, tzinfo=dt.UTC)  # London: UTC
    clock = MovableClock(before_midnight)
    app = create_app(Settings(content_dir=content_dir), clock=clock)
    with TestClient(app) as client:
        before = client.get("/feeds/tips.json")
        articles_before = client.get("/feeds/articles.json")
        clock.now = NOW + dt.timedelta(days=1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            after = client.get("/feeds/tips.json")
            if after.headers["etag"] != before.headers["etag"]:
                break
            time.sleep(0.1)
        revalidated = client.get("/feeds/tips.json",
                                 headers={"if-none-match": before.headers["etag"]})
        articles_after = client.get("/feeds/articles.json")
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert after.headers["last-modified"] == "Sat, 28 Nov 2026 00:00:00 GMT"
    assert [i["id"][-10:] for i in after.json()["items"]][:2] == ["2026-11-28", "2026-11-27"]
    assert len(after.json()["items"]) == 30
    assert revalidated.status_code == 200
    assert articles_after.headers["etag"] == articles_before.headers["etag"]


def test_a_feed_request_is_a_lookup_of_prebuilt_bytes(client: TestClient) -> None:
    state: ServiceState = client.app.state.service
    built = state.catalog.feed("topics/sleep", "atom")
    response = client.get("/feeds/topics/sleep.atom", headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    assert built is not None and response.content == built.body
    assert state.catalog.feed("topics/sleep", "atom") is built
