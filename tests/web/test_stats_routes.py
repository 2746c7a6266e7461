"""The stats routes end to end through the app, its lifespan and a real database (both)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Match, Route
from starlette.testclient import TestClient

from helpers import NOW, fixed_clock
from smartmed.app import create_app
from smartmed.ops.stats import tokens
from smartmed.settings import Settings

DAY = NOW.date().isoformat()
READER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}


def beacon(**fields: Any) -> bytes:
    event = {"partner": "calm-clinic", "event": "impression", "kind": "tip",
             "topic": "anxiety", "lang": "en", "items": ["anxiety-1"]}
    event.update(fields)
    return json.dumps({k: v for k, v in event.items() if v is not ...}).encode()


@pytest.fixture
def stats_client(content_dir: Path, database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(content_dir=content_dir, state_dir=tmp_path / "state",
                        database_url=database_url, admin_secret="admin-secret-for-tests",
                        access_log=False)
    app = create_app(settings, clock=fixed_clock())
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def flush(client: TestClient) -> None:
    """What the flush task does each second, now (its loop is covered in test_stats_tally)."""
    client.portal.call(client.app.state.stats.flush)


def secret_for(client: TestClient, partner: str) -> str:
    store = client.app.state.stats.store
    return tokens.issue(store, partner, NOW)


def post(client: TestClient, body: bytes, **headers: str) -> Any:
    return client.post("/v1/events", content=body,
                       headers={"content-type": "text/plain;charset=UTF-8", **READER,
                                **headers})


def test_a_beacon_is_accepted_counted_and_never_cached(stats_client: TestClient) -> None:
    response = post(stats_client, beacon(), origin="https://calm.example.com")
    assert response.status_code == 202
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers
    flush(stats_client)
    secret = secret_for(stats_client, "calm-clinic")
    stats = stats_client.get(f"/v1/partners/calm-clinic/stats?from={DAY}&to={DAY}",
                             headers={"authorization": f"Bearer {secret}"})
    assert stats.status_code == 200, stats.text
    assert stats.headers["cache-control"] == "no-store"
    body = stats.json()
    assert body["totals"] == {"impression": 1, "read": 0, "click": 0}
    assert body["daily"] == [{"date": DAY, "impression": 1, "read": 0, "click": 0}]
    assert body["top_items"] == [{"kind": "tip", "item": "anxiety-1", "impression": 1,
                                  "read": 0, "click": 0}]


def test_known_bots_get_204_and_are_not_counted(stats_client: TestClient) -> None:
    response = post(stats_client, beacon(), **{"user-agent": "Googlebot/2.1"})
    assert response.status_code == 204
    flush(stats_client)
    secret = secret_for(stats_client, "calm-clinic")
    stats = stats_client.get("/v1/partners/calm-clinic/stats",
                             headers={"authorization": f"Bearer {secret}"}).json()
    assert stats["totals"]["impression"] == 0


@pytest.mark.parametrize(("body", "field"), [
    (b"not json", "body"),
    (b"[1]", "body"),
    (beacon(event="hover"), "event"),
    (beacon(kind="page"), "kind"),
    (beacon(lang="xx"), "lang"),
    (beacon(topic="nope"), "topic"),
    (beacon(items="anxiety-1"), "items"),
    (beacon(items=["../etc"]), "items"),
    (beacon(partner=5), "partner"),
    (beacon(partner=...), "partner"),
    (json.dumps({"partner": "calm-clinic", "ip": "1.2.3.4"}).encode(), "ip"),
    # an item id is matched whole: a final newline is not part of any id
    (beacon(items=["breathing-space\n"]), "items"),
])
def test_a_malformed_event_gets_a_json_400_naming_the_field(
        stats_client: TestClient, body: bytes, field: str) -> None:
    response = post(stats_client, body)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"{field}:")


def test_partner_and_origin_rules_of_the_read_api_apply(stats_client: TestClient) -> None:
    assert post(stats_client, beacon(partner="nobody")).status_code == 404
    assert post(stats_client, beacon(), origin="https://evil.example").status_code == 403


def test_an_oversized_body_gets_413(stats_client: TestClient) -> None:
    assert post(stats_client, b" " * 5000).status_code == 413


def test_secrets_401_403_and_no_tricks(stats_client: TestClient) -> None:
    post(stats_client, beacon(partner="open-partner", topic=None, items=["sleep-1"]))
    post(stats_client, beacon())
    flush(stats_client)
    calm = secret_for(stats_client, "calm-clinic")
    secret_for(stats_client, "open-partner")
    url = "/v1/partners/{}/stats"
    assert stats_client.get(url.format("calm-clinic")).status_code == 401
    wrong = stats_client.get(url.format("calm-clinic"), headers={"authorization": "Bearer x"})
    assert wrong.status_code == 401
    assert wrong.headers["cache-control"] == "no-store"
    bearer = {"authorization": f"Bearer {calm}"}
    for path in ("open-partner", "Open-Partner", "open-partner%20", "calm-clinic%2F..",
                 "OPEN-PARTNER", "open-partner.csv"):
        response = stats_client.get(url.format(path), headers=bearer)
        assert response.status_code in (403, 404), (path, response.status_code)
        assert "sleep-1" not in response.text
    assert stats_client.get("/v1/partners/open-partner/stats.csv",
                            headers=bearer).status_code == 403
    own = stats_client.get(url.format("calm-clinic"), headers=bearer).json()
    assert [i["item"] for i in own["top_items"]] == ["anxiety-1"]
    # A new secret revokes the old one.
    secret_for(stats_client, "calm-clinic")
    assert stats_client.get(url.format("calm-clinic"), headers=bearer).status_code == 401


def test_csv_has_a_row_per_day(stats_client: TestClient) -> None:
    post(stats_client, beacon(event="click"))
    flush(stats_client)
    secret = secret_for(stats_client, "calm-clinic")
    response = stats_client.get(f"/v1/partners/calm-clinic/stats.csv?from={DAY}&to={DAY}",
                                headers={"authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text == f"date,impression,read,click\r\n{DAY},0,0,1\r\n"


@pytest.mark.parametrize("query", ["from=2026-13-01", "to=yesterday", "days=3",
                                   "from=2026-11-27&to=2026-11-01",
                                   "from=2020-01-01&to=2026-11-27",
                                   # whole-input matching: a control character after a date,
                                   # and digits that are not ASCII
                                   "from=2026-11-01%0A", "to=2026-11-27%0D", "to=2026-11-27%09",
                                   "from=2026-11-01%00", "from=%EF%BC%92026-11-01"])
def test_bad_ranges_get_400(stats_client: TestClient, query: str) -> None:
    secret = secret_for(stats_client, "calm-clinic")
    response = stats_client.get(f"/v1/partners/calm-clinic/stats?{query}",
                                headers={"authorization": f"Bearer {secret}"})
    assert response.status_code == 400


def test_the_page_asks_for_the_secret_then_shows_chart_and_table(
        stats_client: TestClient) -> None:
    post(stats_client, beacon())
    flush(stats_client)
    page = stats_client.get("/partners/calm-clinic/stats")
    assert page.status_code == 401
    assert page.headers["cache-control"] == "no-store"
    assert '<form method="post"' in page.text
    assert "set-cookie" not in page.headers
    assert stats_client.post("/partners/calm-clinic/stats",
                             content="&".join(f"f{n}=1" for n in range(9))).status_code == 400
    refused = stats_client.post("/partners/calm-clinic/stats", data={"secret": "calm-clinic.x"},
                                follow_redirects=False)
    assert refused.status_code == 401
    assert "set-cookie" not in refused.headers
    secret = secret_for(stats_client, "calm-clinic")
    signed = stats_client.post("/partners/calm-clinic/stats", data={"secret": secret},
                               follow_redirects=False)
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"]
    for attribute in ("Secure", "HttpOnly", "SameSite=strict", "Path=/partners/calm-clinic/"):
        assert attribute in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    page = stats_client.get("/partners/calm-clinic/stats",
                            headers={"cookie": f"{tokens.COOKIE}={value}"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "<svg" in page.text and "<polyline" in page.text
    assert "<script" not in page.text and " style=" not in page.text  # the CSP holds
    assert "<td>anxiety-1</td>" in page.text
    # That cookie signs in calm-clinic only.
    other = stats_client.get("/partners/open-partner/stats",
                             headers={"cookie": f"{tokens.COOKIE}={value}"})
    assert other.status_code == 401


def test_admin_overview_needs_the_admin_secret(stats_client: TestClient) -> None:
    post(stats_client, beacon())
    flush(stats_client)
    assert stats_client.get("/admin/stats").status_code == 401
    assert stats_client.get("/admin/stats",
                            headers={"authorization": "Bearer nope"}).status_code == 401
    response = stats_client.get("/admin/stats",
                                headers={"authorization": "Bearer admin-secret-for-tests"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["partners"]["calm-clinic"]["impression"] == 1


def test_admin_overview_is_off_without_a_secret(content_dir: Path, tmp_path: Path) -> None:
    app = create_app(Settings(content_dir=content_dir, state_dir=tmp_path), clock=fixed_clock())
    with TestClient(app) as client:
        assert client.get("/admin/stats",
                          headers={"authorization": "Bearer "}).status_code == 404


def test_shutdown_writes_what_was_counted(content_dir: Path, database_url: str,
                                          tmp_path: Path) -> None:
    settings = Settings(content_dir=content_dir, state_dir=tmp_path / "state",
                        database_url=database_url, access_log=False)
    app = create_app(settings, clock=fixed_clock())
    with TestClient(app) as client:
        for _ in range(3):
            assert post(client, beacon(event="read")).status_code == 202
    # The app is stopped: its lifespan's exit wrote the counts. A new one reads them.
    from smartmed.ops.stats.store import open_store

    store = open_store(database_url, tmp_path / "state")
    try:
        assert store.daily("calm-clinic", NOW.date(), NOW.date()) == [
            (NOW.date(), "calm-clinic", "read", 3)]
    finally:
        store.close()


# Spellings of another partner's id (and of one's own) a client might try.
_TRICKS = st.lists(st.sampled_from(["open-partner", "OPEN", "calm-clinic", "Calm-Clinic", "%2F",
                                    "%2e", "..", "/", ".", "%00", " ", "%20", "-", "stats",
                                    ".csv", ";", "?", "#", "\\", "é"]), min_size=1, max_size=4)


@pytest.fixture
def seeded(stats_client: TestClient) -> str:
    """open-partner's numbers exist; the secret returned is calm-clinic's."""
    post(stats_client, beacon(partner="open-partner", topic=None, items=["sleep-1"]))
    flush(stats_client)
    return secret_for(stats_client, "calm-clinic")


# The fixtures run once for all examples (hence the health check): the requests only read.
@settings(max_examples=40, deadline=None,  # each request hashes a secret (scrypt)
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=_TRICKS)
def test_one_partners_secret_never_reads_anothers_data(stats_client: TestClient, seeded: str,
                                                        parts: list[str]) -> None:
    bearer = {"authorization": f"Bearer {seeded}"}
    segment = "".join(parts)
    for template in ("/v1/partners/{}/stats", "/v1/partners/{}/stats.csv",
                     "/V1/partners/{}/stats"):
        response = stats_client.get(template.format(segment), headers=bearer)
        assert "sleep-1" not in response.text, (template, segment)
        if response.status_code == 200:
            assert response.request.url.path.split("/")[3] == "calm-clinic"


def _sign_in(client: TestClient, path: str, secret: str) -> Any:
    return client.post(path, data={"secret": secret}, follow_redirects=False)


def test_the_page_in_another_language_says_everything_in_it(stats_client: TestClient) -> None:
    """/de/partners/{id}/stats: html lang, alternates, the form, the numbers, Babel (#19)."""
    for _ in range(1234):
        post(stats_client, beacon(), origin="https://calm.example.com")
    flush(stats_client)
    form = stats_client.get("/de/partners/calm-clinic/stats")
    assert form.status_code == 401
    assert form.headers["cache-control"] == "no-store"
    assert '<html lang="de" dir="ltr">' in form.text
    assert '<link rel="alternate" hreflang="en" href="https://service.example/partners/' \
           'calm-clinic/stats">' in form.text
    assert '<link rel="alternate" hreflang="de" href="https://service.example/de/partners/' \
           'calm-clinic/stats">' in form.text
    assert '<a href="/partners/calm-clinic/stats" hreflang="en" lang="en">' in form.text
    assert '<form method="post" action="/de/partners/calm-clinic/stats">' in form.text
    for words in ("Melde dich für deine Statistik an", "Dein Statistik-Schlüssel",
                  "Anmelden", "Partnerstatistik · calm-clinic"):
        assert words in form.text
    refused = _sign_in(stats_client, "/de/partners/calm-clinic/stats", "calm-clinic.x")
    assert refused.status_code == 401
    assert "Dieser Schlüssel gilt nicht für diesen Partner." in refused.text
    signed = _sign_in(stats_client, "/de/partners/calm-clinic/stats",
                      secret_for(stats_client, "calm-clinic"))
    assert signed.status_code == 303
    assert signed.headers["location"] == "/de/partners/calm-clinic/stats"
    page = stats_client.get("/de/partners/calm-clinic/stats")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    for words in ("So nutzen deine Leserinnen und Leser das Widget", "Summen",
                  "Einblendungen: 1.234", "Meistgesehene Inhalte", "<th scope=\"col\">Inhalt",
                  "<td>Tipp des Tages</td>", "<td>1.234</td>", "27. November 2026",
                  "Einblendungen, Lesevorgänge und Klicks pro Tag", "dieselben Zahlen als CSV"):
        assert words in text, words
    for english in ("Totals", "Top items", "Sign in", "Impressions", "Nothing counted",
                    "The same as CSV", ">impression<", "1,234"):
        assert english not in text, english
    assert 'href="/v1/partners/calm-clinic/stats.csv?from=' in text
    # The empty state, in German too.
    empty = stats_client.get("/de/partners/calm-clinic/stats?from=2026-01-01&to=2026-01-02")
    assert "In diesen Tagen wurde nichts gezählt." in empty.text


def test_one_sign_in_covers_every_language_and_nothing_else(stats_client: TestClient) -> None:
    """The session cookie: one per language, each with the Path of that language's pages of
    this partner; Secure, HttpOnly, SameSite=Strict, eight hours, as before."""
    signed = _sign_in(stats_client, "/de/partners/calm-clinic/stats",
                      secret_for(stats_client, "calm-clinic"))
    cookies = signed.headers.get_list("set-cookie")
    paths = sorted(c.split("Path=", 1)[1].split(";", 1)[0] for c in cookies)
    assert paths == ["/de/partners/calm-clinic/", "/partners/calm-clinic/"]
    values = {c.split(";", 1)[0] for c in cookies}
    assert len(values) == 1  # the same session, whichever language's page it is sent to
    for cookie in cookies:
        for attribute in ("Secure", "HttpOnly", "SameSite=strict",
                          f"Max-Age={tokens.SESSION_SECONDS}"):
            assert attribute in cookie
    # The browser sends it to both languages' pages (TestClient keeps cookies by path).
    assert stats_client.get("/partners/calm-clinic/stats").status_code == 200
    assert stats_client.get("/de/partners/calm-clinic/stats").status_code == 200
    # … and to no other address: another partner's page, the API, the reading pages.
    jar = stats_client.cookies.jar
    for cookie in jar:
        assert cookie.path.endswith("/partners/calm-clinic/"), cookie.path
    assert stats_client.get("/de/partners/open-partner/stats").status_code == 401


def test_the_page_is_only_in_the_sites_languages(stats_client: TestClient) -> None:
    for path in ("/en/partners/calm-clinic/stats", "/es/partners/calm-clinic/stats",
                 "/xx/partners/calm-clinic/stats"):
        response = stats_client.get(path)
        assert response.status_code == 404, path
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-type"].startswith("text/html")


def test_the_pages_errors_are_pages_in_its_language(stats_client: TestClient) -> None:
    _sign_in(stats_client, "/de/partners/calm-clinic/stats",
             secret_for(stats_client, "calm-clinic"))
    bad = stats_client.get("/de/partners/calm-clinic/stats?from=2026-11-27&to=2026-11-01")
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("text/html")
    assert bad.headers["cache-control"] == "no-store"
    assert '<html lang="de"' in bad.text
    assert "from: liegt nach to" in bad.text
    assert "Diese Anfrage ergab keinen Sinn" in bad.text
    wrong_day = stats_client.get("/de/partners/calm-clinic/stats?to=gestern")
    assert "to: &#39;gestern&#39; ist kein Datum im Format JJJJ-MM-TT" in wrong_day.text
    english = stats_client.get("/partners/calm-clinic/stats?from=2026-11-27&to=2026-11-01")
    assert english.status_code == 400 and "from: after to" in english.text
    # The API keeps its English JSON errors.
    api = stats_client.get("/v1/partners/calm-clinic/stats?from=2026-11-27&to=2026-11-01",
                           headers={"authorization": "Bearer "
                                    + secret_for(stats_client, "calm-clinic")})
    assert api.json()["error"]["message"] == "from: after to"
    form = stats_client.post("/de/partners/calm-clinic/stats",
                             content="&".join(f"f{n}=1" for n in range(9)))
    assert form.status_code == 400 and "body: nicht das Anmeldeformular" in form.text
def test_the_beacon_route_comes_first_and_no_other_route_takes_its_path(
        content_dir: Path) -> None:
    """app.py puts POST /v1/events first, for speed: that may change no answer, so its
    path is no other route's, and its route takes no other path."""
    routes = create_app(Settings(content_dir=content_dir, access_log=False),
                        clock=fixed_clock()).routes
    beacon = routes[0]
    assert isinstance(beacon, Route) and beacon.name == "events"
    others = [r for r in routes[1:] if isinstance(r, Route)]
    assert len(others) == len(routes) - 1

    def scope(path: str, method: str) -> dict[str, Any]:
        return {"type": "http", "path": path, "method": method, "root_path": ""}

    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]
    for route in others:
        for method in methods:
            assert route.matches(scope("/v1/events", method))[0] is Match.NONE, route.path
        example = route.path.replace("{", "").replace("}", "")  # /v1/tips/date, …
        for path in (example, example + "/", "/v1/events/", "/v1/Events", "/v1/events.json"):
            for method in methods:
                assert beacon.matches(scope(path, method))[0] is Match.NONE, path
