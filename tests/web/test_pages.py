import datetime as dt
from collections.abc import Iterator

import lxml.html
import pytest
from starlette.testclient import TestClient

from helpers import ContentFactory, article, fixed_clock, tip
from smartmed.app import create_app
from smartmed.settings import Settings

BASE = "https://service.example"
PAGES = ["/articles", "/articles/sleep-better", "/topics", "/topics/sleep", "/tips",
         "/tips/2026-11-27", "/"]
MEDICAL = article("Medicine and Mood", topics="[anxiety]", published="2026-11-15",
                  body="Some **careful** words.\n\n<script>alert(1)</script>\n").replace(
    "medical: false", "medical: true")
HOSTILE_TITLE = "<script>alert('x')</script> & <b>bold</b>"


@pytest.fixture
def hostile(make_content: ContentFactory) -> Iterator[TestClient]:
    site = (make_content().joinpath("site.yaml").read_text()
            .replace("title: Sleep", 'title: "<i>Sleep</i> & rest"'))
    root = make_content({
        "site.yaml": site,
        "articles/hostile.md": article(f'"{HOSTILE_TITLE}"', published="2026-11-20"),
        "tips/sleep.yaml": tip("evil", text="Breathe <img src=x onerror=alert(1)> slowly."),
        "tips/anxiety.yaml": None,
    }, name="hostile")
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        yield client


def doc(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.text)


# -- headers every page carries ---------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_html_with_strict_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["etag"].startswith('"')
    assert response.headers["x-content-version"]
    assert response.text.startswith("<!doctype html>")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_no_inline_script_or_style_and_no_external_hosts(
        client: TestClient, path: str) -> None:
    page = doc(client.get(path))
    # The one inline script allowed is a JSON-LD data block: browsers never run it.
    assert page.xpath("//script[not(@src)][not(@type='application/ld+json')]") == []
    assert page.xpath("//style | //*[@style]") == []
    assert not [a for a in page.xpath("//@*") if a.attrname.startswith("on")]
    sources = page.xpath("//script/@src | //link[@rel='stylesheet']/@href")
    assert sources and all(src.startswith("/") for src in sources)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_advertises_the_rss_atom_and_json_feeds(client: TestClient, path: str) -> None:
    links = doc(client.get(path)).xpath("//head/link[@rel='alternate'][@type]")
    found = {(link.get("type"), link.get("href")) for link in links}
    for name in ("tips", "articles"):
        assert ("application/rss+xml", f"{BASE}/feeds/{name}.rss") in found
        assert ("application/atom+xml", f"{BASE}/feeds/{name}.atom") in found
        assert ("application/feed+json", f"{BASE}/feeds/{name}.json") in found
    assert all(link.get("title") for link in links)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_semantic_and_mobile_friendly(client: TestClient, path: str) -> None:
    page = doc(client.get(path))
    assert page.get("lang") == "en"
    assert page.xpath("//meta[@name='viewport']/@content") == [
        "width=device-width, initial-scale=1"]
    assert page.xpath("//meta[@name='color-scheme']/@content") == ["light dark"]
    assert len(page.xpath("//main")) == 1 and len(page.xpath("//h1")) == 1
    assert page.xpath("//header//nav[@aria-label='Main']")
    assert page.xpath("//a[@href='#main']")


