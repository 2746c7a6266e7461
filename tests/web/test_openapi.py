"""/openapi.json agrees with app.routes, and real responses agree with /openapi.json."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Match
from starlette.testclient import TestClient

from openapispec import response_spec, validator
from smartmed.http.limits import MAX_HEADER_BYTES
from smartmed.web.openapi import SPEC

CALM = "https://calm.example.com"
# Routes that answer HTML, scripts, stylesheets or Prometheus text: not in the description.
NOT_DATA = {
    "configurator": "HTML page", "articles-page": "HTML page", "article-page": "HTML page",
    "topics-page": "HTML page", "topic-page": "HTML page", "tips-page": "HTML page",
    "tip-today-page": "redirect to an HTML page", "tip-page": "HTML page",
    "static": "CSS, JavaScript and icons of the pages", "favicon": "the site's icon",
    "widget": "the widget script",
    "widget-hashed": "the widget script", "metrics": "Prometheus text format",
    "help-page": "HTML page", "help-country-page": "HTML page",
    # Partner stats (README): the widget's beacon, and numbers behind a partner's secret.
    "events": "the widget's POST beacon", "partner-stats": "private, behind a secret",
    "partner-stats-csv": "private CSV, behind a secret", "partner-stats-page": "HTML page",
    "partner-sign-in": "the stats page's sign-in form", "admin-stats": "operator only",
}
# The same pages in the site's other languages, under /{lang}/ (issue 19).
NOT_DATA.update({f"{name}-lang": kind for name, kind in list(NOT_DATA.items())
                 if kind.endswith("HTML page")})
NOT_DATA["partner-sign-in-lang"] = NOT_DATA["partner-sign-in"]


def concrete(path: str) -> str:
    """A spec path with each parameter replaced by its example."""
    params = {p["name"]: p for p in SPEC["paths"][path]["get"]["parameters"]}

    def example(match: re.Match[str]) -> str:
        param = params[match.group(1)]
        assert "example" in param, f"{path}: path parameter {param['name']} has no example"
        return str(param["example"])
    return re.sub(r"\{(\w+)\}", example, path)


def route_for(app: Starlette, url: str) -> str | None:
    """The name of the route the router would pick for GET url (the first full match)."""
    scope = {"type": "http", "method": "GET", "path": url, "root_path": ""}
    for route in app.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return getattr(route, "name", None)
    return None


def test_the_description_is_served_precomputed_and_cacheable(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["etag"]
    assert client.get("/openapi.json", headers={
        "If-None-Match": response.headers["etag"]}).status_code == 304
    assert response.json() == SPEC
    assert SPEC["openapi"].startswith("3.1")


def test_every_data_route_is_documented_and_every_documented_path_is_a_route(
        app: Starlette) -> None:
    names = {getattr(route, "name", None) for route in app.routes}
    assert set(NOT_DATA) - names <= {"metrics"}, "NOT_DATA names a route that does not exist"
    documented = {}
    for path in SPEC["paths"]:
        name = route_for(app, concrete(path))
        assert name is not None, f"{path} is documented but no route serves it"
        assert name not in NOT_DATA, f"{path} is documented but {name} is {NOT_DATA[name]}"
        documented[path] = name
    undocumented = names - set(documented.values()) - set(NOT_DATA)
    assert not undocumented, f"routes missing from /openapi.json: {sorted(undocumented)}"


def test_every_operation_documents_the_shared_errors_and_a_schema() -> None:
    error = {"$ref": "#/components/schemas/Error"}
    for path, item in SPEC["paths"].items():
        responses = item["get"]["responses"]
        assert "200" in responses and "content" in responses["200"], path
        for status in ("400", "414", "431"):
            assert status in responses, f"{path}: {status}"
        for status, found in responses.items():
            if status.startswith("4"):
                body = SPEC["components"]["responses"][found["$ref"].rsplit("/", 1)[1]]
                assert body["content"]["application/json"]["schema"] == error, path
        for param in item["get"]["parameters"]:
            assert param["schema"].get("type") in {"string", "integer"}, (path, param)
            if param["schema"]["type"] == "string" and "enum" not in param["schema"]:
                assert "maxLength" in param["schema"], f"{path}: {param['name']} is unbounded"


def test_every_json_schema_requires_its_fields() -> None:
    def walk(schema: Any, where: str) -> None:
        if isinstance(schema, dict):
            if schema.get("type") == "object" and schema.get("properties"):
                assert schema.get("required"), f"{where}: an object with no required fields"
            for key, value in schema.items():
                walk(value, f"{where}/{key}")
        elif isinstance(schema, list):
            for n, value in enumerate(schema):
                walk(value, f"{where}/{n}")
    walk(SPEC["components"]["schemas"], "#/components/schemas")


# Real requests, each naming the documented path it exercises.
EXCHANGES: list[tuple[str, str, dict[str, str]]] = [
    ("/v1/tips/today", "/v1/tips/today", {}),
    ("/v1/tips/today", "/v1/tips/today?tz=Pacific/Kiritimati&partner=calm-clinic", {}),
    ("/v1/tips/today", "/v1/tips/today?tz=Mars/Olympus", {}),
    ("/v1/tips/{date}", "/v1/tips/2026-11-27", {}),
    ("/v1/tips/{date}", "/v1/tips/2026-11-27?topic=anxiety&lang=en", {}),
    ("/v1/tips/{date}", "/v1/tips/2026-11-27?partner=calm-clinic", {"Origin": CALM}),
    ("/v1/tips/{date}", "/v1/tips/2026-11-27?partner=calm-clinic",
     {"Origin": "https://evil.example"}),
    ("/v1/tips/{date}", "/v1/tips/2026-02-30", {}),
    ("/v1/tips/{date}", "/v1/tips/2030-01-01", {}),
    ("/v1/articles", "/v1/articles", {}),
    ("/v1/articles", "/v1/articles?limit=1", {}),
    ("/v1/articles", "/v1/articles?partner=open-partner&lang=en", {}),
    ("/v1/articles", "/v1/articles?cursor=nope", {}),
    ("/v1/articles", "/v1/articles?topic=cooking", {}),
    ("/v1/articles", "/v1/articles?q=" + "x" * 3000, {}),
    ("/v1/articles/{slug}", "/v1/articles/sleep-better", {}),
    ("/v1/articles/{slug}", "/v1/articles/calm-down?partner=open-partner", {}),
    ("/v1/articles/{slug}", "/v1/articles/nope", {}),
    ("/v1/topics", "/v1/topics", {}),
    ("/v1/help", "/v1/help?country=zz", {}),
    ("/v1/topics", "/v1/topics", {"X-Big": "a" * MAX_HEADER_BYTES}),
    ("/widget.json", "/widget.json", {}),
    ("/configurator/code", "/configurator/code?kind=articles&limit=3&partner=calm-clinic", {}),
    ("/configurator/code", "/configurator/code?kind=weather", {}),
    ("/healthz", "/healthz", {}),
    ("/readyz", "/readyz", {}),
    ("/openapi.json", "/openapi.json", {}),
    *[(f"/feeds/{name}.{fmt}", f"/feeds/{name}.{fmt}", {})
      for name in ("tips", "articles") for fmt in ("rss", "atom", "json")],
    *[(f"/feeds/topics/{{topic}}.{fmt}", f"/feeds/topics/sleep.{fmt}", {})
      for fmt in ("rss", "atom", "json")],
    ("/feeds/topics/{topic}.json", "/feeds/topics/cooking.json", {}),
    *[(f"/{{lang}}/feeds/{name}.{fmt}", f"/de/feeds/{name}.{fmt}", {})
      for name in ("tips", "articles") for fmt in ("rss", "atom", "json")],
    *[(f"/{{lang}}/feeds/topics/{{topic}}.{fmt}", f"/de/feeds/topics/sleep.{fmt}", {})
      for fmt in ("rss", "atom", "json")],
    ("/{lang}/feeds/tips.json", "/en/feeds/tips.json", {}),
    ("/v1/topics", "/v1/topics?lang=de", {}),
    ("/v1/topics", "/v1/topics", {"Accept-Language": "de-AT,de;q=0.9"}),
    ("/v1/tips/{date}", "/v1/tips/2026-11-27", {"Accept-Language": "de"}),
]


def test_the_exchanges_cover_every_documented_operation() -> None:
    assert {path for path, _, _ in EXCHANGES} == set(SPEC["paths"])


@pytest.mark.parametrize(("path", "url", "headers"), EXCHANGES,
                         ids=[f"{url[:60]}{' ' + str(h)[:30] if h else ''}"
                              for _, url, h in EXCHANGES])
def test_real_responses_match_their_documented_schema(client: TestClient, path: str, url: str,
                                                      headers: dict[str, str]) -> None:
    response = client.get(url, headers=headers)
    documented = response_spec(path, response.status_code)
    media = response.headers["content-type"].split(";")[0].strip()
    assert media in documented["content"], f"{media} is not documented for {path}"
    schema = documented["content"][media]["schema"]
    if media.endswith("json"):
        errors = sorted(validator(schema).iter_errors(response.json()), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    else:
        assert schema == {"type": "string"}
        assert response.text.startswith("<?xml")
