"""Urgent help where readers meet it: /v1/help, the help object, /help pages, feeds."""

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from helpers import GB, HELP_SITE, PARTNERS, ContentFactory, article, fixed_clock
from openapispec import response_spec, validator
from smartmed.app import create_app
from smartmed.settings import Settings

FR = (GB.replace("United Kingdom", "France").replace("Vereinigtes Königreich", "Frankreich")
      .replace('["999"]', '["112", "15"]'))


@pytest.fixture
def client(make_content: ContentFactory) -> Iterator[TestClient]:
    partners = PARTNERS.replace("  theme: dark\n", "  theme: dark\n  country: FR\n")
    root = make_content({
        "site.yaml": HELP_SITE, "help/GB.yaml": GB, "help/FR.yaml": FR,
        "partners.yaml": partners,
        "articles/low-days.md": article("Low Days", topics="[stress]"),
    })
    app = create_app(Settings(content_dir=root), clock=fixed_clock())
    with TestClient(app) as client:
        yield client


def test_help_api_answers_for_the_sites_country_by_default(client: TestClient) -> None:
    doc = client.get("/v1/help").json()
    assert doc["country"] == "GB" and doc["emergency"]["numbers"] == ["999"]
    assert doc["url"] == "https://service.example/help/gb"
    samaritans = doc["services"][0]
    assert (samaritans["phone"], samaritans["source"], samaritans["last_verified"]) == (
        "116 123", "https://example.org/samaritans", "2026-11-01")
    assert [c["country"] for c in doc["countries"]] == ["FR", "GB"]
    assert client.get("/v1/help?country=fr").json()["emergency"]["numbers"] == ["112", "15"]
    assert client.get("/v1/help?country=FR&lang=de").json()["name"] == "Frankreich"


def test_an_unknown_country_is_a_404_naming_country(client: TestClient) -> None:
    response = client.get("/v1/help?country=zz")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("country: no help for 'zz'")
    assert client.get("/v1/help?country=xyz").json()["error"]["message"].startswith("country:")


def test_help_api_revalidates_with_etag_and_content_version(client: TestClient) -> None:
    first = client.get("/v1/help")
    again = client.get("/v1/help", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["x-content-version"] == first.headers["x-content-version"]


def test_every_article_and_tip_response_carries_help_for_the_requests_country(
        client: TestClient) -> None:
    site = {"country": "GB", "emergency": "999", "url": "https://service.example/help/gb"}
    france = {"country": "FR", "emergency": "112", "url": "https://service.example/help/fr"
              "?utm_source=calm-clinic&utm_medium=widget"}
    open_partner = {**site, "url": site["url"] + "?utm_source=open-partner&utm_medium=widget"}
    assert client.get("/v1/tips/today").json()["help"] == site
    assert client.get("/v1/articles/sleep-better").json()["help"] == site
    assert client.get("/v1/articles").json()["help"] == site
    # calm-clinic names France; open-partner names no country and gets the site's.
    assert client.get("/v1/tips/today?partner=calm-clinic").json()["help"] == france
    assert client.get("/v1/articles/sleep-better?partner=calm-clinic").json()["help"] == france
    assert client.get("/v1/articles?partner=calm-clinic").json()["help"] == france
    assert client.get("/v1/tips/today?partner=open-partner").json()["help"] == open_partner


def test_help_pages_list_every_country_with_a_chooser_that_needs_no_script(
        client: TestClient) -> None:
    page = client.get("/help")
    assert page.status_code == 200
    assert '<form class="help-chooser" method="get" action="/help">' in page.text
    assert 'href="/help/fr"' in page.text and 'href="/help/gb"' in page.text
    chosen = client.get("/help?country=FR", follow_redirects=False)
    assert (chosen.status_code, chosen.headers["location"]) == (303, "/help/fr")
    for path in ("/help/gb", "/help/GB"):
        country = client.get(path)
        assert country.status_code == 200
        assert '<a class="help-number" href="tel:116123">116 123</a>' in country.text
        assert 'href="sms:85258">85258</a>' in country.text
        assert "https://example.org/samaritans" in country.text  # its source
    missing = client.get("/help/zz")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


def test_article_pages_show_the_block_at_the_end_and_on_anxiety_also_at_the_top(
        client: TestClient) -> None:
    sleep = client.get("/articles/sleep-better").text
    assert sleep.count('class="help-block"') == 1
    assert sleep.index('class="help-block"') > sleep.index('class="prose"')
    assert 'href="/help">Urgent help in other countries</a>' in sleep
    calm = client.get("/articles/calm-down").text  # topics: anxiety, stress
    assert calm.count('class="help-block"') == 2
    assert calm.index('class="help-block"') < calm.index('class="prose"')
    assert client.get("/articles/low-days").text.count('class="help-block"') == 1


def test_feed_article_items_end_with_the_help_block_and_a_link_to_help(
        client: TestClient) -> None:
    feed = client.get("/feeds/articles.json").json()
    for item in feed["items"]:
        assert item["content_html"].endswith(
            '<p><a href="https://service.example/help">Urgent help in other countries</a></p>')
        assert '<a href="tel:999">999</a> (United Kingdom)' in item["content_html"]
        assert 'text SHOUT to <a href="sms:85258">85258</a>' in item["content_html"]


@pytest.mark.parametrize(("path", "url"), [
    ("/v1/help", "/v1/help?country=gb"), ("/v1/tips/today", "/v1/tips/today?partner=calm-clinic"),
    ("/v1/articles", "/v1/articles"), ("/v1/articles/{slug}", "/v1/articles/calm-down"),
])
def test_answers_with_help_match_the_openapi_description(client: TestClient, path: str,
                                                         url: str) -> None:
    response = client.get(url)
    schema = response_spec(path, response.status_code)["content"]["application/json"]["schema"]
    errors = list(validator(schema).iter_errors(response.json()))
    assert not errors, errors
