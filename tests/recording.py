"""Responses of the service on the bundled content, recorded to a file and compared.

The architecture moves (issue 14) must not change a byte: every path below is answered by
an app on the bundled content at a fixed instant, and status, headers and a digest of the
body are compared with tests/recorded/responses.json, recorded before the move.

When a change is meant to alter responses (new content, a new header), record again and
review the diff of the JSON file in the commit:

    .venv/bin/python -m recording      (from tests/)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from starlette.testclient import TestClient

from smartmed.app import create_app
from smartmed.settings import Settings

RECORDED = Path(__file__).parent / "recorded" / "responses.json"
NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
# Headers that name the moment or the process, not the response.
VOLATILE = {"date", "server"}


def _requests(client: TestClient) -> Iterator[tuple[str, dict[str, str]]]:
    """(path, request headers) to record: every route, good and bad, plain and with the
    headers that change an answer (gzip, a partner's Origin, a validator)."""
    topics = [t["id"] for t in client.get("/v1/topics").json()["topics"]]
    # Every article of every language (the default's first), each at its own address.
    languages = client.get("/readyz").json().get("languages") or [None]
    slugs, pages = [], []
    for lang in languages:
        cursor = ""
        while True:
            query = f"&lang={lang}" if lang else ""
            page = client.get(f"/v1/articles?limit=10&medical=include{query}{cursor}").json()
            slugs += [a["slug"] for a in page["articles"]]
            pages += [a["url"].split("smartmeditation.example", 1)[1] for a in page["articles"]]
            if not page.get("next_cursor"):
                break
            cursor = "&cursor=" + page["next_cursor"]
    plain: dict[str, str] = {}
    gzip = {"accept-encoding": "gzip"}
    origin = {"origin": "https://example.com"}
    paths = [
        "/", "/?kind=articles&topic=anxiety&limit=3&theme=dark&layout=compact",
        "/configurator/code?kind=tip&theme=light", "/articles", "/topics", "/tips",
        "/tips/today", "/tips/2026-12-01", "/tips/2026-10-10", "/tips/2027-01-01",
        "/help", "/help/gb", "/help/us", "/help/zz", "/v1/help?country=ie",
        "/v1/tips/today", "/v1/tips/today?tz=Pacific/Auckland", "/v1/tips/2026-11-30",
        "/v1/tips/today?topic=sleep", "/v1/tips/9999-99-99", "/v1/topics",
        "/v1/articles", "/v1/articles?topic=sleep&limit=2", "/v1/articles?limit=0",
        "/v1/articles?medical=include", "/v1/articles/no-such-article",
        "/feeds/articles.rss", "/feeds/articles.atom", "/feeds/articles.json",
        "/feeds/tips.rss", "/feeds/tips.atom", "/feeds/tips.json", "/feeds/nope.rss",
        "/widget.js", "/widget.json", "/favicon.ico", "/openapi.json", "/healthz",
        "/readyz", "/no/such/page", "/articles/no-such-article", "/v1/nothing",
        "/articles/", "/v1/events", "/admin/stats",
    ]
    # Every other language under its prefix (issue 19); the default's own code is 404.
    for lang in languages[1:]:
        paths += [f"/{lang}/", f"/{lang}/articles", f"/{lang}/topics", f"/{lang}/tips",
                  f"/{lang}/tips/today", f"/{lang}/tips/2026-12-01", f"/{lang}/help",
                  f"/{lang}/help/gb", f"/{lang}/feeds/tips.rss", f"/{lang}/feeds/articles.atom",
                  f"/{lang}/topics/sleep", f"/{lang}/feeds/topics/sleep.json",
                  f"/v1/tips/today?lang={lang}", f"/v1/topics?lang={lang}",
                  f"/v1/articles?lang={lang}", f"/v1/help?country=gb&lang={lang}"]
    if languages[0]:
        paths += [f"/{languages[0]}/articles", "/xx/articles", "/xx/feeds/tips.rss"]
    paths += pages
    paths += [f"/v1/articles/{slug}" for slug in slugs]
    paths += [f"/topics/{topic}" for topic in topics]
    paths += [f"/feeds/topics/{topic}.{fmt}" for topic in topics for fmt in ("rss", "atom")]
    for path in paths:
        yield path, plain
    for path in ("/v1/tips/today", "/feeds/tips.rss", "/articles", "/widget.js",
                 f"/v1/articles/{slugs[0]}"):
        yield path, gzip
        yield path, origin
    digest = client.get("/widget.json").json()["src"]
    yield digest, plain
    css = client.get("/topics").text.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    yield css, plain
    for language in ("es", "de-AT,de;q=0.9,en;q=0.5", "fr, es;q=0.5", "*"):
        for path in ("/v1/tips/today", "/v1/topics", "/v1/articles", "/articles"):
            yield path, {"accept-language": language}
    for path in ("/v1/tips/today", "/feeds/articles.atom", "/topics"):
        etag = client.get(path).headers.get("etag", "")
        yield path, {"if-none-match": etag}


def record(client: TestClient) -> dict[str, dict[str, object]]:
    answers: dict[str, dict[str, object]] = {}
    for path, headers in _requests(client):
        response = client.get(path, headers=headers, follow_redirects=False)
        # A file named by its digest is keyed by its route: a new build is a changed answer,
        # not a different question.
        key = re.sub(r"\.[0-9a-f]{10,}\.(js|css)$", r".{digest}.\1", path.split("?")[0]) + (
            "?" + path.split("?", 1)[1] if "?" in path else "")
        key += "".join(f" [{k}: {v}]" for k, v in headers.items())
        answers[key] = {
            "status": response.status_code,
            # Sorted: their order carries no meaning, and a sorted list diffs readably.
            "headers": sorted([k.decode("latin-1"), v.decode("latin-1")]
                              for k, v in response.headers.raw
                              if k.decode().lower() not in VOLATILE),
            "body": hashlib.sha256(response.content).hexdigest(),
        }
    return answers


def bundled_client() -> TestClient:
    # Metrics off: the counters change with every request recorded before.
    settings = Settings(base_url="https://widget.smartmeditation.example", metrics=False,
                        access_log=False)
    return TestClient(create_app(settings, clock=lambda: NOW))


if __name__ == "__main__":
    with bundled_client() as client:
        answers = record(client)
    RECORDED.parent.mkdir(exist_ok=True)
    RECORDED.write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(answers)} responses in {RECORDED}")
