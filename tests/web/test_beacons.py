"""POST /v1/events: the fast path (web/beacons.FastBeacons) answers as the route does.

Two apps on the same content, one with the fast path and one without
(SMARTMED_BEACON_FAST_PATH=false), get the same requests; their answers (status, every
header in order, body), what they count, their metrics and their access-log lines must be
the same.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from helpers import fixed_clock
from smartmed.app import create_app
from smartmed.ops.accesslog import LOGGER, JsonLineFormatter
from smartmed.settings import Settings
from smartmed.web.beacons import FastBeacons

READER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
ORIGINS = [None, "https://calm.example.com", "https://service.example", "https://evil.example",
           "HTTPS://CALM.EXAMPLE.COM", ""]
AGENTS = [READER, "Googlebot/2.1 (+http://www.google.com/bot.html)", None, "curl/8.0",
          "Mozilla/5.0 HeadlessChrome/150.0"]
IDS = ["anxiety-1", "sleep-better", "calm-down", "Not An Id", "", "x" * 101]


class Lines(logging.Handler):
    """The access log's lines (as the formatter writes them), per app."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonLineFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


def make_client(content_dir: Path, state: Path, **overrides: Any) -> TestClient:
    app = create_app(Settings(content_dir=content_dir, state_dir=state, reload_interval=0,
                              **overrides), clock=fixed_clock())
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def pair(content_dir: Path, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """(with the fast path, without it); access logs one line per request in both."""
    fast = make_client(content_dir, tmp_path / "fast", access_log_beacons="each")
    plain = make_client(content_dir, tmp_path / "plain", access_log_beacons="each",
                        beacon_fast_path=False)
    with fast, plain:
        yield fast, plain


def event(**fields: Any) -> dict[str, Any]:
    doc = {"partner": "calm-clinic", "event": "impression", "kind": "tip", "topic": "anxiety",
           "lang": "en", "items": ["anxiety-1"]}
    doc.update(fields)
    return {k: v for k, v in doc.items() if v is not ...}


def bodies() -> st.SearchStrategy[bytes]:
    fields = st.fixed_dictionaries({}, optional={
        "partner": st.sampled_from(["calm-clinic", "open-partner", "nobody", "", 7, None]),
        "event": st.sampled_from(["impression", "read", "click", "view", 1]),
        "kind": st.sampled_from(["tip", "articles", "article"]),
        "topic": st.sampled_from(["anxiety", "sleep", "", "nope", None, 3]),
        "lang": st.sampled_from(["en", "de", "fr", None]),
        "items": st.one_of(st.lists(st.sampled_from(IDS), max_size=22),
                           st.sampled_from(["anxiety-1", None, {}])),
        "extra": st.just(1),
    })
    valid = st.builds(lambda fs: json.dumps(event(**fs)).encode(), fields)
    anything = st.builds(lambda doc: json.dumps(doc).encode(), fields)
    return st.one_of(valid, anything, st.binary(max_size=40),
                     st.sampled_from([b"", b"[]", b"null", b"{", "{\"partner\": \"é\"}".encode(),
                                      b"x" * 5000, json.dumps(event()).encode("utf-16")]))


def answer(response: Any) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    return (response.status_code,
            [(k, v) for k, v in response.headers.raw if k.lower() != b"date"],
            response.content)


def send(client: TestClient, body: bytes, origin: str | None, agent: str | None,
         query: str = "") -> Any:
    headers = {"content-type": "text/plain;charset=UTF-8"}
    if origin is not None:
        headers["origin"] = origin
    if agent is not None:
        headers["user-agent"] = agent
    return client.post("/v1/events" + query, content=body, headers=headers)


def counted(client: TestClient) -> Any:
    return client.app.state.stats.tally.take()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies(), origin=st.sampled_from(ORIGINS), agent=st.sampled_from(AGENTS),
       query=st.sampled_from(["", "?partner=calm-clinic", "?x=" + "y" * 3000]))
def test_the_fast_path_answers_and_counts_as_the_route_does(
        pair: tuple[TestClient, TestClient], body: bytes, origin: str | None,
        agent: str | None, query: str) -> None:
    fast, plain = pair
    assert answer(send(fast, body, origin, agent, query)) == \
        answer(send(plain, body, origin, agent, query))
    assert counted(fast) == counted(plain)


