"""Every route of the service with a valid request for it: what test_exact.py walks with
control characters added, and test_cardinality.py with metrics."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.testclient import TestClient

from smartmed.catalog.catalog import encode_cursor

CONFIG = {"kind": "articles", "topic": "anxiety", "limit": "3", "lang": "en", "theme": "dark",
          "layout": "compact", "partner": "open-partner"}

# route template -> (path parameters, query parameters, status of the valid request)
ROUTES: dict[str, tuple[dict[str, str], dict[str, str], int]] = {
    "/v1/tips/today": ({}, {"tz": "Europe/Berlin", "lang": "en", "topic": "sleep",
                            "partner": "open-partner"}, 200),
    "/v1/tips/{date}": ({"date": "2026-11-27"}, {"lang": "en", "topic": "sleep",
                                                 "partner": "open-partner"}, 200),
    "/v1/articles": ({}, {"topic": "anxiety", "lang": "en", "limit": "1",
                          "cursor": encode_cursor("calm-down"), "partner": "open-partner",
                          "medical": "include"}, 200),
    "/v1/articles/{slug}": ({"slug": "sleep-better"}, {"lang": "de", "partner": "open-partner"},
                            200),
    "/v1/topics": ({}, {"lang": "de"}, 200),
    "/feeds/topics/{topic}.{fmt}": ({"topic": "sleep", "fmt": "rss"}, {}, 200),
    "/feeds/{name}.{fmt}": ({"name": "tips", "fmt": "atom"}, {}, 200),
    "/{lang}/feeds/topics/{topic}.{fmt}": ({"lang": "de", "topic": "sleep", "fmt": "json"}, {},
                                           200),
    "/{lang}/feeds/{name}.{fmt}": ({"lang": "de", "name": "articles", "fmt": "rss"}, {}, 200),
    "/articles": ({}, {}, 200),
    "/articles/{slug}": ({"slug": "calm-down"}, {}, 200),
    "/topics": ({}, {}, 200),
    "/topics/{topic}": ({"topic": "stress"}, {}, 200),
    "/tips": ({}, {}, 200),
    "/tips/today": ({}, {}, 302),
    "/tips/{date}": ({"date": "2026-11-20"}, {}, 200),
    # Pages in the site's other language: the same, under /{lang}/ (issue 19).
    "/{lang}/articles": ({"lang": "de"}, {}, 200),
    "/{lang}/articles/{slug}": ({"lang": "de", "slug": "besser-schlafen"}, {}, 200),
    "/{lang}/topics": ({"lang": "de"}, {}, 200),
    "/{lang}/topics/{topic}": ({"lang": "de", "topic": "stress"}, {}, 200),
    "/{lang}/tips": ({"lang": "de"}, {}, 200),
    "/{lang}/tips/today": ({"lang": "de"}, {}, 302),
    "/{lang}/tips/{date}": ({"lang": "de", "date": "2026-11-20"}, {}, 200),
    "/{lang}/help": ({"lang": "de"}, {}, 200),
    "/{lang}/help/{country}": ({"lang": "de", "country": "gb"}, {}, 200),
    "/{lang}/": ({"lang": "de"}, CONFIG, 200),
    "/": ({}, CONFIG, 200),
    "/configurator/code": ({}, CONFIG, 200),
    "/static/{file}": ({"file": "(filled in from the page)"}, {}, 200),
    "/favicon.ico": ({}, {}, 200),
    "/widget.js": ({}, {}, 200),
    "/widget.json": ({}, {}, 200),
    "/widget.{digest}.js": ({"digest": "(filled in from /widget.json)"}, {}, 200),
    "/healthz": ({}, {}, 200),
    "/readyz": ({}, {}, 200),
    "/openapi.json": ({}, {}, 200),
    "/metrics": ({}, {}, 200),
    "/v1/help": ({}, {"country": "gb", "lang": "en"}, 200),
    "/help": ({}, {}, 200),
    "/help/{country}": ({"country": "gb"}, {}, 200),
    # Partner stats: beacons are POSTed (a GET is 405); the numbers need a secret (401 here;
    # their from/to are walked with a secret in test_stats_routes.py); admin is off (404).
    "/v1/events": ({}, {}, 405),
    "/v1/partners/{partner}/stats": ({"partner": "open-partner"}, {}, 401),
    "/v1/partners/{partner}/stats.csv": ({"partner": "open-partner"}, {}, 401),
    "/partners/{partner}/stats": ({"partner": "open-partner"}, {}, 401),  # the sign-in form
    "/{lang}/partners/{partner}/stats": ({"lang": "de", "partner": "open-partner"}, {}, 401),
    "/admin/stats": ({}, {}, 404),
}


def examples(client: TestClient) -> dict[str, tuple[dict[str, str], dict[str, str], int]]:
    routes = dict(ROUTES)
    digest = client.get("/widget.json").json()["src"].rsplit("/widget.", 1)[1][:-3]
    routes["/widget.{digest}.js"] = ({"digest": digest}, {}, 200)
    css = client.get("/topics").text.split('rel="stylesheet" href="/static/', 1)[1]
    routes["/static/{file}"] = ({"file": css.split('"', 1)[0]}, {}, 200)
    return routes


def url(template: str, params: dict[str, str], query: dict[str, str]) -> str:
    path = template.format(**{k: quote(v, safe="") for k, v in params.items()})
    return path + (f"?{urlencode(query)}" if query else "")
