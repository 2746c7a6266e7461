import datetime as dt
import gzip
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpers import NOW, ContentFactory, article, fixed_clock, tip
from smartmed.app import create_app
from smartmed.settings import Settings

CALM = "https://calm.example.com"


def test_tip_of_a_day_has_text_attribution_and_links(client: TestClient) -> None:
    response = client.get("/v1/tips/2026-11-27")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    assert body["date"] == "2026-11-27"
    assert body["lang"] == "en"
    assert body["tip"]["url"] == "https://service.example/tips/2026-11-27"
    assert body["attribution"] == {
        "brand": "Smart Meditation",
        # Only a placeholder reviewer signed: no "reviewed by", an honest status instead.
        "reviewed_by": None,
        "review_status": "awaiting-clinical-review",
        "review_label": "Awaiting clinical review",
        "last_reviewed": "2026-11-01",
        "url": "https://service.example/tips/2026-11-27",
    }


def test_the_same_day_always_gives_the_same_tip_and_etag(client: TestClient) -> None:
    first = client.get("/v1/tips/2026-11-20")
    second = client.get("/v1/tips/2026-11-20")
    assert first.headers["etag"] == second.headers["etag"]
    assert first.content == second.content


def test_a_topic_filtered_tip_comes_from_that_topic(client: TestClient) -> None:
    for n in range(1, 10):
        body = client.get(f"/v1/tips/2026-11-{n:02d}?topic=anxiety").json()
        assert body["tip"]["topic"]["id"] == "anxiety"


def test_a_tip_links_to_its_article(make_content: ContentFactory) -> None:
    root = make_content({"tips/sleep.yaml": tip("only", extra="article: sleep-better"),
                         "tips/anxiety.yaml": None})
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        link = client.get("/v1/tips/2026-11-27").json()["tip"]["article"]
    assert link == {"slug": "sleep-better", "title": "Sleep Better",
                    "url": "https://service.example/articles/sleep-better",
                    "api_url": "/v1/articles/sleep-better"}


def test_today_follows_the_requested_time_zone(client: TestClient) -> None:
    # At 12:00 UTC it is already the 28th in Kiritimati (UTC+14) and still the 27th in Hawaii.
    ahead = client.get("/v1/tips/today?tz=Pacific/Kiritimati")
    behind = client.get("/v1/tips/today?tz=Pacific/Honolulu")
    assert ahead.json()["date"] == "2026-11-28"
    assert behind.json()["date"] == "2026-11-27"
    assert ahead.headers["cache-control"] == "public, max-age=3600"


def test_today_is_never_cached_past_its_midnight(content_dir: Path) -> None:
    late = dt.datetime(2026, 11, 27, 23, 50, tzinfo=dt.UTC)
    root_app = create_app(Settings(content_dir=content_dir), clock=fixed_clock(late))
    with TestClient(root_app) as client:
        response = client.get("/v1/tips/today?tz=Europe/London")
    assert response.headers["cache-control"] == "public, max-age=600"


def test_past_days_are_cached_long_and_current_days_at_most_an_hour(client: TestClient) -> None:
    assert client.get("/v1/tips/2026-11-01").headers["cache-control"] == "public, max-age=86400"
    assert client.get("/v1/tips/2026-11-27").headers["cache-control"] == "public, max-age=3600"


def test_tomorrow_in_the_earliest_zone_is_served_but_not_later(client: TestClient) -> None:
    assert client.get("/v1/tips/2026-11-28").status_code == 200
    response = client.get("/v1/tips/2026-11-29")
    assert response.status_code == 404
    assert "newest is 2026-11-28" in response.json()["error"]["message"]


def test_the_window_moves_with_the_clock_without_a_restart(content_dir: Path) -> None:
    now = [NOW]
    with TestClient(create_app(Settings(content_dir=content_dir), clock=lambda: now[0])) as c:
        assert c.get("/v1/tips/2026-12-05").status_code == 404
        now[0] = NOW + dt.timedelta(days=8)
        response = c.get("/v1/tips/2026-12-05")
        assert response.status_code == 200
        assert c.get("/v1/tips/today").json()["date"] == "2026-12-05"