def test_a_page_answers_if_none_match_with_304(client: TestClient) -> None:
    first = client.get("/articles/sleep-better")
    again = client.get("/articles/sleep-better", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["etag"] == first.headers["etag"]
    assert again.content == b""


def test_a_page_is_rendered_once_and_served_identically(client: TestClient) -> None:
    first, second = client.get("/articles"), client.get("/articles")
    assert first.headers["etag"] == second.headers["etag"]
    assert first.content == second.content


def test_pages_are_gzipped_for_clients_that_accept_it(client: TestClient) -> None:
    response = client.get("/articles/sleep-better", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "Sleep Better" in response.text


# -- articles and topics ----------------------------------------------------------------

def test_article_page_shows_body_review_metadata_and_topic_links(client: TestClient) -> None:
    response = client.get("/articles/sleep-better")
    assert response.status_code == 200
    page = doc(response)
    assert page.xpath("string(//h1)") == "Sleep Better"
    assert page.xpath("//article/@lang") == ["en"]
    assert "Keep a steady wake time." in page.xpath("string(//div[@class='prose'])")
    review = page.xpath("string(//dl[@class='review'])")
    for text in ("Smart Meditation editorial team", "Awaiting clinical review",
                 "2 November 2026", "2 May 2027", "1 November 2026"):
        assert text in review
    assert "Reviewed by" not in response.text
    assert page.xpath("//dl//time/@datetime")[:2] == ["2026-11-02", "2027-05-02"]
    assert "/topics/sleep" in page.xpath("//footer[@class='reading-footer']//a/@href")
    assert page.xpath("//link[@rel='canonical']/@href") == [f"{BASE}/articles/sleep-better"]
    assert page.xpath("//aside[contains(@class, 'disclaimer')]") == []


def test_medical_article_shows_the_disclaimer_and_a_sanitized_body(
        make_content: ContentFactory) -> None:
    root = make_content({"articles/medicine-and-mood.md": MEDICAL})
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        response = client.get("/articles/medicine-and-mood")
    assert response.status_code == 200
    page = doc(response)
    assert "not medical advice" in page.xpath("string(//aside[@class='disclaimer'])")
    assert page.xpath("//div[@class='prose']//strong/text()") == ["careful"]
    assert page.xpath("//div[@class='prose']//script") == []
    assert "&lt;script&gt;" in response.text


def test_articles_page_lists_every_article_newest_first(client: TestClient) -> None:
    response = client.get("/articles")
    assert response.status_code == 200
    page = doc(response)
    assert page.xpath("//article//h2/a/text()") == ["Calm Down", "Sleep Better"]
    assert page.xpath("//article//h2/a/@href") == ["/articles/calm-down",
                                                   "/articles/sleep-better"]
    assert page.xpath("//nav[@aria-label='Topics']//a[@aria-current='page']/text()") == [
        "All articles"]


def test_topic_page_lists_its_articles_and_its_own_feeds(client: TestClient) -> None:
    response = client.get("/topics/anxiety")
    assert response.status_code == 200
    page = doc(response)
    assert page.xpath("string(//h1)") == "Anxiety"
    assert page.xpath("//article//h2/a/text()") == ["Calm Down"]
    assert f"{BASE}/feeds/topics/anxiety.atom" in page.xpath("//link[@rel='alternate']/@href")


def test_an_empty_topic_page_has_a_friendly_note(make_content: ContentFactory) -> None:
    root = make_content({"articles/calm-down.md": None})
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        response = client.get("/topics/anxiety")
    assert response.status_code == 200
    assert "No articles on this topic yet." in doc(response).xpath("string(//p[@class='empty'])")


def test_topics_page_lists_topics_with_counts(client: TestClient) -> None:
    response = client.get("/topics")
    assert response.status_code == 200
    tiles = [" ".join(tile.text_content().split())
             for tile in doc(response).xpath("//a[@class='topic-tile']")]
    assert tiles == ["Sleep 1 article · 5 tips", "Anxiety 1 article · 3 tips",
                     "Stress 1 article · 0 tips"]


# -- tips -------------------------------------------------------------------------------

def test_tip_page_shows_that_days_tip_with_attribution(client: TestClient) -> None:
    expected = client.get("/v1/tips/2026-11-27").json()["tip"]
    response = client.get("/tips/2026-11-27")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=3600"
    page = doc(response)
    assert page.xpath("string(//h1)") == "Tip for 27 November 2026"
    assert page.xpath("string(//figure[1]//blockquote)").strip() == expected["text"]
    assert page.xpath("string(//p[@class='attribution'])") == \
        "From Smart Meditation. Awaiting clinical review."
    assert page.xpath("//a[@rel='prev']/@href") == ["/tips/2026-11-26"]
    assert page.xpath("//a[@rel='next']/@href") == ["/tips/2026-11-28"]


def test_tip_page_lists_the_topic_rotations_tips_of_that_day(client: TestClient) -> None:
    anxiety = client.get("/v1/tips/2026-11-27?topic=anxiety").json()["tip"]["text"]
    page = doc(client.get("/tips/2026-11-27"))
    texts = [t.strip() for t in page.xpath("//figure//blockquote/p/text()")]
    assert anxiety in texts


def test_an_old_tip_page_is_cached_for_a_day(client: TestClient) -> None:
    response = client.get("/tips/2026-10-01")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=86400"


def test_the_newest_tip_page_is_tomorrow_in_the_earliest_time_zone(client: TestClient) -> None:
    # At 12:00 UTC it is already the 28th in UTC+14; the 29th has begun nowhere.
    newest = client.get("/tips/2026-11-28")
    assert newest.status_code == 200
    assert doc(newest).xpath("//a[@rel='next']") == []
    assert client.get("/tips/2026-11-29").status_code == 404


def test_tips_today_redirects_to_the_sites_date(client: TestClient) -> None:
    response = client.get("/tips/today", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/tips/2026-11-27"
    assert response.headers["cache-control"] == "public, max-age=60"


def test_tips_today_keeps_a_partners_utm_tags(client: TestClient) -> None:
    response = client.get("/tips/today?utm_source=calm-clinic&utm_medium=widget",
                          follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == (
        "/tips/2026-11-27?utm_source=calm-clinic&utm_medium=widget")
    assert client.get(response.headers["location"]).status_code == 200


def test_tips_archive_lists_every_day_up_to_today_newest_first(client: TestClient) -> None:
    response = client.get("/tips")
    assert response.status_code == 200
    assert int(response.headers["cache-control"].split("=")[1]) <= 300
    page = doc(response)
    days = page.xpath("//ol[@class='tip-list']//time/@datetime")
    start = dt.date(2026, 1, 1)
    assert days[0] == "2026-11-27" and days[-1] == start.isoformat()
    assert len(days) == (dt.date(2026, 11, 27) - start).days + 1
    assert page.xpath("//section[@class='month']/h2/text()")[:2] == ["November 2026",
                                                                      "October 2026"]
    assert page.xpath("//span[@class='badge']/text()") == ["Today"]


# -- errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/articles/no-such-article", "/topics/no-such-topic", "/tips/2026-11-31", "/tips/bogus",
    "/tips/2025-06-01", "/tips/2030-01-01", "/articles/a/b", "/topics/sleep/more",
])
def test_unknown_pages_get_a_friendly_html_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    page = doc(response)
    assert page.xpath("string(//h1)") == "Page not found"
    assert page.xpath("//a[@href='/articles']")
    assert page.xpath("//link[@rel='canonical']") == []


def test_the_404_page_says_what_was_missing_without_repeating_the_path(
        client: TestClient) -> None:
    response = client.get("/articles/%3Cb%3Ehi-probe")
    assert response.status_code == 404
    assert "There is no article at this address" in response.text
    assert "hi-probe" not in response.text
    assert doc(response).xpath("//main//b") == []


@pytest.mark.parametrize("path", ["/v1/articles/nope", "/v1/nope", "/feeds/nope.rss"])
def test_api_and_feed_errors_stay_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


# -- autoescaping -----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/articles", "/articles/hostile", "/topics", "/topics/sleep",
                                  "/tips/2026-11-27", "/tips", "/"])
def test_hostile_content_is_escaped_on_every_page(hostile: TestClient, path: str) -> None:
    response = hostile.get(path)
    assert response.status_code == 200
    page = doc(response)
    # The one inline script allowed is a JSON-LD data block: browsers never run it.
    assert page.xpath("//script[not(@src)][not(@type='application/ld+json')]") == []
    assert page.xpath("//main//b | //main//i | //img") == []
    assert "<script>alert" not in response.text and "<i>Sleep" not in response.text


def test_a_hostile_title_reads_as_text(hostile: TestClient) -> None:
    page = doc(hostile.get("/articles/hostile"))
    assert page.xpath("string(//h1)") == HOSTILE_TITLE
    assert page.xpath("string(//title)").startswith(HOSTILE_TITLE)
