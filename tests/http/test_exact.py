"""Exact matching: every route and every validated parameter, with a control character added.

Python's `$` matches before a final newline and Starlette's route patterns end in `$`: a
trailing "\\n" once reached /metrics and passed validation. Each route below is asked for
with valid values (which must succeed, so the walk can fail) and then with "\\n", "\\r",
"\\t" and NUL after each path parameter, at the end of the path and after each query value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from helpers import GB, HELP_SITE, ContentFactory, article, tip
from routewalk import CONFIG, ROUTES, examples
from routewalk import url as route_url

SUFFIXES = ["\n", "\r", "\t", "\x00"]
GERMAN_ARTICLE = article("Besser schlafen").replace(
    "lang: en", "lang: de\ntranslation_of: sleep-better")
GERMAN_TIPS = "".join(tip(f"schlaf-{n}", extra="lang: de") for n in range(1, 4))
@pytest.fixture
def content_dir(make_content: ContentFactory) -> Path:
    # With urgent-help data, so that /v1/help and the /help pages answer 200 when asked well,
    # and a German article and tips, so that the /de/ pages do.
    return make_content({"site.yaml": HELP_SITE, "help/GB.yaml": GB,
                         "articles/de/besser-schlafen.md": GERMAN_ARTICLE,
                         "tips/de/schlaf.yaml": GERMAN_TIPS})


def _get(client: TestClient, url: str) -> Any:
    return client.get(url, follow_redirects=False)


def test_the_walk_covers_every_route(client: TestClient) -> None:
    templates = {getattr(route, "path", None) for route in client.app.routes}
    assert templates == set(ROUTES)


def test_every_route_answers_its_valid_request(client: TestClient) -> None:
    for template, (params, query, status) in examples(client).items():
        response = _get(client, route_url(template, params, query))
        assert response.status_code == status, (template, response.text[:300])


@pytest.mark.parametrize("suffix", SUFFIXES, ids=["LF", "CR", "TAB", "NUL"])
def test_a_control_character_in_the_path_is_404_before_any_route(
        client: TestClient, suffix: str) -> None:
    for template, (params, query, _) in examples(client).items():
        variants = [route_url(template, params, query).replace("?", quote(suffix) + "?", 1)
                    if query else route_url(template, params, query) + quote(suffix)]
        variants += [route_url(template, {**params, name: value + suffix}, query)
                     for name, value in params.items()]
        for url in variants:
            response = _get(client, url)
            assert response.status_code == 404, url
            assert response.json()["error"]["message"] == (
                "path: there is nothing at an address with a control character"), url


@pytest.mark.parametrize("suffix", SUFFIXES, ids=["LF", "CR", "TAB", "NUL"])
def test_a_control_character_after_a_query_value_is_refused(
        client: TestClient, suffix: str) -> None:
    checked = 0
    for template, (params, query, _) in examples(client).items():
        for name, value in query.items():
            url = route_url(template, params, {**query, name: value + suffix})
            response = _get(client, url)
            assert response.status_code in (400, 404), (url, response.status_code)
            page = template in ("/", "/{lang}/")
            text = response.text if page else response.json()["error"]["message"]
            assert f"{name}:" in text, (url, text[:300])
            checked += 1
    # The configurator in two languages and its code; the tips, articles, topics and help.
    assert checked == 3 * len(CONFIG) + 4 + 3 + 6 + 2 + 1 + 2


def test_pages_ignore_unknown_parameters_and_keep_their_canonical_link(
        client: TestClient) -> None:
    for path in ["/", "/articles", "/topics/sleep", "/tips/2026-11-20"]:
        plain, extra = client.get(path), client.get(path + "?utm_campaign=x&junk=1")
        assert (plain.status_code, extra.status_code) == (200, 200), path
        assert plain.content == extra.content, path
        assert '<link rel="canonical" href="https://service.example' in extra.text, path


@pytest.mark.parametrize("path", ["/v1/topics", "/v1/articles", "/feeds/tips.rss",
                                  "/feeds/topics/sleep.json", "/configurator/code"])
def test_the_api_and_feeds_refuse_unknown_parameters(client: TestClient, path: str) -> None:
    response = client.get(path + "?junk=1")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("junk: unknown")


def test_a_cursor_is_accepted_only_as_issued(client: TestClient) -> None:
    first = client.get("/v1/articles?limit=1").json()
    cursor = first["next_cursor"]
    assert client.get(f"/v1/articles?limit=1&cursor={cursor}").status_code == 200
    # Each decodes to the same slug with a lenient base64 decoder.
    for forged in [cursor[:3] + "!" + cursor[3:], cursor + "==", cursor[:4] + "." + cursor[4:],
                   cursor + "%0A", " " + cursor]:
        response = client.get(f"/v1/articles?limit=1&cursor={quote(forged, safe='%')}")
        assert response.status_code == 400, forged
        assert response.json()["error"]["message"].startswith("cursor: not a cursor")