def test_the_dates_of_a_second_are_those_of_the_clock_functions(content_dir: Path) -> None:
    from zoneinfo import ZoneInfo

    from smartmed.catalog import clock

    now = [dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.UTC)]  # London's DST begins
    app = create_app(Settings(content_dir=content_dir), clock=lambda: now[0])
    catalog = app.state.service.catalog
    london = ZoneInfo("Europe/London")
    for step in [0, 1, 3600, 9 * 3600, 86400 - 7200, 86400 * 200]:
        now[0] = dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.UTC) + dt.timedelta(
            seconds=step)
        dates = catalog.dates(now[0])
        assert dates.site_today == now[0].astimezone(london).date()
        assert dates.newest == clock.latest_date(now[0])
        assert dates.oldest_current == clock.oldest_current_date(now[0])
        assert dates.until_site_midnight == clock.seconds_until_midnight(now[0], london)
        # Within the same second the same object answers, whatever the microseconds.
        assert catalog.dates(now[0].replace(microsecond=0)) is dates


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/v1/tips/2026-02-30", 400, "date: 2026-02-30 is not a calendar date"),
        ("/v1/tips/yesterday", 400, "date: 'yesterday' is not a date in YYYY-MM-DD form"),
        ("/v1/tips/2030-01-01", 404, "date: 2030-01-01 has not begun anywhere yet"),
        ("/v1/tips/2025-01-01", 404, "date: no tip for 2025-01-01"),
        ("/v1/tips/today?tz=Mars/Olympus", 400, "tz: 'Mars/Olympus' is not a known"),
        ("/v1/tips/today?tz=../../etc/passwd", 400, "tz: '../../etc/passwd' is not an IANA"),
        ("/v1/tips/2026-11-27?lang=fr", 400, "lang: 'fr' is not one of: en, de"),
        ("/v1/tips/2026-11-27?topic=cooking", 404, "topic: no topic 'cooking'"),
        ("/v1/tips/2026-11-27?colour=red", 400, "colour: unknown parameter"),
        ("/v1/articles?limit=abc", 400, "limit: 'abc' must be a whole number from 1 to 50"),
        ("/v1/articles?limit=0", 400, "limit: '0' must be"),
        ("/v1/articles?limit=51", 400, "limit: '51' must be"),
        ("/v1/articles?limit=1&limit=2", 400, "limit: given more than once"),
        ("/v1/articles?cursor=Zm9yZ2Vk", 400, "cursor: not a cursor this service issued"),
        ("/v1/articles?cursor=YWZ0ZXI6bm9wZQ", 400, "cursor: it points at no article"),
        ("/v1/articles/no-such-slug", 404, "slug: no such article"),
        ("/v1/articles?partner=stranger", 404, "partner: no partner 'stranger'"),
        ("/v1/nothing-here", 404, "path: there is nothing at this address"),
        ("/v1/articles?q=" + "x" * 10_000, 414, "query: longer than 2048 bytes"),
    ],
)
def test_bad_input_gets_a_4xx_naming_the_parameter(client: TestClient, url: str, status: int,
                                                   message: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["message"].startswith(message), error
    assert error["code"]


def test_a_post_is_refused_with_the_json_error_shape(client: TestClient) -> None:
    response = client.post("/v1/topics", content=b"{}")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_articles_are_listed_newest_first_and_paged_with_a_cursor(
    make_content: ContentFactory,
) -> None:
    files = {f"articles/a{n:02d}.md": article(f"Article {n}", published=f"2026-10-{n:02d}")
             for n in range(1, 26)}
    root = make_content(files)
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        first = client.get("/v1/articles?limit=20").json()
        assert first["total"] == 27
        assert first["articles"][0]["slug"] == "calm-down"
        second = client.get(f"/v1/articles?limit=20&cursor={first['next_cursor']}").json()
    slugs = [a["slug"] for a in first["articles"] + second["articles"]]
    assert len(slugs) == len(set(slugs)) == 27
    assert second["next_cursor"] is None


def test_articles_filter_by_topic_and_lang(client: TestClient) -> None:
    body = client.get("/v1/articles?topic=sleep").json()
    assert [a["slug"] for a in body["articles"]] == ["sleep-better"]
    assert client.get("/v1/articles?lang=de").json()["articles"] == []


def test_an_article_has_sanitized_html_review_dates_and_its_snippet(client: TestClient) -> None:
    body = client.get("/v1/articles/sleep-better").json()
    article = body["article"]
    assert article["html"].startswith("<p>Rest matters.")
    assert article["last_reviewed"] == "2026-11-02"
    assert article["next_review"] == "2027-05-02"
    assert article["snippet"].startswith("Rest matters.")
    assert article["disclaimer"] is None
    assert article["url"] == "https://service.example/articles/sleep-better"


def test_topics_are_listed_with_counts(client: TestClient) -> None:
    topics = client.get("/v1/topics").json()["topics"]
    assert topics[0] == {"id": "sleep", "title": "Sleep", "articles": 1, "tips": 5}


def test_if_none_match_gives_304_with_the_same_etag(client: TestClient) -> None:
    first = client.get("/v1/articles/sleep-better")
    etag = first.headers["etag"]
    again = client.get("/v1/articles/sleep-better", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert again.headers["x-content-version"] == first.headers["x-content-version"]
    assert again.content == b""
    other = client.get("/v1/articles/sleep-better", headers={"If-None-Match": '"nope"'})
    assert other.status_code == 200


def test_bodies_over_500_bytes_are_gzipped_for_clients_that_accept_it(client: TestClient) -> None:
    plain = client.get("/v1/articles/sleep-better", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert len(plain.content) >= 500
    raw = client.get("/v1/articles/sleep-better", headers={"Accept-Encoding": "gzip"},
                     extensions={})
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.headers["vary"] == "Origin, Accept-Encoding"
    assert raw.headers["etag"] != plain.headers["etag"]
    assert raw.json() == plain.json()
    refused = client.get("/v1/articles/sleep-better", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_small_bodies_are_not_gzipped(client: TestClient) -> None:
    response = client.get("/v1/tips/2025-01-01", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers


def test_gzip_bytes_are_identical_across_app_instances(content_dir: Path) -> None:
    bodies = []
    for _ in range(2):
        app = create_app(Settings(content_dir=content_dir), clock=fixed_clock())
        catalog = app.state.service.catalog
        bodies.append(catalog.article("sleep-better", None).compressed())
    assert bodies[0] == bodies[1]
    assert gzip.decompress(bodies[0]).startswith(b'{"article"')


def test_every_response_carries_the_content_version(client: TestClient) -> None:
    version = client.app.state.service.library.version
    for url in ["/v1/topics", "/v1/articles/nope", "/v1/tips/2026-11-27", "/readyz"]:
        assert client.get(url).headers["x-content-version"] == version


class TestPartners:
    def test_an_allowed_origin_is_echoed_never_a_star(self, client: TestClient) -> None:
        response = client.get("/v1/articles?partner=calm-clinic", headers={"Origin": CALM})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == CALM
        assert "Origin" in response.headers["vary"]

    def test_a_foreign_origin_is_forbidden(self, client: TestClient) -> None:
        response = client.get("/v1/articles?partner=calm-clinic",
                              headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
        assert "access-control-allow-origin" not in response.headers
        message = response.json()["error"]["message"]
        assert message.startswith("partner: the Origin header is not one of the origins")
        assert "evil" not in message  # the rejected Origin is not repeated

    @pytest.mark.parametrize("origin", ["null", "https://calm.example.com.evil.example",
                                        "https://evil-calm.example.com", "http://calm.example.com",
                                        "https://calm.example.com:8443"])
    def test_lookalike_origins_are_forbidden(self, client: TestClient, origin: str) -> None:
        response = client.get("/v1/tips/2026-11-27?partner=calm-clinic",
                              headers={"Origin": origin})
        assert response.status_code == 403

    def test_the_services_own_origin_and_no_origin_are_served(self, client: TestClient) -> None:
        own = client.get("/v1/articles?partner=calm-clinic",
                         headers={"Origin": "https://service.example"})
        assert own.status_code == 200
        assert client.get("/v1/articles?partner=calm-clinic").status_code == 200

    def test_partner_defaults_apply_when_options_are_left_out(self, client: TestClient) -> None:
        body = client.get("/v1/articles?partner=calm-clinic", headers={"Origin": CALM}).json()
        assert [a["slug"] for a in body["articles"]] == ["calm-down"]
        assert body["partner"] == {"id": "calm-clinic", "name": "Calm Clinic", "theme": "dark"}
        tip_body = client.get("/v1/tips/2026-11-27?partner=calm-clinic").json()
        assert tip_body["tip"]["topic"]["id"] == "anxiety"
        explicit = client.get("/v1/tips/2026-11-27?partner=calm-clinic&topic=sleep").json()
        assert explicit["tip"]["topic"]["id"] == "sleep"

    def test_partner_links_carry_utm_parameters(self, client: TestClient) -> None:
        body = client.get("/v1/articles/sleep-better?partner=open-partner").json()
        assert body["article"]["url"] == (
            "https://service.example/articles/sleep-better"
            "?utm_source=open-partner&utm_medium=widget")
        tip_body = client.get("/v1/tips/2026-11-27?partner=open-partner").json()
        assert tip_body["tip"]["url"].endswith("?utm_source=open-partner&utm_medium=widget")
        assert "utm_source" not in client.get("/v1/articles/sleep-better").text


def test_payloads_built_uncompressed_gzip_on_first_use_to_the_same_bytes() -> None:
    from smartmed.catalog.encoding import JSON, dumps
    from smartmed.catalog.payload import Payload

    docs = [{"n": n, "text": "calm " * n} for n in range(200)]
    together = [Payload.build(dumps(doc), JSON, compress=False) for doc in docs]
    assert [p.gzipped for p in together] == [None] * 200
    one_by_one = [Payload.json(doc) for doc in docs]
    assert [p.compressed() for p in together] == [p.gzipped for p in one_by_one]
    assert together == one_by_one


def test_if_none_match_takes_either_representations_tag_weak_or_in_a_list(
        client: TestClient) -> None:
    url = "/v1/articles/sleep-better"  # large enough to be gzipped
    plain = client.get(url, headers={"accept-encoding": "identity"}).headers["etag"]
    zipped = client.get(url, headers={"accept-encoding": "gzip"}).headers["etag"]
    assert zipped == plain[:-1] + '-gzip"'
    for sent in (plain, zipped, f"W/{plain}", f'"other", {zipped}', "*"):
        for encoding in ("identity", "gzip"):
            response = client.get(url, headers={"if-none-match": sent,
                                                "accept-encoding": encoding})
            assert response.status_code == 304, (sent, encoding)
            assert response.content == b""
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200