def test_a_valid_beacon_is_answered_by_the_fast_path(
        pair: tuple[TestClient, TestClient]) -> None:
    """Not a test that cannot fail: the same beacon is counted, with the same answer, and
    the fast path (the app's first middleware) is what answered it."""
    fast, plain = pair
    assert next(m.cls for m in fast.app.user_middleware) is FastBeacons
    assert FastBeacons not in [m.cls for m in plain.app.user_middleware]
    body = json.dumps(event()).encode()
    one = send(fast, body, "https://calm.example.com", READER)
    other = send(plain, body, "https://calm.example.com", READER)
    assert one.status_code == 202
    assert answer(one) == answer(other)
    assert one.headers["access-control-allow-origin"] == "https://calm.example.com"
    assert one.headers["cache-control"] == "no-store"
    assert "content-security-policy" in one.headers
    assert sum(counted(fast).values()) == 2  # the beacon, and the one item it names


def test_metrics_and_log_lines_are_the_same_both_ways(
        pair: tuple[TestClient, TestClient]) -> None:
    logger = logging.getLogger(LOGGER)
    requests = [(json.dumps(event()).encode(), "https://calm.example.com", READER),
                (json.dumps(event()).encode(), None, "Googlebot/2.1"),
                (b"{", None, READER),
                (json.dumps(event(partner="nobody")).encode(), None, READER),
                (json.dumps(event()).encode(), "https://evil.example", READER)]
    seen = []
    for client in pair:
        lines = Lines()
        logger.addHandler(lines)
        try:
            statuses = [send(client, *r).status_code for r in requests]
        finally:
            logger.removeHandler(lines)
        metrics = [line for line in client.get("/metrics").text.splitlines()
                   if line.startswith("smartmed_http_requests_total{")
                   and 'route="/v1/events"' in line]
        seen.append((statuses, [{k: v for k, v in line.items()
                                 if k not in ("time", "duration_ms")}
                                for line in lines.lines], sorted(metrics)))
    assert seen[0] == seen[1]
    assert seen[0][0] == [202, 204, 400, 404, 403]
    assert len(seen[0][2]) == 5


def test_accepted_beacons_are_summed_in_the_log_and_refused_ones_are_not(
        content_dir: Path, tmp_path: Path) -> None:
    logger = logging.getLogger(LOGGER)
    lines = Lines()
    for fast_path in (True, False):
        client = make_client(content_dir, tmp_path / str(fast_path),
                             beacon_fast_path=fast_path)
        lines.lines.clear()
        logger.addHandler(lines)
        try:
            with client:
                for _ in range(3):
                    assert send(client, json.dumps(event()).encode(), None, READER
                                ).status_code == 202
                assert send(client, json.dumps(event()).encode(), None, "Googlebot/2.1"
                            ).status_code == 204
                assert send(client, b"{", None, READER).status_code == 400
                # Written once a second by the lifespan's task, and at shutdown.
        finally:
            logger.removeHandler(lines)
        shown = sorted((line["status"], line.get("count")) for line in lines.lines
                       if line["route"] == "/v1/events")
        assert shown == [(202, 3), (204, 1), (400, None)], fast_path
        summed = next(line for line in lines.lines if line.get("count") == 3)
        assert set(summed) == {"time", "method", "route", "status", "duration_ms", "bytes",
                               "partner", "count"}
        assert summed["bytes"] == 0 and summed["duration_ms"] >= 0


def status_for_parts(client: TestClient, parts: list[bytes]) -> int:
    """The status the app answers a beacon whose body comes in ``parts`` (several
    http.request messages, as from a client sending it in chunks)."""
    messages = [{"type": "http.request", "body": p, "more_body": True} for p in parts[:-1]]
    messages.append({"type": "http.request", "body": parts[-1], "more_body": False})
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def record(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "https", "path": "/v1/events",
             "raw_path": b"/v1/events", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"user-agent", READER.encode())],
             "client": ("127.0.0.1", 1), "server": ("testserver", 443)}
    client.portal.call(client.app, scope, receive, record)
    status: int = sent[0]["status"]
    return status


def test_a_body_in_several_parts_is_read_whole(content_dir: Path, tmp_path: Path) -> None:
    """The fast path reads every part, or hands them all on (past the size limit: 413)."""
    body = json.dumps(event()).encode()
    for fast_path in (True, False):
        client = make_client(content_dir, tmp_path / str(fast_path), access_log=False,
                             beacon_fast_path=fast_path)
        with client:
            assert status_for_parts(client, [body[:5], body[5:20], body[20:]]) == 202
            assert status_for_parts(client, [b"{"] + [b" "] * 4100 + [b"}"]) == 413
            assert sum(counted(client).values()) == 2  # the first beacon and its item
